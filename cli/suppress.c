#include "suppress.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int parse_line(struct tsw_suppressions *ss, const char *file, unsigned long n, char *line)
{
	char *colon = strchr(line, ':'), *pattern;
	int kind = -1;

	if (!colon || colon == line || !*trim(colon + 1))
		return tsw_error("%s:%lu: expected kind:pattern", file, n);
	*colon = '\0';
	pattern = trim(colon + 1);
	if (strcmp(line, "*") && (kind = tsw_kind_lookup(line, strlen(line))) < 0)
		return tsw_error("%s:%lu: unknown finding kind '%s'", file, n, line);
	TSW_GROW(ss->v, ss->n, ss->cap);
	ss->v[ss->n++] = (struct tsw_suppression){
		.kind = kind, .pattern = tsw_strdup(pattern), .file = tsw_strdup(file), .line = n,
	};
	return 0;
}

int tsw_suppressions_load(struct tsw_suppressions *ss, const char *file)
{
	FILE *f = fopen(file, "r");
	char *line = NULL, *s;
	size_t cap = 0;
	unsigned long n = 0;
	int ret = 0;

	if (!f)
		return tsw_error("%s: %s", file, strerror(errno));
	while (!ret && getline(&line, &cap, f) >= 0) {
		n++;
		s = trim(line);
		if (*s && *s != '#')
			ret = parse_line(ss, file, n, s);
	}
	if (!ret && ferror(f))
		ret = tsw_error("%s: %s", file, strerror(errno));
	free(line);
	fclose(f);
	return ret;
}

static bool match_name(const char *pattern, const char *s)
{
	return s && (!fnmatch(pattern, s, 0) || !fnmatch(pattern, tsw_basename(s), 0));
}

static bool matches(const struct tsw_suppression *sup, const struct tsw_finding *f)
{
	if (sup->kind >= 0 && (enum tsw_kind)sup->kind != f->kind)
		return false;
	for (size_t i = 0; i < f->nstacks; i++) {
		const struct tsw_stack *s = tsw_finding_stack(f, i);

		for (size_t k = 0; s && k < s->nframes; k++) {
			const struct tsw_frame *fr = &s->frames[k];

			if ((fr->function && !fnmatch(sup->pattern, fr->function, 0)) ||
			    match_name(sup->pattern, fr->file) ||
			    (fr->module && match_name(sup->pattern, fr->module->path)))
				return true;
		}
	}
	return false;
}

void tsw_suppressions_apply(struct tsw_suppressions *ss, struct tsw_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = 0; j < ss->n; j++)
			if (matches(&ss->v[j], &fs->v[i])) {
				fs->v[i].suppressed_by = &ss->v[j];
				ss->v[j].matched += fs->v[i].count;
				break;
			}
}

/* The suppression line for F, glob characters escaped (C++ has operator[]). */
static char *suggestion(const struct tsw_finding *f)
{
	const struct tsw_frame *fr = tsw_first_user_frame(f, false);
	const char *name = fr ? fr->function : NULL, *kind = tsw_kinds[f->kind].name;
	char *line, *d;

	if (!name)
		return NULL;
	line = d = tsw_calloc(strlen(kind) + 1 + 2 * strlen(name) + 1, 1);
	d += sprintf(d, "%s:", kind);
	for (const char *s = name; *s; s++) {
		if (strchr("*?[]\\", *s))
			*d++ = '\\';
		*d++ = *s;
	}
	return line;
}

void tsw_suppressions_generate(FILE *out, const struct tsw_findings *fs)
{
	char **done = tsw_calloc(fs->n, sizeof *done);
	size_t ndone = 0;

	for (size_t i = 0; i < fs->n; i++) {
		const struct tsw_finding *f = &fs->v[i];
		char *line;
		bool dup = false;

		if (f->suppressed_by)
			continue;
		line = suggestion(f);
		for (size_t j = 0; line && j < ndone && !dup; j++)
			dup = !strcmp(done[j], line);
		if (dup) {
			free(line);
			continue;
		}
		fprintf(out, "# %s (pid %" PRIu64 "): %s\n", tsw_kinds[f->kind].name,
			f->proc->pid, f->message);
		fprintf(out, "%s\n", line ? line : "# (no frame with a known function to name)");
		if (line)
			done[ndone++] = line;
	}
	for (size_t j = 0; j < ndone; j++)
		free(done[j]);
	free(done);
}

void tsw_suppressions_free(struct tsw_suppressions *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		free(ss->v[i].pattern);
		free(ss->v[i].file);
	}
	free(ss->v);
	*ss = (struct tsw_suppressions){0};
}
