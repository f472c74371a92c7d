/* A thread still blocked when the process exits (info). */
#include "common.h"

static int fds[2];
static pthread_barrier_t named;

static void *worker(void *arg)
{
	char c;
	(void)arg;
	pthread_setname_np(pthread_self(), "blocked");
	pthread_barrier_wait(&named);
	return (void *)(long)read(fds[0], &c, 1);
}

int main(void)
{
	pthread_t t;
	if (pipe(fds))
		return 1;
	pthread_barrier_init(&named, NULL, 2);
	pthread_create(&t, NULL, worker, NULL); /* RUNNING */
	pthread_barrier_wait(&named);
	return 0;
}
