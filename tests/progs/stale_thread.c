/* Bug: a thread joined twice (the second join names a joined thread). */
#include "common.h"

static void *worker(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* OLD-CREATE */
	pthread_join(t, NULL);
	int rc = pthread_join(t, NULL); /* SECOND-JOIN */
	printf("second join: %d\n", rc != 0);
	return 0;
}
