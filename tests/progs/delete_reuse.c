/* Bug twice over: key A is deleted while the worker holds a value in it,
 * then key B takes A's index and the worker, through the same helper,
 * leaves a value in B (no destructor) at exit: the helper's call site
 * moved from A to B (stale-key).  A's orphaned value must not be taken for
 * B's. */
#include "common.h"

static pthread_key_t key;
static pthread_barrier_t held, swapped;

static void hold(void)
{
	pthread_setspecific(key, xmalloc(8)); /* HOLD */
}

static void *worker(void *arg)
{
	(void)arg;
	hold();
	pthread_barrier_wait(&held);
	pthread_barrier_wait(&swapped);
	hold();
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_key_t a;
	pthread_barrier_init(&held, NULL, 2);
	pthread_barrier_init(&swapped, NULL, 2);
	pthread_key_create(&key, NULL); /* A-CREATE */
	a = key;
	pthread_create(&t, NULL, worker, NULL);
	pthread_barrier_wait(&held);
	pthread_key_delete(key);
	pthread_key_create(&key, NULL); /* B-CREATE */
	printf("same index: %d\n", key == a);
	pthread_barrier_wait(&swapped);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	return 0;
}
