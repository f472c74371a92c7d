/* A key deleted before the program's first thread: its index is free when
 * tsswatch takes a key of its own, but a stale use of the old handle must
 * still fail as it does without tsswatch (glibc: EINVAL), not reach
 * tsswatch's key. */
#include "common.h"

static pthread_key_t old;

static void *stale(void *arg)
{
	printf("stale set: %d\n", pthread_setspecific(old, arg)); /* STALE-SET */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_key_create(&old, free);
	pthread_key_delete(old);
	pthread_create(&t, NULL, nothing, NULL);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, stale, &old);
	pthread_join(t, NULL);
	printf("second delete: %d\n", pthread_key_delete(old));
	return 0;
}
