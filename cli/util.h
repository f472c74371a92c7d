/* Small helpers every part of the CLI uses: error lines, allocation that
 * never returns NULL, growable arrays. */
#ifndef TSW_UTIL_H
#define TSW_UTIL_H

#include <stddef.h>

#define TSW_NONE ((size_t)-1)   /* "no index" in the model */
#define TSW_EXIT_USAGE 2        /* usage error or unreadable input */

#define TSW_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Prints "tsswatch: MESSAGE" on stderr; returns -1 so callers can
 * `return tsw_error(...)`. */
int tsw_error(const char *fmt, ...) TSW_PRINTF(1, 2);

void *tsw_calloc(size_t n, size_t size);
void *tsw_reallocarray(void *p, size_t n, size_t size);
char *tsw_strdup(const char *s);
char *tsw_asprintf(const char *fmt, ...) TSW_PRINTF(1, 2);

/* Makes room for one more element at arr[n]. */
#define TSW_GROW(arr, n, cap)                                              \
	do {                                                               \
		if ((n) >= (cap)) {                                        \
			(cap) = (cap) ? 2 * (cap) : 8;                     \
			(arr) = tsw_reallocarray((arr), (cap), sizeof *(arr)); \
		}                                                          \
	} while (0)

/* The part of PATH after the last '/', without modifying PATH. */
const char *tsw_basename(const char *path);

#endif
