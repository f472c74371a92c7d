/* The report formats.  Each writes the whole report to OUT; the caller
 * checks for write errors. */
#ifndef TSC_FORMAT_H
#define TSC_FORMAT_H

#include <stdio.h>

#include "baseline.h"
#include "report_findings.h"
#include "suppress.h"

struct tsc_summary {
	uint64_t findings;                      /* unsuppressed, by count */
	uint64_t by_severity[TSC_SEV_COUNT];
	uint64_t by_kind[TSW_KIND_COUNT];
	uint64_t by_baseline[3];                /* by enum tsc_baseline_state */
};

struct tsc_view {
	const struct tsc_processes *ps;
	const struct tsc_findings *fs;
	const struct tsc_suppressions *ss;
	const struct tsc_baseline *baseline;    /* NULL: no --baseline */
	struct tsc_summary sum;
	bool color, quiet, gen_suppressions;    /* text only */
};

void tsc_format_text(FILE *out, const struct tsc_view *v);
void tsc_format_json(FILE *out, const struct tsc_view *v);
void tsc_format_sarif(FILE *out, const struct tsc_view *v);
void tsc_format_html(FILE *out, const struct tsc_view *v);
void tsc_format_trace(FILE *out, const struct tsc_view *v);

#endif
