/* The dictionary used from a key destructor during thread exit: the key's
 * destructor reads an entry and stores another. */
#include <tsswatch.h>
#include "common.h"

static pthread_key_t key;
static int seen, entry_freed;

static void entry_free(void *p) { free(p); entry_freed++; }

static void key_dtor(void *v)
{
	seen = tsswatch_get("session") == v;
	tsswatch_set("late", xmalloc(4), entry_free);
}

static void *worker(void *arg)
{
	(void)arg;
	void *session = xmalloc(16);
	tsswatch_set("session", session, entry_free);
	pthread_setspecific(key, session);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_key_create(&key, key_dtor);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	printf("seen in destructor: %d, entries freed: %d\n", seen, entry_freed);
	return 0;
}
