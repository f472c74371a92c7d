/* A value freed by another thread after its owner finished: the owner
 * hands its context to a reaper thread and keeps it in a key with no
 * destructor; the reaper waits until the owner has ended completely, then
 * frees it.  With "leak" the reaper drops it instead. */
#include "common.h"

#include <string.h>
#include <sys/syscall.h>

static pthread_key_t key;
static void *handed;
static pid_t owner_tid;
static int leak;

static void *owner(void *arg)
{
	void *ctx = xmalloc(48);
	pthread_setspecific(key, ctx); /* OWNER-SET */
	__atomic_store_n(&owner_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	__atomic_store_n(&handed, ctx, __ATOMIC_RELEASE);
	return arg;
}

static void *reaper(void *arg)
{
	void *ctx;
	while (!(ctx = __atomic_load_n(&handed, __ATOMIC_ACQUIRE)))
		sched_yield();
	wait_gone(__atomic_load_n(&owner_tid, __ATOMIC_ACQUIRE));
	__atomic_store_n(&handed, NULL, __ATOMIC_RELEASE);
	if (!leak)
		free(ctx);
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t o, r;
	leak = argc > 1 && !strcmp(argv[1], "leak");
	pthread_key_create(&key, NULL);
	pthread_create(&r, NULL, reaper, NULL);
	pthread_create(&o, NULL, owner, NULL);
	pthread_detach(o);
	pthread_join(r, NULL);
	pthread_key_delete(key);
	return 0;
}
