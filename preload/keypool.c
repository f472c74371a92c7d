/* The key pools (see tsw.h): emptied when a thread finishes, when glibc
 * runs out of keys, and in a fork child for the threads it has not got. */
#include <errno.h>
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
		tsw_pool_off = TSW_POOL_UNSUPPORTED;
}

/* Every thread past a full barrier, then no operation of T's in progress.
 * The operations are a few plain stores with no call in them: unbounded. */
static void wait_out(const volatile int *busy)
{
	int saved = errno;
	(void)barrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);   /* registered at start-up */
	errno = saved;
	while (__atomic_load_n(busy, __ATOMIC_ACQUIRE))
		sched_yield();
}

/* T's pooled key taken out and deleted in glibc.  T runs no pool
 * operation: it has finished, is waited out by a drain, is not in a fork
 * child, or is the caller inside one. */
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
		return;           /* a drain takes it, or an operation it interrupts */
	release(self);
	tsw_pool_end(self);
}

/* glibc has no key left: every pool is emptied, and pooling stays off
 * (a process this near the limit would only fill them again).  After the
 * barrier an owner either sees pooling off or is seen busy, and waited
 * out.  Under the registry lock: two drains at once both return only when
 * every pool is empty.  True if pools could hold keys: the failed create
 * is worth trying again. */
bool tsw_pools_drain(void)
{
	if (tsw_pool_off == TSW_POOL_UNSUPPORTED)
		return false;
	pthread_mutex_lock(&tsw_reg_lock);
	if (tsw_pool_off != TSW_POOL_DRAINED) {
		tsw_pool_off = TSW_POOL_DRAINED;
		for (struct tsw_thread *t = tsw_threads; t; t = t->next) {
			wait_out(&t->pool_busy);
			release(t);
		}
	}
	pthread_mutex_unlock(&tsw_reg_lock);
	return true;
}

/* Waits out an operation on K of its creator's that began before the
 * caller's announcement became visible. */
void tsw_pool_contest(struct tsw_key *k)
{
	if (tsw_pool_off != TSW_POOL_UNSUPPORTED)
		wait_out(&k->pooling);
}

/* The parent's other threads are not in the child: their keys are
 * deleted here, while the registry still names them. */
void tsw_pools_atfork_child(struct tsw_thread *self)
{
	for (struct tsw_thread *t = tsw_threads; t; t = t->next)
		if (t != self)
			release(t);
	if (self)
		self->pool_busy = 0;     /* a fork from a signal handler inside one */
}
