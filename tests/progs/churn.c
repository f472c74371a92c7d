/* WORKERS threads (argv[1]) each create and join ROUNDS threads (argv[2])
 * that do nothing, all at once: glibc hands a joined thread's pthread_t
 * to the next create, often in another worker. */
#include "common.h"

static long rounds;

static void *worker(void *arg)
{
	for (long i = 0; i < rounds; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, nothing, NULL) || pthread_join(t, NULL))
			abort();
	}
	return arg;
}

int main(int argc, char **argv)
{
	int workers = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t *w = xmalloc(sizeof *w * (size_t)workers);

	rounds = argc > 2 ? atol(argv[2]) : 500;
	for (int i = 0; i < workers; i++)
		pthread_create(&w[i], NULL, worker, NULL);
	for (int i = 0; i < workers; i++)
		pthread_join(w[i], NULL);
	printf("threads_created=%ld threads_joined=%ld\n", workers * (rounds + 1),
	       workers * (rounds + 1));
	return 0;
}
