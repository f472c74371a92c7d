/* A library that owns a key: created at its init, used, deleted at its
 * fini.  Also a helper that creates keys for other modules. */
#include <pthread.h>
#include <stdlib.h>

static pthread_key_t owner_key;

void owner_init(void)
{
	pthread_key_create(&owner_key, free); /* OWNER-CREATE */
	pthread_setspecific(owner_key, malloc(16));
}

/* What the owner's key holds now; EINVAL from a set once someone else
 * deleted it. */
int owner_use(void)
{
	return pthread_setspecific(owner_key, pthread_getspecific(owner_key));
}

void owner_fini(void)
{
	free(pthread_getspecific(owner_key));
	pthread_setspecific(owner_key, NULL);
	pthread_key_delete(owner_key);
}

/* A key created here for a caller in another module. */
int owner_make_key(pthread_key_t *key)
{
	return pthread_key_create(key, NULL); /* HELPER-CREATE */
}

/* Another create site: a site's stack is the first one that reached it. */
int owner_make_other_key(pthread_key_t *key)
{
	return pthread_key_create(key, NULL);
}

/* A value set in a key for a caller in another module. */
void owner_set(pthread_key_t key, void *value)
{
	pthread_setspecific(key, value);
}
