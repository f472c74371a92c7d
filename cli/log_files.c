/* Finding and reading the logs a report is about. */
#include "model.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int read_all(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 0, n;

	*buf = NULL;
	*len = 0;
	if (!f)
		return tsc_error("%s: %s", path, strerror(errno));
	do {
		if (cap - *len < 4096) {
			cap = cap ? 2 * cap : 65536;
			*buf = tsc_reallocarray(*buf, cap, 1);
		}
		n = fread(*buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(*buf);
		return tsc_error("%s: %s", path, strerror(e));
	}
	fclose(f);
	return 0;
}

static int load_file(struct tsc_processes *ps, const char *path)
{
	struct tsc_process *p = tsc_calloc(1, sizeof *p);
	char err[512];
	char *buf;
	size_t len;
	int ret;

	if (read_all(path, &buf, &len)) {
		free(p);
		return -1;
	}
	ret = tsc_parse_log(buf, len, path, p, err, sizeof err);
	free(buf);
	if (ret) {
		tsc_process_free(p);
		free(p);
		return tsc_error("%s", err);
	}
	TSC_GROW(ps->v, ps->n, ps->cap);
	ps->v[ps->n++] = p;
	return 0;
}

static int is_log(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".log");
}

int tsc_list_logs(const char *dir, char ***paths)
{
	struct dirent **names;
	int n = scandir(dir, &names, is_log, alphasort);

	*paths = NULL;
	if (n < 0)
		return tsc_error("%s: %s", dir, strerror(errno));
	*paths = tsc_calloc(n, sizeof **paths);
	for (int i = 0; i < n; i++) {
		(*paths)[i] = tsc_asprintf("%s/%s", dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return n;
}

void tsc_free_list(char **list, int n)
{
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static int load_dir(struct tsc_processes *ps, const char *dir)
{
	char **paths;
	int n = tsc_list_logs(dir, &paths), ret = 0;

	if (n == 0)
		ret = tsc_error("%s: no tsswatch logs (*.log) in this directory", dir);
	for (int i = 0; i < n && !ret; i++)
		ret = load_file(ps, paths[i]);
	tsc_free_list(paths, n);
	return n < 0 ? -1 : ret;
}

int tsc_load_logs(struct tsc_processes *ps, char *const *paths, size_t npaths)
{
	for (size_t i = 0; i < npaths; i++) {
		struct stat st;

		if (stat(paths[i], &st))
			return tsc_error("%s: %s", paths[i], strerror(errno));
		if (S_ISDIR(st.st_mode) ? load_dir(ps, paths[i]) : load_file(ps, paths[i]))
			return -1;
	}
	return 0;
}
