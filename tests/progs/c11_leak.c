/* Bug, with C11 threads: a tss key without a destructor left holding
 * memory, and a thread never joined. */
#include <threads.h>
#include "common.h"

static tss_t key;
static pid_t tid;

static int worker(void *arg)
{
	(void)arg;
	tss_set(key, xmalloc(24)); /* C11-SET */
	return 7;
}

static int forgotten(void *arg)
{
	(void)arg;
	__atomic_store_n(&tid, gettid(), __ATOMIC_RELEASE);
	return 0;
}

int main(void)
{
	thrd_t t, u;
	int res = 0;
	tss_create(&key, NULL); /* C11-KEY */
	thrd_create(&u, forgotten, NULL); /* C11-UNJOINED */
	while (!__atomic_load_n(&tid, __ATOMIC_ACQUIRE))
		sched_yield();
	wait_gone(tid);
	thrd_create(&t, worker, NULL); /* C11-CREATE */
	thrd_join(t, &res);
	tss_delete(key);
	printf("result: %d\n", res);
	return 0;
}
