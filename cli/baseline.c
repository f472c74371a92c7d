#include "baseline.h"
#include "json_read.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const tsc_baseline_state_names[] = { NULL, "new", "unchanged" };

static char *dup_or_null(const char *s)
{
	return s ? tsc_strdup(s) : NULL;
}

/* Where the finding pointed, as its SARIF result did: the first frame of its
 * stacks, in order, outside the C runtime that has a file and a line. */
static void where(struct tsc_baseline_entry *e, const struct tsc_jv *finding)
{
	const struct tsc_jv *stacks = tsc_jv_member(finding, "stacks");

	for (size_t i = 0; stacks && stacks->type == TSC_JOBJECT && i < stacks->n; i++) {
		const struct tsc_jv *s = &stacks->items[i];

		for (size_t k = 0; s->type == TSC_JARRAY && k < s->n; k++) {
			const struct tsc_jv *fr = &s->items[k], *line = tsc_jv_member(fr, "line");
			const char *file = tsc_jv_string(fr, "file");
			unsigned long n;
			char *end;

			if (tsc_module_in_runtime(tsc_jv_string(fr, "module")) || !file || !line
			    || line->type != TSC_JNUMBER)
				continue;
			errno = 0;
			n = strtoul(line->str, &end, 10);
			if (errno || *end || !n)
				continue;
			e->file = tsc_strdup(file);
			e->line = n;
			return;
		}
	}
}

static int add(struct tsc_baseline *b, const char *path, size_t i, const struct tsc_jv *f)
{
	const char *fp = tsc_jv_string(f, "fingerprint");

	if (!fp || !*fp)
		return tsc_error("%s: finding %zu has no fingerprint (a report from an older "
				 "tsswatch?)", path, i + 1);
	for (size_t j = 0; j < b->n; j++)
		if (!strcmp(b->v[j].fingerprint, fp))
			return 0;
	TSC_GROW(b->v, b->n, b->cap);
	b->v[b->n] = (struct tsc_baseline_entry){
		.fingerprint = tsc_strdup(fp),
		.kind = dup_or_null(tsc_jv_string(f, "kind")),
		.severity = dup_or_null(tsc_jv_string(f, "severity")),
		.message = dup_or_null(tsc_jv_string(f, "message")),
	};
	where(&b->v[b->n++], f);
	return 0;
}

int tsc_baseline_parse(struct tsc_baseline *b, const char *path, const char *text, size_t len)
{
	struct tsc_jv doc;
	const struct tsc_jv *findings;
	const char *tool;
	char err[128];
	int ret = 0;

	tsc_baseline_free(b);
	b->path = path;
	if (tsc_jv_parse(text, len, &doc, err, sizeof err)) {
		ret = tsc_error("%s: not a tsswatch JSON report: %s", path, err);
	} else if (!(tool = tsc_jv_string(&doc, "tool")) || strcmp(tool, "tsswatch")) {
		ret = tsc_error("%s: not a tsswatch JSON report (no \"tool\": \"tsswatch\"; "
				"a baseline is a report of --format json)", path);
	} else if (!(findings = tsc_jv_member(&doc, "findings")) || findings->type != TSC_JARRAY) {
		ret = tsc_error("%s: not a tsswatch JSON report (no \"findings\" array)", path);
	} else {
		for (size_t i = 0; i < findings->n && !ret; i++)
			ret = add(b, path, i, &findings->items[i]);
	}
	tsc_jv_free(&doc);
	return ret;
}

int tsc_baseline_load(struct tsc_baseline *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	int ret;

	if (!f)
		return tsc_error("%s: %s", path, strerror(errno));
	do {
		if (cap - len < 65536)
			text = tsc_reallocarray(text, cap = 2 * cap + 65536, 1);
		got = fread(text + len, 1, cap - len, f);
		len += got;
	} while (got);
	if (ferror(f))
		ret = tsc_error("%s: %s", path, strerror(errno));
	else
		ret = tsc_baseline_parse(b, path, text, len);
	fclose(f);
	free(text);
	return ret;
}

void tsc_baseline_free(struct tsc_baseline *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct tsc_baseline_entry *e = &b->v[i];

		free(e->fingerprint);
		free(e->kind);
		free(e->severity);
		free(e->message);
		free(e->file);
	}
	free(b->v);
	*b = (struct tsc_baseline){0};
}

void tsc_baseline_apply(struct tsc_baseline *b, struct tsc_findings *fs)
{
	if (!b->path)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		struct tsc_finding *f = &fs->v[i];

		f->baseline = TSC_BASELINE_NEW;
		for (size_t j = 0; j < b->n; j++)
			if (!strcmp(b->v[j].fingerprint, f->fingerprint)) {
				f->baseline = TSC_BASELINE_UNCHANGED;
				b->v[j].seen = true;
			}
	}
}
