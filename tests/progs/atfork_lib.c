/* A library whose constructor registers a fork child handler that uses
 * keys, before tsswatch registers its own. */
#include <pthread.h>

static void child(void)
{
	pthread_key_t k;
	if (pthread_key_create(&k, NULL) == 0)
		pthread_key_delete(k);
}

__attribute__((constructor)) static void atfork_lib_init(void)
{
	pthread_atfork(NULL, NULL, child);
}
