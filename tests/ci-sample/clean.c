/* The clean twin: the key has a destructor, so nothing is left. */
#include <pthread.h>
#include <stdlib.h>

static pthread_key_t key;

static void *clean_worker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, malloc(16));
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_key_create(&key, free);
	pthread_create(&t, NULL, clean_worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	return 0;
}
