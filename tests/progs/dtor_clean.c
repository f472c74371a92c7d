/* Clean twin of dtor_exhausted: the destructor re-sets the value once (a
 * second round is legitimate) and frees it the next time. */
#include "common.h"

static pthread_key_t key;
static int calls;

static void once_more(void *v)
{
	if (calls++ == 0)
		pthread_setspecific(key, v);
	else
		free(v);
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, xmalloc(64));
	return NULL;
}

int main(int argc, char **argv)
{
	(void)argv;
	pthread_t t;
	thread_before_key(argc);
	pthread_key_create(&key, once_more);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	printf("destructor calls: %d\n", calls);
	return 0;
}
