/* Threads cancelled right after pthread_create returns.  Deferred
 * cancellation acts only at a cancellation point, and the start routine's
 * first is a read that never returns, after it stored its value: so every
 * thread stores its value, is cancelled there (the request pending or not
 * yet made when it gets there), and its destructor runs. */
#include "common.h"

enum { N = 50 };

static pthread_key_t key;
static int never[2];
static int destructed;

static void dtor(void *p)
{
	__atomic_fetch_add(&destructed, 1, __ATOMIC_RELAXED);
	free(p);
}

static void *worker(void *arg)
{
	char c;
	pthread_setspecific(key, arg);
	if (read(never[0], &c, 1) >= 0)         /* CANCELLED-HERE */
		abort();
	return NULL;
}

int main(void)
{
	int cancelled = 0;
	if (pipe(never))
		return 1;
	pthread_key_create(&key, dtor);
	for (int i = 0; i < N; i++) {
		pthread_t t;
		void *ret;
		pthread_create(&t, NULL, worker, xmalloc(8));
		pthread_cancel(t);
		pthread_join(t, &ret);
		cancelled += ret == PTHREAD_CANCELED;
	}
	pthread_key_delete(key);
	printf("cancelled: %d, destructors: %d\n", cancelled, destructed);
	return 0;
}
