/* Bug: a thread created detached is joined after it has ended.  (Its
 * record must also be freed when it ends: nobody will join it.) */
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
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_create(&t, &attr, worker, NULL); /* DETACHED-CREATE */
	while (!__atomic_load_n(&tid, __ATOMIC_ACQUIRE))
		sched_yield();
	wait_gone(tid);
	int rc = pthread_join(t, NULL); /* LATE-JOIN */
	printf("join failed: %d\n", rc != 0);
	return 0;
}
