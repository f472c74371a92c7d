/* Perl's pattern: each worker keeps its context in a key with no
 * destructor, and a registry (static) owns the contexts.  By argv[1]:
 *   free (default)  the registry frees them after the joins: not lost;
 *   keep            it still holds them at exit: still reachable, not lost;
 *   leak            it forgets them: both contexts are lost. */
#include "common.h"

#include <string.h>

static pthread_key_t key;
static void *registry[2];

static void *worker(void *arg)
{
	void **slot = arg;
	*slot = xmalloc(64);
	pthread_setspecific(key, *slot); /* CONTEXT-SET */
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "free";
	pthread_t t[2];
	pthread_key_create(&key, NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &registry[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	if (!strcmp(mode, "leak"))
		memset(registry, 0, sizeof registry);
	if (strcmp(mode, "keep"))
		for (int i = 0; i < 2; i++)
			free(registry[i]);
	pthread_key_delete(key);
	return 0;
}
