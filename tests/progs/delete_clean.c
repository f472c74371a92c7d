/* Clean twin of delete_live: threads release their values before the key
 * is deleted. */
#include "common.h"

static pthread_key_t key;
static pthread_barrier_t released;

static void *worker(void *arg)
{
	(void)arg;
	void *p = xmalloc(8);
	pthread_setspecific(key, p);
	pthread_setspecific(key, NULL);
	free(p);
	pthread_barrier_wait(&released);
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	pthread_barrier_init(&released, NULL, 4);
	pthread_key_create(&key, free);
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	pthread_barrier_wait(&released);
	pthread_key_delete(key);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}
