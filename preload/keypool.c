/* The key pools (see tsw.h): emptied when a thread finishes, when glibc
 * runs out of keys, and in a fork child for the threads it has not got. */
#include <linux/membarrier.h>
#include <sched.h>

#include "tsw.h"

volatile int tsw_pool_off;

static int barrier(int cmd)
{
	return (int)syscall(SYS_membarrier, cmd, 0, 0);
}

/* Without the expedited barrier a drain could not be made safe: no pools.
 * A fork child keeps the registration with its memory (Linux copies the
 * mm's membarrier state); a new one is made at every exec. */
void tsw_pool_init(void)
{
	int cmds = barrier(MEMBARRIER_CMD_QUERY);
	if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ||
	    barrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0)
		tsw_pool_off = 1;
}

/* T's pooled key deleted in glibc.  T runs no pool operation: it has
 * finished, is waited out by a drain, or is not in a fork child. */
static void release(struct tsw_thread *t)
{
	unsigned p = __atomic_load_n(&t->pool, __ATOMIC_RELAXED);
	__atomic_store_n(&t->pool, 0, __ATOMIC_RELAXED);
	if (p)
		tsw_key_unpool(p - 1);
}

void tsw_pool_release_own(struct tsw_thread *self)
{
	if (!__atomic_load_n(&self->pool, __ATOMIC_RELAXED) || !tsw_pool_begin(self))
		return;           /* pooling is off: a drain takes it */
	unsigned p = __atomic_load_n(&self->pool, __ATOMIC_RELAXED);
	__atomic_store_n(&self->pool, 0, __ATOMIC_RELAXED);
	tsw_pool_end(self);
	if (p)
		tsw_key_unpool(p - 1);
}

/* glibc has no key left: every pool is emptied, and pooling stays off
 * (a process this near the limit would only fill them again).  After the
 * barrier an owner either sees pooling off or is seen busy; one that stays
 * busy (a signal handler of its own blocked inside the operation) keeps
 * its key. */
bool tsw_pools_drain(void)
{
	if (tsw_pool_off)
		return false;
	tsw_pool_off = 1;
	if (barrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
		return false;
	bool freed = false;
	pthread_mutex_lock(&tsw_reg_lock);
	for (struct tsw_thread *t = tsw_threads; t; t = t->next) {
		for (int spins = 0; t->pool_busy && spins < 1000; spins++)
			sched_yield();
		if (t->pool_busy || !__atomic_load_n(&t->pool, __ATOMIC_RELAXED))
			continue;
		release(t);
		freed = true;
	}
	pthread_mutex_unlock(&tsw_reg_lock);
	return freed;
}

/* Waits out an operation on K of its creator's that began before the
 * caller's announcement became visible; bounded, as in a drain. */
void tsw_pool_contest(struct tsw_key *k)
{
	if (tsw_pool_off || barrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
		return;
	for (int spins = 0; __atomic_load_n(&k->pooling, __ATOMIC_ACQUIRE) && spins < 100000; spins++)
		sched_yield();
}

/* The parent's other threads are not in the child: their keys are
 * deleted here, while the registry still names them. */
void tsw_pools_atfork_child(struct tsw_thread *self)
{
	for (struct tsw_thread *t = tsw_threads; t; t = t->next)
		if (t != self)
			release(t);
}
