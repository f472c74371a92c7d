/* A getspecific of a deleted key: only checked with check_get=1. */
#include "common.h"

static pthread_key_t key;

int main(void)
{
	pthread_key_create(&key, NULL);
	pthread_key_delete(key);
	void *v = pthread_getspecific(key); /* STALE-GET */
	printf("value: %p\n", v);
	return 0;
}
