/* Bug: a worker keeps a connection in its dictionary with no destructor. */
#include <tsswatch.h>
#include "common.h"

static void *worker(void *arg)
{
	(void)arg;
	tsswatch_set("db.conn", xmalloc(64), NULL); /* DICT-SET */
	tsswatch_set("retries", (void *)3, NULL);   /* a number: not memory */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* DICT-THREAD */
	pthread_join(t, NULL);
	return 0;
}
