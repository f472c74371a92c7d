/* Clean twin of thread_leak: one thread joined, one detached. */
#include "common.h"

static pid_t tid;

static void *worker(void *arg)
{
	if (arg)
		__atomic_store_n(&tid, gettid(), __ATOMIC_RELEASE);
	return NULL;
}

int main(void)
{
	pthread_t t, d;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_create(&d, NULL, worker, &tid);
	pthread_detach(d);
	while (!__atomic_load_n(&tid, __ATOMIC_ACQUIRE))
		sched_yield();
	wait_gone(tid);
	return 0;
}
