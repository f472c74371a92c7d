/* A change under review brings a new bug: another worker leaves its value
 * in a key without a destructor. */
#include <pthread.h>
#include <stdlib.h>

static pthread_key_t cache;

static void *new_worker(void *arg)
{
	(void)arg;
	pthread_setspecific(cache, malloc(32));
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_key_create(&cache, NULL);
	pthread_create(&t, NULL, new_worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(cache);
	return 0;
}
