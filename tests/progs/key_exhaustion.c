/* Bug: a loop creates keys until none is left.  With an argument, after a
 * thread ran: tsswatch has taken its one key by then. */
#include <errno.h>
#include <limits.h>
#include "common.h"

static pthread_key_t keys[PTHREAD_KEYS_MAX + 1];

static int make_key(pthread_key_t *k)
{
	return pthread_key_create(k, NULL); /* EXHAUST */
}

int main(int argc, char **argv)
{
	(void)argv;
	int n = 0, rc;
	if (argc > 1) {
		pthread_t t;
		pthread_create(&t, NULL, nothing, NULL);
		pthread_join(t, NULL);
	}
	while ((rc = make_key(&keys[n])) == 0)
		n++;
	printf("created %d, then %s\n", n, rc == EAGAIN ? "EAGAIN" : "other");
	for (int i = 0; i < n; i++)
		pthread_key_delete(keys[i]);
	return 0;
}
