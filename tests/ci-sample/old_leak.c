/* The project's old bug, there before it adopted tsswatch: a worker leaves
 * a value in a key that has no destructor. */
#include <pthread.h>
#include <stdlib.h>

static pthread_key_t key;

static void *old_worker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, malloc(16));
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_key_create(&key, NULL);
	pthread_create(&t, NULL, old_worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	return 0;
}
