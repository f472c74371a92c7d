/* The writes to a thread record (struct tsw_thread, tsw.h) that files
 * other than threads.c make: threads.c owns the record, and every other
 * file changes a field only through a function here, so that a grep for
 * a field's writes finds this header and threads.c.
 *
 * Each is a single store or increment, inline because a call would cost
 * more than the write, and several run on every key create, delete, set
 * or destructor call.  Who calls each is said beside it.
 *
 * One writer remains outside: the set fast path (tsw_key_set_fast in
 * tsw.h) writes values_set and the slot itself, because tsw.h cannot
 * include this header and that path must stay one function.  tsw.h's
 * tsw_slot_of, which allocates second[] blocks, is threads.c's own. */
#ifndef TSW_THREAD_RECORD_H
#define TSW_THREAD_RECORD_H

#include "tsw.h"

#pragma GCC visibility push(hidden)

/* key_values.c: a non-NULL value set through a key. */
static inline void tsw_thread_count_set(struct tsw_thread *t)
{
	t->values_set++;
}

/* key_values.c, dict.c: a destructor handed a value of T's. */
static inline void tsw_thread_count_dtor_call(struct tsw_thread *t)
{
	t->destructor_calls++;
}

/* keys.h: a key created (CREATED) or deleted by T. */
static inline void tsw_thread_count_key(struct tsw_thread *t, bool created)
{
	++*(created ? &t->keys_created : &t->keys_deleted);
}

/* key_values.c: T bound a slot at IDX. */
static inline void tsw_thread_bound(struct tsw_thread *t, unsigned idx)
{
	if (idx >= t->top)
		t->top = idx + 1;
}

/* teardown.c, dict.c: T finished, or will, with storage unreleased. */
static inline void tsw_thread_mark_leaked(struct tsw_thread *t)
{
	t->leaked = true;
}

/* thread_hooks.c: how T's start routine ended (enum tsw_how). */
static inline void tsw_thread_ended(struct tsw_thread *t, int how)
{
	t->how = how;
}

/* thread_hooks.c: the host's start routine and argument, before the real
 * pthread_create or thrd_create. */
static inline void tsw_thread_set_start(struct tsw_thread *t, void *(*start)(void *), void *arg)
{
	t->start = start;
	t->start_arg = arg;
}

static inline void tsw_thread_set_start_c11(struct tsw_thread *t, int (*start)(void *), void *arg)
{
	t->start_c11 = start;
	t->start_arg = arg;
}

/* teardown.c: the hook holds T's record (ARMED); glibc will call it
 * (PENDING). */
static inline void tsw_thread_set_armed(struct tsw_thread *t, bool armed)
{
	t->armed = armed;
}

static inline void tsw_thread_set_hook_pending(struct tsw_thread *t, bool pending)
{
	t->hook_pending = pending;
}

/* teardown.c: a call of ours at key index POS in T's teardown; a call at
 * or below the last one starts a round.  Returns the rounds seen. */
static inline int tsw_thread_teardown_call(struct tsw_thread *t, unsigned pos)
{
	if (t->rounds == 0 || pos <= t->pos)
		t->rounds++;
	t->pos = pos;
	return t->rounds;
}

/* dict.c: T's dictionary, NULL once freed. */
static inline void tsw_thread_set_dict(struct tsw_thread *t, struct tsw_dict *d)
{
	t->dict = d;
}

/* tls_dtors.c: T's Ith remembered module of thread_local objects, named
 * by DSO.  The module is read by a dlclose in another thread. */
static inline void tsw_thread_pin(struct tsw_thread *t, int i, uintptr_t dso, uint32_t module)
{
	t->tls_dso[i] = dso;
	__atomic_store_n(&t->tls_module[i], module, __ATOMIC_RELAXED);
}

/* A slot's writes: its value, and its binding to the site of the set
 * that made it non-NULL.  A binding is sequentially consistent because
 * the setter then reads the key's state, as a delete claims the key and
 * then reads the bindings; the rest are relaxed (plain moves on x86). */
static inline void tsw_slot_put(struct tsw_slot *s, const void *value)
{
	__atomic_store_n(&s->value, (void *)value, __ATOMIC_RELAXED);
}

static inline void tsw_slot_bind(struct tsw_slot *s, uintptr_t pc)
{
	__atomic_store_n(&s->set_pc, pc, __ATOMIC_SEQ_CST);
}

static inline void tsw_slot_unbind(struct tsw_slot *s)
{
	__atomic_store_n(&s->set_pc, 0, __ATOMIC_RELAXED);
}

#pragma GCC visibility pop

#endif
