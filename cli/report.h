/* What `report` and `run` share: the report options, and the pipeline
 * from parsed logs to a written report and an exit status. */
#ifndef TSC_REPORT_H
#define TSC_REPORT_H

#include <stdio.h>

#include "baseline.h"
#include "kinds.h"
#include "model.h"
#include "cmdline.h"
#include "suppress.h"

enum tsc_format { TSC_FORMAT_TEXT, TSC_FORMAT_JSON, TSC_FORMAT_SARIF, TSC_FORMAT_HTML,
		  TSC_FORMAT_TRACE };

enum {
	TSC_OPT_HELP = 1,
	TSC_OPT_FORMAT,
	TSC_OPT_OUTPUT,
	TSC_OPT_FAIL_ON,
	TSC_OPT_ERROR_EXITCODE,
	TSC_OPT_SUPPRESSIONS,
	TSC_OPT_GEN_SUPPRESSIONS,
	TSC_OPT_QUIET,
	TSC_OPT_BASELINE,
	TSC_OPT_REPORT_END      /* commands number their own options from here */
};

extern const struct tsc_opt tsc_report_options[];

#define TSC_REPORT_OPTIONS_HELP \
	"  --format text|json|sarif|html|trace\n" \
	"                             report format (default text); html: a page\n" \
	"                             with a timeline; trace: for Perfetto\n" \
	"  -o, --output FILE          write the report to FILE\n" \
	"  --fail-on KIND,...|error|warning|info\n" \
	"                             findings that fail the check (default error;\n" \
	"                             a severity means it and worse)\n" \
	"  --error-exitcode N         exit status when the check fails (default 25)\n" \
	"  --suppressions FILE        kind:pattern lines to suppress (repeatable)\n" \
	"  --gen-suppressions         print a suppression line for each finding\n" \
	"  --baseline FILE            a JSON report of an earlier run: its findings\n" \
	"                             are unchanged and fail no check; new ones do\n" \
	"  -q, --quiet                print only the summary line\n" \
	"  -h, --help                 show this help\n"

struct tsc_report_opts {
	enum tsc_format format;
	const char *output;
	bool fail_kind[TSW_KIND_COUNT];
	int fail_severity;      /* this severity and worse fail; -1: none */
	bool fail_on_given;
	int error_exitcode;
	struct tsc_suppressions supps;
	struct tsc_baseline baseline;
	bool gen_suppressions, quiet;
};

void tsc_report_opts_init(struct tsc_report_opts *o);
void tsc_report_opts_free(struct tsc_report_opts *o);
/* Applies one of tsc_report_options; prints and returns -1 on error. */
int tsc_report_option(struct tsc_report_opts *o, int id, const char *arg);

/* Reports on PS to --output, or to STD.  Returns 0, the error exit code
 * when a finding fails the check, or TSC_EXIT_USAGE on a write error. */
int tsc_report(struct tsc_report_opts *o, const struct tsc_processes *ps, FILE *std);

#endif
