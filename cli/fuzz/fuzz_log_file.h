/* For the fuzz targets that apply their input to real findings: the log
 * with every kind (tests/logs/all-kinds.log, or the path in TSW_FUZZ_LOG),
 * read whole once. */
#ifndef TSC_FUZZ_LOG_FILE_H
#define TSC_FUZZ_LOG_FILE_H

#include <stdio.h>
#include <stdlib.h>

static char *tsc_fuzz_log(size_t *size)
{
	const char *path = getenv("TSW_FUZZ_LOG");
	FILE *f = fopen(path ? path : "tests/logs/all-kinds.log", "rb");
	char *buf = NULL;
	if (!f || fseek(f, 0, SEEK_END) || (*size = (size_t)ftell(f), fseek(f, 0, SEEK_SET)) ||
	    !(buf = malloc(*size + 1)) || fread(buf, 1, *size, f) != *size)
		abort();
	fclose(f);
	return buf;
}

#endif
