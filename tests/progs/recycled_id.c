/* Bug: threads that leak storage and are joined; the next thread created
 * gets the same pthread_t from glibc's stack cache.  Prints how many new
 * threads got a leaking thread's pthread_t, for the test to compare. */
#include <string.h>
#include "common.h"

static pthread_key_t key;

static void *leaker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, xmalloc(16));
	return NULL;
}

static void *quiet(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t old, fresh;
	int recycled = 0;
	pthread_key_create(&key, NULL);
	for (int i = 0; i < 3; i++) {
		pthread_create(&old, NULL, leaker, NULL);
		pthread_join(old, NULL);
		pthread_create(&fresh, NULL, quiet, NULL); /* NEW-THREAD */
		pthread_join(fresh, NULL);
		recycled += pthread_equal(old, fresh) != 0;
	}
	pthread_key_delete(key);
	printf("recycled: %d\n", recycled);
	return 0;
}
