/* libFuzzer target: any bytes as a suppressions file, loaded and applied to
 * the findings of a log with every kind (tests/logs/all-kinds.log, whose
 * path comes in TSW_FUZZ_LOG), then --gen-suppressions. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "report_findings.h"
#include "format.h"
#include "fuzz_log_file.h"
#include "suppress.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char *log;
	static size_t log_size;
	static FILE *null;
	char path[64], err[512];

	if (!log) {
		log = tsc_fuzz_log(&log_size);
		null = fopen("/dev/null", "w");
	}
	int fd = memfd_create("suppressions", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

	struct tsc_process *p = calloc(1, sizeof *p);
	struct tsc_processes ps = { &p, 1, 1 };
	struct tsc_suppressions ss = {0};
	struct tsc_findings fs;
	if (!tsc_parse_log(log, log_size, "fuzz", p, err, sizeof err)) {
		tsc_findings_build(&fs, &ps);
		if (!tsc_suppressions_load(&ss, path)) {
			tsc_suppressions_apply(&ss, &fs);
			tsc_suppressions_generate(null, &fs);
		}
		tsc_findings_free(&fs);
	}
	tsc_suppressions_free(&ss);
	tsc_process_free(p);
	free(p);
	close(fd);
	return 0;
}
