/* Suppression files: one "kind:pattern" a line, '#' comments.  A finding
 * is suppressed when the glob matches the function, file or module of any
 * frame of its stacks. */
#ifndef TSC_SUPPRESS_H
#define TSC_SUPPRESS_H

#include <stdio.h>

#include "report_findings.h"

struct tsc_suppression {
	int kind;               /* -1: any kind ("*") */
	char *pattern;
	char *file;
	unsigned long line;
	uint64_t matched;       /* occurrences suppressed (finding counts) */
};

struct tsc_suppressions {
	struct tsc_suppression *v;
	size_t n, cap;
};

/* Adds FILE's suppressions; prints one line and returns -1 on error. */
int tsc_suppressions_load(struct tsc_suppressions *ss, const char *file);
/* Marks each finding with the first suppression that matches it. */
void tsc_suppressions_apply(struct tsc_suppressions *ss, struct tsc_findings *fs);
/* Writes a suppression line for each unsuppressed finding. */
void tsc_suppressions_generate(FILE *out, const struct tsc_findings *fs);
void tsc_suppressions_free(struct tsc_suppressions *ss);

#endif
