/* Bug: a destructor that re-sets its value every round; glibc gives up
 * after PTHREAD_DESTRUCTOR_ITERATIONS rounds and drops the last value. */
#include "common.h"

static pthread_key_t key;
static int calls;

static void stubborn(void *v)
{
	calls++;
	pthread_setspecific(key, v); /* RESET */
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
	pthread_key_create(&key, stubborn);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	printf("destructor calls: %d\n", calls);
	return 0;
}
