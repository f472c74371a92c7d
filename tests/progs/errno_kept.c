/* tsswatch changes neither results nor errno: every hooked call is made
 * with errno set to a sentinel, and must leave it as plain glibc does. */
#include <errno.h>
#include <threads.h>
#include "common.h"

static void *worker(void *arg) { return arg; }
static int c11_worker(void *arg) { (void)arg; return 5; }

#define SAME(call) do { errno = 4242; call; if (errno != 4242) { printf("errno changed by %s: %d\n", #call, errno); bad++; } } while (0)

int main(void)
{
	int bad = 0, rc;
	pthread_key_t k;
	pthread_t t;
	thrd_t c;
	tss_t tk;
	SAME(rc = pthread_key_create(&k, free));
	SAME(pthread_setspecific(k, xmalloc(4)));
	SAME(pthread_getspecific(k));
	SAME(pthread_create(&t, NULL, worker, (void *)7));
	void *ret;
	SAME(pthread_join(t, &ret));
	SAME(rc = pthread_join(t, NULL));
	printf("second join: %d, ret %ld\n", rc, (long)ret);
	SAME(pthread_key_delete(k));
	SAME(rc = pthread_setspecific(k, &k));
	printf("set on deleted key: %d\n", rc);
	SAME(tss_create(&tk, NULL));
	SAME(tss_set(tk, &tk));
	SAME(thrd_create(&c, c11_worker, NULL));
	int res;
	SAME(thrd_join(c, &res));
	printf("c11 result: %d\n", res);
	SAME(tss_set(tk, NULL));
	SAME(tss_delete(tk));
	SAME(rc = tss_set(tk, &tk));
	printf("tss_set on deleted key: %d\n", rc);
	SAME(rc = tss_set(5000, &tk));
	printf("tss_set on no key: %d\n", rc);
	printf("errno changes: %d\n", bad);
	return 0;
}
