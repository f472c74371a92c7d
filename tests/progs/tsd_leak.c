/* Bug: two workers leave a malloc'd value in a key with no destructor. */
#include "common.h"

static pthread_key_t key;

static void *worker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, xmalloc(32)); /* LEAK-SET */
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	pthread_key_create(&key, NULL); /* KEY-CREATE */
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL); /* THREAD-CREATE */
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(key);
	return 0;
}
