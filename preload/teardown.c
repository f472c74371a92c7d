/* The end of a thread.  In each round of key destructors glibc walks the
 * keys in ascending index, and it runs nothing interposable after the last
 * round, so the last of our own calls in a thread's teardown judges it.
 * Those calls are the destructor of a key of ours (the hook, set in every
 * thread: a call even when no key holds a value) and the thunks of keys
 * with destructors.  After each one: while a later call of ours is due in
 * this round (the hook's, or a thunk's at a higher index), it waits for
 * that one.  Otherwise it settles the round:
 *   - a value in a key with no destructor was dropped: tsd-leak;
 *   - a value in a key with a destructor will be handed over in the next
 *     round, unless this was the last round (dtor-exhausted).
 * When no value is left, the thread's dictionary is finished (key
 * destructors may still use it); if its destructors set key values, rounds
 * go on.  Then the thread is finished.
 *
 * The hook key sits at the highest free index, so that the program's own
 * keys get the indexes they get without tsswatch (glibc hands out the
 * lowest free one).  It need not come last for the judgement above to
 * hold, and it does not where threads ran before tsswatch started (see
 * create_hook_lowest).  While a round leaves the thread unsettled before its last round,
 * the hook is set again: it is a later call of ours that no other thread's
 * key delete can take away. */
#include <signal.h>
#include <sys/single_threaded.h>

#include "dict.h"
#include "keys.h"
#include "thread_record.h"

pthread_key_t tsw_hook_key = TSW_KEYS_MAX;   /* none yet */

static void report(struct tsw_thread *t, enum tsw_kind kind, const struct tsw_slot *s,
		   unsigned idx)
{
	tsw_thread_mark_leaked(t);
	uintptr_t value = (uintptr_t)__atomic_load_n(&s->value, __ATOMIC_RELAXED);
	struct tsw_stack_ref st[] = { { "set", tsw_slot_stack(s), 0 },
				      { "key_create", tsw_keys[idx].create_stack, 0 },
				      { "thread_create", t->create_stack, 0 } };
	tsw_lost_finding(kind, t->serial, tsw_key_id(idx), value, NULL, st, 3);
}

/* T's slot at IDX if it holds a value: not unbound by a delete (which
 * said so). */
static struct tsw_slot *held(struct tsw_thread *t, unsigned idx)
{
	struct tsw_slot *s = tsw_slot_of(t, idx, false);
	return s && __atomic_load_n(&s->value, __ATOMIC_RELAXED) &&
		       __atomic_load_n(&s->set_pc, __ATOMIC_RELAXED)
		       ? s
		       : NULL;
}

/* Whether a thunk of ours is still due in this round: a value with a
 * destructor above index POS. */
static bool due_above(struct tsw_thread *t, unsigned pos)
{
	for (unsigned idx = pos + 1; idx < t->top; idx++)
		if (held(t, idx) && tsw_keys[idx].destructor)
			return true;
	return false;
}

/* Settles a round whose last call of ours was at index POS; returns how
 * many values destructors will still be handed. */
static unsigned settle(struct tsw_thread *t, unsigned pos, bool last)
{
	unsigned left = 0;
	for (unsigned idx = 0; idx < t->top; idx++) {
		struct tsw_slot *s = held(t, idx);
		if (!s)
			continue;
		if (!tsw_keys[idx].destructor)
			report(t, TSW_KIND_TSD_LEAK, s, idx);
		else if (idx > pos || !last) {
			left++;                      /* later this round, or the next */
			continue;
		} else
			report(t, TSW_KIND_DTOR_EXHAUSTED, s, idx);
		tsw_slot_put(s, NULL);
	}
	return left;
}

/* Sets the hook in the calling thread T: glibc will call it, in this
 * round if its index is still to come, else in the next. */
static bool set_hook(struct tsw_thread *t)
{
	tsw_thread_set_hook_pending(t, TSW_REAL(pthread_setspecific)(tsw_hook_key, t) == 0);
	return t->hook_pending;
}

void tsw_teardown_call(struct tsw_thread *t, unsigned pos)
{
	struct tsw_guard g;
	tsw_guard_hold(&g);
	if (tsw_in_new_process())
		tsw_forked();
	/* Within a round our calls come in ascending index. */
	bool more = tsw_thread_teardown_call(t, pos) < TSW_ROUNDS;
	/* A set hook comes later in this round, or in the next unless this
	 * is the last. */
	bool hook_due = t->hook_pending && (pos < tsw_hook_key || more);
	bool finished = false;
	if (!hook_due && !due_above(t, pos)) {
		/* The dictionary's destructors may set key values: more calls. */
		finished = settle(t, pos, !more) == 0 &&
			   !(tsw_dict_finish(t, true) && settle(t, pos, !more) > 0);
		if (finished)
			tsw_thread_finished(t);
	}
	if (!finished && !t->hook_pending && more)
		set_hook(t);
	tsw_guard_leave(&g);
}

