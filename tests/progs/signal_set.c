/* A thread loops on pthread_setspecific/getspecific while another thread
 * sends it SIGUSR1 with pthread_kill, one signal at a time (the next only
 * after the handler ran: no signal is merged, no sleep).  The handler
 * itself reads both keys and counts its calls in its own key.
 * stdout is the same every run; stderr says how many values were set. */
#include "common.h"
#include <signal.h>
#include <stdint.h>
#include <errno.h>

enum { SIGNALS = 2000, MIN_LOOPS = 1000 };

static pthread_key_t loop_key, handler_key;
static int handled, done, looping;
static long mismatches, handler_sets;

static void handler(int sig)
{
	(void)sig;
	int saved = errno;
	uintptr_t n = (uintptr_t)pthread_getspecific(handler_key);
	(void)pthread_getspecific(loop_key);
	pthread_setspecific(handler_key, (void *)(n + 1)); /* HANDLER-SET */
	if ((uintptr_t)pthread_getspecific(handler_key) != n + 1)
		mismatches++;
	handler_sets++;
	__atomic_store_n(&handled, (int)n + 1, __ATOMIC_RELEASE);
	errno = saved;
}

static void *loop(void *arg)
{
	long sets = 0, i;
	(void)arg;
	for (i = 0; !__atomic_load_n(&done, __ATOMIC_ACQUIRE) || i < MIN_LOOPS; i++) {
		void *v = (void *)(uintptr_t)(i % 1000 + 1);
		pthread_setspecific(loop_key, v);
		sets++;
		if (pthread_getspecific(loop_key) != v)
			mismatches++;
		if (i == 0)
			__atomic_store_n(&looping, 1, __ATOMIC_RELEASE);
	}
	pthread_setspecific(loop_key, NULL);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	long hv = (long)(uintptr_t)pthread_getspecific(handler_key);
	pthread_setspecific(handler_key, NULL);
	fprintf(stderr, "values set: %ld\n", sets + handler_sets);
	return (void *)hv;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = handler };
	pthread_t t;
	void *hv;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pthread_key_create(&loop_key, NULL);
	pthread_key_create(&handler_key, NULL);
	pthread_create(&t, NULL, loop, NULL);
	while (!__atomic_load_n(&looping, __ATOMIC_ACQUIRE))
		sched_yield();
	for (int k = 1; k <= SIGNALS; k++) {
		pthread_kill(t, SIGUSR1);
		while (__atomic_load_n(&handled, __ATOMIC_ACQUIRE) < k)
			sched_yield();
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	pthread_join(t, &hv);
	pthread_key_delete(loop_key);
	pthread_key_delete(handler_key);
	printf("signals handled: %d, counted in the key: %ld, mismatches: %ld\n",
	       handled, (long)hv, mismatches);
	return 0;
}
