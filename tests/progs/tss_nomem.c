/* A set that glibc cannot give memory for: keys past the first 32 keep a
 * thread's values in a block glibc callocs at the thread's first set
 * there.  This program's calloc fails on demand, and tss_set must say
 * thrd_nomem, pthread_setspecific ENOMEM, with tsswatch as without. */
#include <errno.h>
#include <threads.h>
#include "common.h"

extern void *__libc_calloc(size_t, size_t);
static _Thread_local int fail_calloc;

void *calloc(size_t n, size_t size)
{
	if (fail_calloc) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}

#define NKEYS 64
static tss_t keys[NKEYS];

static int worker(void *arg)
{
	(void)arg;
	fail_calloc = 1;
	int c11 = tss_set(keys[NKEYS - 1], &fail_calloc);
	int posix = pthread_setspecific(keys[NKEYS - 2], &fail_calloc);
	fail_calloc = 0;
	printf("tss_set: %d (thrd_nomem %d), pthread_setspecific: %d (ENOMEM %d)\n", c11,
	       thrd_nomem, posix, ENOMEM);
	return 0;
}

int main(void)
{
	for (int i = 0; i < NKEYS; i++)
		if (tss_create(&keys[i], NULL) != thrd_success)
			return 1;
	thrd_t t;
	if (thrd_create(&t, worker, NULL) != thrd_success || thrd_join(t, NULL) != thrd_success)
		return 1;
	for (int i = 0; i < NKEYS; i++)
		tss_delete(keys[i]);
	return 0;
}
