/* exit(7) while three threads are still blocked. */
#include "common.h"

enum { N = 3 };

static int fds[2];
static pthread_barrier_t started;

static void *blocked(void *arg)
{
	char c;
	(void)arg;
	pthread_barrier_wait(&started);
	return (void *)(long)read(fds[0], &c, 1);
}

int main(void)
{
	pthread_t t;
	if (pipe(fds))
		return 1;
	pthread_barrier_init(&started, NULL, N + 1);
	for (int i = 0; i < N; i++)
		pthread_create(&t, NULL, blocked, NULL); /* STILL-RUNNING */
	pthread_barrier_wait(&started);
	printf("exiting with 7\n");
	fflush(stdout);
	exit(7);
}
