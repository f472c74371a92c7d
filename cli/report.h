/* What `report` and `run` share: the report options, and the pipeline
 * from parsed logs to a written report and an exit status. */
#ifndef TSW_REPORT_H
#define TSW_REPORT_H

#include <stdio.h>

#include "kinds.h"
#include "model.h"
#include "options.h"
#include "suppress.h"

enum tsw_format { TSW_FORMAT_TEXT, TSW_FORMAT_JSON, TSW_FORMAT_SARIF };

enum {
	TSW_OPT_HELP = 1,
	TSW_OPT_FORMAT,
	TSW_OPT_OUTPUT,
	TSW_OPT_FAIL_ON,
	TSW_OPT_ERROR_EXITCODE,
	TSW_OPT_SUPPRESSIONS,
	TSW_OPT_GEN_SUPPRESSIONS,
	TSW_OPT_QUIET,
	TSW_OPT_REPORT_END      /* commands number their own options from here */
};

extern const struct tsw_opt tsw_report_options[];

#define TSW_REPORT_OPTIONS_HELP \
	"  --format text|json|sarif   report format (default text)\n" \
	"  -o, --output FILE          write the report to FILE\n" \
	"  --fail-on KIND,...|error|warning|info\n" \
	"                             findings that fail the check (default error;\n" \
	"                             a severity means it and worse)\n" \
	"  --error-exitcode N         exit status when the check fails (default 25)\n" \
	"  --suppressions FILE        kind:pattern lines to suppress (repeatable)\n" \
	"  --gen-suppressions         print a suppression line for each finding\n" \
	"  -q, --quiet                print only the summary line\n" \
	"  -h, --help                 show this help\n"

struct tsw_report_opts {
	enum tsw_format format;
	const char *output;
	bool fail_kind[TSW_KIND_COUNT];
	int fail_severity;      /* this severity and worse fail; -1: none */
	bool fail_on_given;
	int error_exitcode;
	struct tsw_suppressions supps;
	bool gen_suppressions, quiet;
};

void tsw_report_opts_init(struct tsw_report_opts *o);
void tsw_report_opts_free(struct tsw_report_opts *o);
/* Applies one of tsw_report_options; prints and returns -1 on error. */
int tsw_report_option(struct tsw_report_opts *o, int id, const char *arg);

/* Reports on PS to --output, or to STD.  Returns 0, the error exit code
 * when a finding fails the check, or TSW_EXIT_USAGE on a write error. */
int tsw_report(struct tsw_report_opts *o, const struct tsw_processes *ps, FILE *std);

#endif
