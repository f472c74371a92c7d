/* libFuzzer target: any bytes as a --baseline file, parsed, applied to the
 * findings of a log with every kind (tests/logs/all-kinds.log, whose path
 * comes in TSW_FUZZ_LOG), then the text and SARIF formats, which say what
 * the baseline held and this run did not. */
#include <stdio.h>
#include <stdlib.h>

#include "baseline.h"
#include "report_findings.h"
#include "format.h"
#include "fuzz_log_file.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char *log;
	static size_t log_size;
	static FILE *null;
	char err[512];

	if (!log) {
		log = tsc_fuzz_log(&log_size);
		null = fopen("/dev/null", "w");
	}
	struct tsc_process *p = calloc(1, sizeof *p);
	struct tsc_processes ps = { &p, 1, 1 };
	struct tsc_suppressions ss = {0};
	struct tsc_baseline b = {0};
	struct tsc_findings fs;
	if (!tsc_parse_log(log, log_size, "fuzz", p, err, sizeof err) &&
	    !tsc_baseline_parse(&b, "fuzz", (const char *)data, size)) {
		tsc_findings_build(&fs, &ps);
		tsc_findings_merge(&fs);
		tsc_baseline_apply(&b, &fs);
		struct tsc_view v = { .ps = &ps, .fs = &fs, .ss = &ss, .baseline = &b };
		tsc_format_text(null, &v);
		tsc_format_sarif(null, &v);
		tsc_findings_free(&fs);
	}
	tsc_baseline_free(&b);
	tsc_process_free(p);
	free(p);
	return 0;
}
