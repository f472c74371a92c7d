/* Bug: the key is deleted while three threads still hold values in it.
 * With an argument, that many times over, from the same call sites. */
#include "common.h"

static pthread_key_t key;
static pthread_barrier_t held, deleted;

static void *worker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, xmalloc(8)); /* HOLD */
	pthread_barrier_wait(&held);
	pthread_barrier_wait(&deleted);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[3];
	pthread_barrier_init(&held, NULL, 4);
	pthread_barrier_init(&deleted, NULL, 4);
	for (int round = 0, rounds = argc > 1 ? atoi(argv[1]) : 1; round < rounds; round++) {
		pthread_key_create(&key, free); /* CREATE */
		for (int i = 0; i < 3; i++)
			pthread_create(&t[i], NULL, worker, NULL);
		pthread_barrier_wait(&held);
		pthread_key_delete(key); /* DELETE */
		pthread_barrier_wait(&deleted);
		for (int i = 0; i < 3; i++)
			pthread_join(t[i], NULL);
	}
	return 0;
}
