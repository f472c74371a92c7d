/* libFuzzer target: any bytes as the arguments of `tsswatch report` (words
 * split at NUL bytes), parsed and applied to the findings of a log with
 * every kind (TSW_FUZZ_LOG, as for fuzz_suppressions) in every format.
 * Values that name files are not followed: --output writes nowhere and
 * --suppressions reads nothing (fuzz_suppressions covers their contents),
 * so the fuzzer cannot touch the machine's files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "report.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const struct tsc_opt *const tables[] = { tsc_report_options, NULL };
	static struct tsc_processes ps;
	static FILE *null;
	char *argv[MAX_WORDS + 2] = { "report" };
	int argc = 1;

	if (!null) {
		char *log = getenv("TSW_FUZZ_LOG");
		char *paths[] = { log ? log : "tests/logs/all-kinds.log" };
		if (tsc_load_logs(&ps, paths, 1))
			abort();
		null = fopen("/dev/null", "w");
	}
	char *words = malloc(size + 1);
	memcpy(words, data, size);
	words[size] = 0;
	for (char *w = words; w < words + size && argc <= MAX_WORDS; w += strlen(w) + 1)
		argv[argc++] = w;

	struct tsc_report_opts o;
	struct tsc_args a = { argc, argv, 1, NULL };
	int id, bad = 0;
	tsc_report_opts_init(&o);
	while (!bad && (id = tsc_args_next(&a, tables)) != TSC_ARGS_END) {
		if (id == TSC_ARGS_ERROR)
			bad = 1;
		else if (id != TSC_ARGS_WORD && id != TSC_OPT_HELP && id != TSC_OPT_SUPPRESSIONS)
			bad = tsc_report_option(&o, id, a.arg) != 0;
	}
	o.output = NULL;
	if (!bad)
		tsc_report(&o, &ps, null);
	tsc_report_opts_free(&o);
	free(words);
	return 0;
}
