/* libFuzzer target: any bytes as a log, through the parser, the merging
 * and the JSON, html and trace formats (symbolization is left out: it runs
 * addr2line). */
#include <stdio.h>
#include <stdlib.h>

#include "report_findings.h"
#include "format.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static FILE *null;
	struct tsc_process *p = calloc(1, sizeof *p);
	struct tsc_processes ps = { &p, 1, 1 };
	struct tsc_suppressions ss = {0};
	struct tsc_findings fs;
	char err[512];

	if (!null)
		null = fopen("/dev/null", "w");
	if (!tsc_parse_log((const char *)data, size, "fuzz", p, err, sizeof err)) {
		tsc_findings_build(&fs, &ps);
		tsc_format_json(null, &(struct tsc_view){ .ps = &ps, .fs = &fs, .ss = &ss });
		tsc_format_html(null, &(struct tsc_view){ .ps = &ps, .fs = &fs, .ss = &ss });
		tsc_format_trace(null, &(struct tsc_view){ .ps = &ps, .fs = &fs, .ss = &ss });
		tsc_findings_free(&fs);
	}
	tsc_process_free(p);
	free(p);
	return 0;
}
