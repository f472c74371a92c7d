/* Clean twin of tsd_leak: the key has a destructor, a flag value in a key
 * without one is not memory, and a value cleared before exit is fine. */
#include "common.h"

static pthread_key_t owned, flag, cleared;

static void *worker(void *arg)
{
	(void)arg;
	pthread_setspecific(owned, xmalloc(32));
	pthread_setspecific(flag, (void *)1);
	void *p = xmalloc(16);
	pthread_setspecific(cleared, p);
	pthread_setspecific(cleared, NULL);
	free(p);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	pthread_key_create(&owned, free);
	pthread_key_create(&flag, NULL);
	pthread_key_create(&cleared, NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(owned);
	pthread_key_delete(flag);
	pthread_key_delete(cleared);
	return 0;
}
