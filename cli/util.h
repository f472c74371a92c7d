/* Small helpers every part of the CLI uses: error lines, allocation that
 * never returns NULL, growable arrays. */
#ifndef TSC_UTIL_H
#define TSC_UTIL_H

#include <stddef.h>

#define TSC_NONE ((size_t)-1)   /* "no index" in the model */
#define TSC_EXIT_USAGE 2        /* usage error or unreadable input */

#define TSC_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Prints "tsswatch: MESSAGE" on stderr; returns -1 so callers can
 * `return tsc_error(...)`. */
int tsc_error(const char *fmt, ...) TSC_PRINTF(1, 2);

void *tsc_calloc(size_t n, size_t size);
void *tsc_reallocarray(void *p, size_t n, size_t size);
char *tsc_strdup(const char *s);
char *tsc_asprintf(const char *fmt, ...) TSC_PRINTF(1, 2);

/* Makes room for one more element at arr[n]. */
#define TSC_GROW(arr, n, cap)                                              \
	do {                                                               \
		if ((n) >= (cap)) {                                        \
			(cap) = (cap) ? 2 * (cap) : 8;                     \
			(arr) = tsc_reallocarray((arr), (cap), sizeof *(arr)); \
		}                                                          \
	} while (0)

/* The part of PATH after the last '/', without modifying PATH. */
const char *tsc_basename(const char *path);

#endif
