/* A library that creates its key in its constructor and deletes it in its
 * destructor, built with -O2 so the delete is a tail call: the delete's
 * return address is in the loader's _dl_fini, not in this library. */
#include <pthread.h>
#include <stdlib.h>

static pthread_key_t key;

__attribute__((constructor)) static void start(void)
{
	if (pthread_key_create(&key, NULL) != 0)
		abort();
}

__attribute__((destructor)) static void stop(void)
{
	pthread_key_delete(key); /* TAIL-DELETE */
}
