/* The end of a thread.  Nothing interposable runs after glibc's last round
 * of key destructors, so tsswatch owns the key with the highest index:
 * rounds walk keys in ascending order, so its destructor is the last call
 * of every round.  Each call settles what that round decided:
 *   - a value in a key with no destructor was dropped: tsd-leak;
 *   - a value in a key with a destructor that is still held was set after
 *     the key's turn this round: another round will hand it over, unless
 *     this was the last round (dtor-exhausted);
 * and re-arms the key only while some value is left, so a thread with
 * nothing left costs one call.  When no key value is left, the thread's
 * dictionary is finished (key destructors may still use it), and if its
 * destructors set key values, rounds go on.  Then the thread is finished. */
#include <sys/single_threaded.h>

#include "dict.h"
#include "tsw.h"

pthread_key_t tsw_hook_key;

static void report(struct tsw_thread *t, enum tsw_kind kind, const struct tsw_slot *s,
		   unsigned idx)
{
	t->leaked = true;
	uintptr_t value = (uintptr_t)__atomic_load_n(&s->value, __ATOMIC_RELAXED);
	if (!tsw_owned_pointer(value))
		return;                      /* a flag or small integer, not memory */
	struct tsw_stack_ref st[] = { { "set", tsw_slot_stack(s), 0 },
				      { "key_create", tsw_keys[idx].create_stack, 0 },
				      { "thread_create", t->create_stack, 0 } };
	tsw_finding(kind, t->serial, tsw_key_id(idx), value, 0, NULL, st, 3);
}

/* Settles one round; returns how many values another round will hand to
 * their destructors. */
static unsigned settle(struct tsw_thread *t, bool last)
{
	unsigned left = 0;
	for (unsigned b = 0; b < TSW_BLOCKS; b++) {
		struct tsw_slot *blk = b ? t->second[b] : t->first;
		for (unsigned i = 0; blk && i < TSW_SLOTS_PER_BLOCK; i++) {
			struct tsw_slot *s = &blk[i];
			unsigned idx = b * TSW_SLOTS_PER_BLOCK + i;
			if (!__atomic_load_n(&s->value, __ATOMIC_RELAXED) || !__atomic_load_n(&s->set_pc, __ATOMIC_RELAXED))
				continue;            /* unbound: orphaned by a delete, which said so */
			const struct tsw_key *k = &tsw_keys[idx];
			if (!k->destructor)
				report(t, TSW_KIND_TSD_LEAK, s, idx);
			else if (!last) {
				left++;
				continue;
			} else if (idx < tsw_hook_key)
				report(t, TSW_KIND_DTOR_EXHAUSTED, s, idx);
			/* else: above our key (loaded late), its turn is still to come */
			__atomic_store_n(&s->value, NULL, __ATOMIC_RELAXED);
		}
	}
	return left;
}

static void round_end(void *arg)
{
	struct tsw_thread *t = arg;
	tsw_busy = 1;
	if (tsw_in_new_process())
		tsw_forked();
	bool last = ++t->rounds >= TSW_ROUNDS;
	/* The dictionary's destructors may set key values: more rounds. */
	if (settle(t, last) == 0 && !(tsw_dict_finish(t, true) && settle(t, last) > 0)) {
		tsw_thread_finished(t);
		tsw_busy = 0;
		return;
	}
	TSW_REAL(pthread_setspecific)(tsw_hook_key, t);
	tsw_busy = 0;
}

/* The main thread at exit with report_main=1: exit() runs no key
 * destructors, so every value left in a key without one is dropped. */
void tsw_teardown_at_exit(struct tsw_thread *t)
{
	for (unsigned b = 0; b < TSW_BLOCKS; b++) {
		struct tsw_slot *blk = b ? t->second[b] : t->first;
		for (unsigned i = 0; blk && i < TSW_SLOTS_PER_BLOCK; i++) {
			unsigned idx = b * TSW_SLOTS_PER_BLOCK + i;
			if (__atomic_load_n(&blk[i].value, __ATOMIC_RELAXED) && __atomic_load_n(&blk[i].set_pc, __ATOMIC_RELAXED) &&
			    !tsw_keys[idx].destructor)
				report(t, TSW_KIND_TSD_LEAK, &blk[i], idx);
		}
	}
	tsw_dict_finish(t, false);
}

/* Takes the highest free key index: glibc gives the lowest free one, so
 * take every free index, keep the last, give the others back.  Only while
 * the process is single-threaded: other threads' creates would fail
 * meanwhile. */
static bool take_highest(void)
{
	static pthread_key_t taken[TSW_KEYS_MAX];
	int n = 0;
	while (n < TSW_KEYS_MAX && TSW_REAL(pthread_key_create)(&taken[n], NULL) == 0)
		n++;
	if (n == 0)
		return false;
	TSW_REAL(pthread_key_delete)(taken[n - 1]);
	bool ok = TSW_REAL(pthread_key_create)(&tsw_hook_key, round_end) == 0;
	for (int i = 0; i < n - 1; i++)
		TSW_REAL(pthread_key_delete)(taken[i]);
	return ok;
}

/* The hook key is taken when first needed: by the first pthread_create
 * (the process is still single-threaded, and its creator must be armed),
 * or a pthread_exit before any: a program that never runs a second thread
 * pays nothing (taking the highest index costs glibc O(n^2) steps).  When
 * threads already run (the library was loaded late, or they were created
 * past our hooks) the hook takes the lowest free index, and the last round
 * cannot be judged for keys above it. */
static bool take_hook(void)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int state;         /* 0: not yet; 1: taken; -1: none free */
	int st = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
	if (TSW_LIKELY(st != 0))
		return st > 0;
	pthread_mutex_lock(&lock);
	if (!state) {
		bool ok = __libc_single_threaded
				  ? take_highest()
				  : TSW_REAL(pthread_key_create)(&tsw_hook_key, round_end) == 0;
		if (!ok) {
			static const char msg[] = "tsswatch: no free key for the thread-exit hook; "
						  "thread exits are not checked\n";
			(void)!tsw_write(2, msg, sizeof msg - 1);
		}
		__atomic_store_n(&state, ok ? 1 : -1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&lock);
	return state > 0;
}

/* glibc gives a thread a 512-byte block for its keys 32 and up at the
 * first value set in one, and frees it as the thread ends.  Our hook key
 * makes one for every thread, and a fork child never ends the parent's
 * other threads: LeakSanitizer in an ASan-built child would report their
 * blocks, which the host never asked for.  So it does not look while the
 * hook is armed.  Weak: bound only when a sanitizer runtime is loaded. */
extern void __lsan_disable(void) __attribute__((weak));
extern void __lsan_enable(void) __attribute__((weak));

void tsw_teardown_arm(struct tsw_thread *t)
{
	if (t->armed || !take_hook())
		return;
	if (__lsan_disable)
		__lsan_disable();
	TSW_REAL(pthread_setspecific)(tsw_hook_key, t);
	if (__lsan_enable)
		__lsan_enable();
	t->armed = true;
}
