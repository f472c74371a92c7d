/* libtsswatch.so loaded by dlopen while another thread keeps creating and
 * deleting keys: none of its creates may fail. */
#include <dlfcn.h>
#include "common.h"

static volatile int stop, running;
static int failures;

static void *churn(void *arg)
{
	(void)arg;
	while (!stop) {
		pthread_key_t k;
		if (pthread_key_create(&k, NULL) != 0)
			failures++;
		else
			pthread_key_delete(k);
		running = 1;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	if (argc < 2)
		return 2;
	pthread_create(&t, NULL, churn, NULL);
	while (!running)
		sched_yield();
	if (!dlopen(argv[1], RTLD_NOW))
		return 1;
	stop = 1;
	pthread_join(t, NULL);
	printf("failed creates: %d\n", failures);
	return 0;
}
