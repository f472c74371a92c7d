/* A library whose cleanup deletes the key its init creates.  Called
 * without its init (bug), the cleanup deletes the index its zero-
 * initialised variable holds: the key of whichever module created it.
 * UNSET_KEY is that zero, or under ASan (whose runtime owns key 0) the
 * index of the program's first key. */
#include <pthread.h>
#include <threads.h>

#ifndef UNSET_KEY
#define UNSET_KEY 0
#endif

int owner_make_key(pthread_key_t *key);
void owner_set(pthread_key_t key, void *value);

static pthread_key_t lib_key = UNSET_KEY;

void lib_init(void)
{
	pthread_key_create(&lib_key, NULL);
}

/* The same, through the owner's helper. */
void lib_init_by_helper(void)
{
	owner_make_key(&lib_key);
}

/* A key another module created and handed over: used, then deleted. */
void lib_take(pthread_key_t key)
{
	static int token;
	pthread_setspecific(key, &token);
	pthread_setspecific(key, NULL);
	pthread_key_delete(key);
}

/* A key handed over and filled through the owner's helper, then deleted. */
void lib_fill_and_drop(pthread_key_t key)
{
	static int token;
	owner_set(key, &token);
	owner_set(key, NULL);
	pthread_key_delete(key);
}

void lib_cleanup(void)
{
	pthread_key_delete(lib_key); /* DELETE-UNSET */
}

/* The same cleanup of a C11 key. */
static tss_t lib_tss = UNSET_KEY;

void lib_cleanup_c11(void)
{
	tss_delete(lib_tss); /* TSS-DELETE-UNSET */
}
