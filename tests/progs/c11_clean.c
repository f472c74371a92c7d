/* Clean twin of c11_leak: a tss key with a destructor, threads joined and
 * detached, and the start routine's int result passed through. */
#include <threads.h>
#include "common.h"

static tss_t key;

static int worker(void *arg)
{
	tss_set(key, xmalloc(24));
	return arg ? 3 : 7;
}

int main(void)
{
	thrd_t t;
	int res = 0;
	tss_create(&key, free);
	thrd_create(&t, worker, NULL);
	thrd_join(t, &res);
	tss_delete(key);
	printf("result: %d\n", res);
	return 0;
}