/* Its value is the thread's record; anything else (the thread finished, or
 * a program's stray set through a key it deleted) is not ours to read. */
static void hook_called(void *arg)
{
	struct tsw_thread *t = tsw_self_record();
	if (!t || arg != t)
		return;
	tsw_thread_set_hook_pending(t, false);
	tsw_teardown_call(t, tsw_hook_key);
}

/* The main thread at exit with report_main=1: exit() runs no key
 * destructors, so every value left in a key without one is dropped. */
void tsw_teardown_at_exit(struct tsw_thread *t)
{
	for (unsigned idx = 0; idx < t->top; idx++) {
		struct tsw_slot *s = held(t, idx);
		if (s && !tsw_keys[idx].destructor)
			report(t, TSW_KIND_TSD_LEAK, s, idx);
	}
	tsw_dict_finish(t, false);
}

/* The hook key at the highest free index.  glibc hands out the lowest
 * free index, so every free key is created, the last one kept and the
 * others deleted.  While that runs no other create can succeed: it is done
 * only while the process has one thread, with signals blocked so that no
 * handler's create fails either.  HELD: the caller's lock guards it, as it
 * is too large for a host thread's stack. */
static bool create_hook_highest(pthread_key_t held[TSW_KEYS_MAX])
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int n = 0;
	while (n < TSW_KEYS_MAX && TSW_REAL(pthread_key_create)(&held[n], hook_called) == 0)
		n++;
	if (n > 0)
		__atomic_store_n(&tsw_hook_key, held[--n], __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++)
		TSW_REAL(pthread_key_delete)(held[i]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return tsw_hook_key < TSW_KEYS_MAX;
}

/* Where other threads already run (they started before tsswatch did, or
 * it was loaded by dlopen), holding every key would make their creates
 * fail.  The hook then takes the lowest free index that no key of the
 * program's had, so that a stale use of a key it deleted does not reach
 * ours; the program's later keys may get indexes one higher than without
 * tsswatch. */
static bool create_hook_lowest(pthread_key_t held[TSW_KEYS_MAX])
{
	pthread_key_t k;
	int n = 0;
	bool ok = false;
	while (n < TSW_KEYS_MAX && TSW_REAL(pthread_key_create)(&k, hook_called) == 0) {
		if (k >= TSW_KEYS_MAX || !__atomic_load_n(&tsw_keys[k].gen, __ATOMIC_RELAXED)) {
			__atomic_store_n(&tsw_hook_key, k, __ATOMIC_RELEASE);
			ok = true;
			break;
		}
		held[n++] = k;
	}
	for (int i = 0; i < n; i++)
		TSW_REAL(pthread_key_delete)(held[i]);
	return ok;
}

/* Lock held. */
static bool create_hook(void)
{
	static pthread_key_t held[TSW_KEYS_MAX];
	return __libc_single_threaded ? create_hook_highest(held) : create_hook_lowest(held);
}

/* The hook key is taken when first needed: by the first pthread_create
 * (its creator must be armed), or a pthread_exit before any, so that a
 * program that never runs a second thread keeps every key. */
static bool take_hook(void)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int state;         /* 0: not yet; 1: taken; -1: none free */
	int st = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
	if (TSW_LIKELY(st != 0))
		return st > 0;
	pthread_mutex_lock(&lock);
	if (!state) {
		bool ok = create_hook();
		if (!ok) {
			static const char msg[] = "tsswatch: no free key for the thread-exit hook; "
						  "thread exits are not checked\n";
			(void)!tsw_write(2, msg, sizeof msg - 1);
		}
		__atomic_store_n(&state, ok ? 1 : -1, __ATOMIC_RELEASE);
	}
	st = state;
	pthread_mutex_unlock(&lock);
	return st > 0;
}

/* glibc gives a thread a 512-byte block for its keys 32 and up at the
 * first value set in one, and frees it as the thread ends.  The hook key,
 * at the highest index, makes one for every thread, and a fork child
 * never ends the parent's other threads:
 * LeakSanitizer in an ASan-built child would report their blocks, which
 * the host never asked for.  So it does not look while the hook is armed.
 * Weak: bound only when a sanitizer runtime is loaded. */
extern void __lsan_disable(void) __attribute__((weak));
extern void __lsan_enable(void) __attribute__((weak));

void tsw_teardown_arm(struct tsw_thread *t)
{
	if (t->armed || !take_hook())
		return;
	if (__lsan_disable)
		__lsan_disable();
	tsw_thread_set_armed(t, set_hook(t));
	if (__lsan_enable)
		__lsan_enable();
}
