/* A signal handler that leaves by _exit while the thread it interrupted
 * is busy creating, setting and deleting keys (inside tsswatch, most of
 * the time).  The process must end with the handler's status. */
#include <signal.h>
#include "common.h"

static volatile int started;

static void leave(int sig)
{
	(void)sig;
	_exit(3);
}

static void *churn(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_key_t k;
		if (pthread_key_create(&k, free) == 0) {
			pthread_setspecific(k, xmalloc(8));
			free(pthread_getspecific(k));
			pthread_setspecific(k, NULL);
			pthread_key_delete(k);
		}
		started = 1;
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	signal(SIGUSR1, leave);
	pthread_create(&t, NULL, churn, NULL);
	while (!started)
		sched_yield();
	for (int i = 0; i < 1000; i++)
		sched_yield();
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	return 0;
}
