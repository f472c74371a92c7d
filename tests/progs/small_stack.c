/* Threads on the smallest stack glibc allows (PTHREAD_STACK_MIN), in a
 * program with 2 KiB of static TLS (which glibc carves out of every
 * thread's stack): what a host with an allocator or runtime that keeps
 * per-thread caches in TLS looks like.  Each stores and clears a value. */
#include "common.h"
#include <limits.h>

enum { N = 8 };

static __thread char cache[2048];
static pthread_key_t key;

static void *worker(void *arg)
{
	cache[0] = 1;
	pthread_setspecific(key, arg);
	pthread_setspecific(key, NULL);
	free(arg);
	return NULL;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t t[N];

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	pthread_key_create(&key, NULL);
	for (int i = 0; i < N; i++)
		if (pthread_create(&t[i], &attr, worker, xmalloc(8)))
			return 1;
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(key);
	printf("threads: %d\n", N);
	return 0;
}
