#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tsc_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tsswatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Running out of memory in a report tool has no useful recovery. */
static void *check(void *p)
{
	if (!p) {
		tsc_error("out of memory");
		exit(TSC_EXIT_USAGE);
	}
	return p;
}

void *tsc_calloc(size_t n, size_t size)
{
	return check(calloc(n ? n : 1, size ? size : 1));
}

void *tsc_reallocarray(void *p, size_t n, size_t size)
{
	return check(reallocarray(p, n ? n : 1, size ? size : 1));
}

char *tsc_strdup(const char *s)
{
	return check(strdup(s));
}

char *tsc_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return check(n < 0 ? NULL : s);
}

const char *tsc_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}
