/* Suppression files: one "kind:pattern" a line, '#' comments.  A finding
 * is suppressed when the glob matches the function, file or module of any
 * frame of its stacks. */
#ifndef TSW_SUPPRESS_H
#define TSW_SUPPRESS_H

#include <stdio.h>

#include "findings.h"

struct tsw_suppression {
	int kind;               /* -1: any kind ("*") */
	char *pattern;
	char *file;
	unsigned long line;
	uint64_t matched;       /* occurrences suppressed (finding counts) */
};

struct tsw_suppressions {
	struct tsw_suppression *v;
	size_t n, cap;
};

/* Adds FILE's suppressions; prints one line and returns -1 on error. */
int tsw_suppressions_load(struct tsw_suppressions *ss, const char *file);
/* Marks each finding with the first suppression that matches it. */
void tsw_suppressions_apply(struct tsw_suppressions *ss, struct tsw_findings *fs);
/* Writes a suppression line for each unsuppressed finding. */
void tsw_suppressions_generate(FILE *out, const struct tsw_findings *fs);
void tsw_suppressions_free(struct tsw_suppressions *ss);

#endif
