/* WORKERS threads (argv[1]) each create and join ROUNDS threads (argv[2]);
 * every EVERY-th of those (argv[3], default 100) leaves a value in a key
 * without a destructor (a tsd-leak each), so a big run's timeline has
 * marks among thousands of threads. */
#include "common.h"

static long rounds, every;
static pthread_key_t key;

static void *leaker(void *arg)
{
	pthread_setspecific(key, xmalloc(8));         /* LEAK-SET */
	return arg;
}

static void *worker(void *arg)
{
	long first = (long)arg * rounds;
	for (long i = 0; i < rounds; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, (first + i) % every ? nothing : leaker, NULL) ||
		    pthread_join(t, NULL))
			abort();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int workers = argc > 1 ? atoi(argv[1]) : 4;
	rounds = argc > 2 ? atol(argv[2]) : 100;
	every = argc > 3 ? atol(argv[3]) : 100;
	pthread_t t[64];
	if (workers < 1 || workers > 64 || every < 1)
		return 2;
	pthread_key_create(&key, NULL);
	for (long i = 0; i < workers; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < workers; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(key);
	return 0;
}
