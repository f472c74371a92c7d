/* The report formats.  Each writes the whole report to OUT; the caller
 * checks for write errors. */
#ifndef TSW_FORMAT_H
#define TSW_FORMAT_H

#include <stdio.h>

#include "findings.h"
#include "suppress.h"

struct tsw_summary {
	uint64_t findings;                      /* unsuppressed, by count */
	uint64_t by_severity[TSW_SEV_COUNT];
	uint64_t by_kind[TSW_KIND_COUNT];
};

struct tsw_view {
	const struct tsw_processes *ps;
	const struct tsw_findings *fs;
	const struct tsw_suppressions *ss;
	struct tsw_summary sum;
	bool color, quiet, gen_suppressions;    /* text only */
};

void tsw_format_text(FILE *out, const struct tsw_view *v);
void tsw_format_json(FILE *out, const struct tsw_view *v);
void tsw_format_sarif(FILE *out, const struct tsw_view *v);

#endif
