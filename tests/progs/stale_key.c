/* Bug: a call site keeps using a key after it was deleted, and again after
 * its index was taken by a key created elsewhere. */
#include "common.h"

static pthread_key_t cache_key;

static void remember(void *p)
{
	pthread_setspecific(cache_key, p); /* USE */
}

static void remember_deleted(void *p)
{
	pthread_setspecific(cache_key, p); /* DELETED-USE */
}

static void remember_later(void *p)
{
	pthread_setspecific(cache_key, p); /* LATER-USE */
}

static pthread_key_t create_other(void)
{
	pthread_key_t k;
	pthread_key_create(&k, NULL); /* OTHER-CREATE */
	return k;
}

int main(void)
{
	static char a, b;
	pthread_key_create(&cache_key, NULL); /* CACHE-CREATE */
	remember(&a);
	remember(NULL);
	pthread_key_delete(cache_key); /* CACHE-DELETE */
	remember_deleted(&b);          /* deleted: EINVAL */
	pthread_key_t other = create_other();
	printf("same index: %d\n", other == cache_key);
	remember_later(&a);            /* first use: fine for all it knows */
	remember_later(NULL);
	remember(&a);                  /* now someone else's key */
	remember(NULL);
	pthread_key_delete(other);
	return 0;
}
