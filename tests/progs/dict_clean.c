/* Clean twin of dict_leak: entries with destructors, and entries removed
 * before the thread ends. */
#include <tsswatch.h>
#include "common.h"

static int freed;
static void release(void *p) { free(p); __atomic_add_fetch(&freed, 1, __ATOMIC_RELAXED); }

static void *worker(void *arg)
{
	(void)arg;
	tsswatch_set("db.conn", xmalloc(64), release);
	tsswatch_set("scratch", xmalloc(8), NULL);
	free(tsswatch_get("scratch"));
	tsswatch_remove("scratch");
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("freed: %d\n", freed);
	return 0;
}
