/* Bug: a loop creates keys until none is left. */
#include <errno.h>
#include <limits.h>
#include "common.h"

static pthread_key_t keys[PTHREAD_KEYS_MAX + 1];

static int make_key(pthread_key_t *k)
{
	return pthread_key_create(k, NULL); /* EXHAUST */
}

int main(void)
{
	int n = 0, rc;
	while ((rc = make_key(&keys[n])) == 0)
		n++;
	printf("created %d, then %s\n", n, rc == EAGAIN ? "EAGAIN" : "other");
	for (int i = 0; i < n; i++)
		pthread_key_delete(keys[i]);
	return 0;
}
