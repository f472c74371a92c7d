/* Bug: a joinable thread that finishes and is never joined. */
#include "common.h"

static pid_t tid;

static void *worker(void *arg)
{
	(void)arg;
	__atomic_store_n(&tid, gettid(), __ATOMIC_RELEASE);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* UNJOINED */
	while (!__atomic_load_n(&tid, __ATOMIC_ACQUIRE))
		sched_yield();
	wait_gone(tid);
	return 0;
}
