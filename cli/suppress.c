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

static int parse_line(struct tsc_suppressions *ss, const char *file, unsigned long n, char *line)
{
	char *colon = strchr(line, ':'), *pattern;
	int kind = -1;

	if (!colon || colon == line || !*trim(colon + 1))
		return tsc_error("%s:%lu: expected kind:pattern", file, n);
	*colon = '\0';
	pattern = trim(colon + 1);
	if (strcmp(line, "*") && (kind = tsc_kind_lookup(line, strlen(line))) < 0)
		return tsc_error("%s:%lu: unknown finding kind '%s'", file, n, line);
	TSC_GROW(ss->v, ss->n, ss->cap);
	ss->v[ss->n++] = (struct tsc_suppression){
		.kind = kind, .pattern = tsc_strdup(pattern), .file = tsc_strdup(file), .line = n,
	};
	return 0;
}

int tsc_suppressions_load(struct tsc_suppressions *ss, const char *file)
{
	FILE *f = fopen(file, "r");
	char *line = NULL, *s;
	size_t cap = 0;
	unsigned long n = 0;
	int ret = 0;

	if (!f)
		return tsc_error("%s: %s", file, strerror(errno));
	while (!ret && getline(&line, &cap, f) >= 0) {
		n++;
		s = trim(line);
		if (*s && *s != '#')
			ret = parse_line(ss, file, n, s);
	}
	if (!ret && ferror(f))
		ret = tsc_error("%s: %s", file, strerror(errno));
	free(line);
	fclose(f);
	return ret;
}

static bool match_name(const char *pattern, const char *s)
{
	return s && (!fnmatch(pattern, s, 0) || !fnmatch(pattern, tsc_basename(s), 0));
}

static bool matches(const struct tsc_suppression *sup, const struct tsc_finding *f)
{
	if (sup->kind >= 0 && (enum tsw_kind)sup->kind != f->kind)
		return false;
	for (size_t i = 0; i < f->nstacks; i++) {
		const struct tsc_stack *s = tsc_finding_stack(f, i);

		for (size_t k = 0; s && k < s->nframes; k++) {
			const struct tsc_frame *fr = &s->frames[k];

			if ((fr->function && !fnmatch(sup->pattern, fr->function, 0)) ||
			    match_name(sup->pattern, fr->file) ||
			    (fr->module && match_name(sup->pattern, fr->module->path)))
				return true;
		}
	}
	return false;
}

void tsc_suppressions_apply(struct tsc_suppressions *ss, struct tsc_findings *fs)
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
static char *suggestion(const struct tsc_finding *f)
{
	const struct tsc_frame *fr = tsc_first_user_frame(f, false);
	const char *name = fr ? fr->function : NULL, *kind = tsc_kinds[f->kind].name;
	char *line, *d;

	if (!name)
		return NULL;
	line = d = tsc_calloc(strlen(kind) + 1 + 2 * strlen(name) + 1, 1);
	d += sprintf(d, "%s:", kind);
	for (const char *s = name; *s; s++) {
		if (strchr("*?[]\\", *s))
			*d++ = '\\';
		*d++ = *s;
	}
	return line;
}

void tsc_suppressions_generate(FILE *out, const struct tsc_findings *fs)
{
	char **done = tsc_calloc(fs->n, sizeof *done);
	size_t ndone = 0;

	for (size_t i = 0; i < fs->n; i++) {
		const struct tsc_finding *f = &fs->v[i];
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
		fprintf(out, "# %s (pid %" PRIu64 "): %s\n", tsc_kinds[f->kind].name,
			f->proc->pid, f->message);
		fprintf(out, "%s\n", line ? line : "# (no frame with a known function to name)");
		if (line)
			done[ndone++] = line;
	}
	for (size_t j = 0; j < ndone; j++)
		free(done[j]);
	free(done);
}

void tsc_suppressions_free(struct tsc_suppressions *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		free(ss->v[i].pattern);
		free(ss->v[i].file);
	}
	free(ss->v);
	*ss = (struct tsc_suppressions){0};
}
