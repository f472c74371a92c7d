/* libFuzzer target: any bytes as a log, through the parser, the merging
 * and the JSON format (symbolization is left out: it runs addr2line). */
#include <stdio.h>
#include <stdlib.h>

#include "findings.h"
#include "format.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static FILE *null;
	struct tsw_process *p = calloc(1, sizeof *p);
	struct tsw_processes ps = { &p, 1, 1 };
	struct tsw_suppressions ss = {0};
	struct tsw_findings fs;
	char err[512];

	if (!null)
		null = fopen("/dev/null", "w");
	if (!tsw_parse_log((const char *)data, size, "fuzz", p, err, sizeof err)) {
		tsw_findings_build(&fs, &ps);
		tsw_format_json(null, &(struct tsw_view){ .ps = &ps, .fs = &fs, .ss = &ss });
		tsw_findings_free(&fs);
	}
	tsw_process_free(p);
	free(p);
	return 0;
}
