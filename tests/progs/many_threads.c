/* N threads alive at once (argv[1]), each on a PTHREAD_STACK_MIN stack,
 * each storing a value with a destructor; all wait at one barrier, then
 * all are joined. */
#include "common.h"
#include <limits.h>

static pthread_key_t key;
static pthread_barrier_t all;
static int destructed;

static void dtor(void *p)
{
	__atomic_fetch_add(&destructed, 1, __ATOMIC_RELAXED);
	free(p);
}

static void *worker(void *arg)
{
	pthread_setspecific(key, arg);
	pthread_barrier_wait(&all);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, made = 0;
	pthread_t *t = xmalloc(sizeof *t * (size_t)n);
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	pthread_key_create(&key, dtor);
	pthread_barrier_init(&all, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++) {
		int rc = pthread_create(&t[i], &attr, worker, xmalloc(8));
		if (rc) {
			fprintf(stderr, "thread %d: error %d\n", i, rc);
			return 1;
		}
		made++;
	}
	pthread_barrier_wait(&all);
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(key);
	printf("threads: %d, destructors: %d\n", made, destructed);
	return 0;
}
