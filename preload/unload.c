/* dangling-destructor: a dlclose unmapped the module that holds a live
 * key's destructor.  glibc keeps calling a key's destructor for every
 * thread that ends holding a value in it, and does not keep the module
 * loaded for that: the thread crashes in __nptl_deallocate_tsd.  The
 * finding is made at the dlclose, before anything can crash, when some
 * thread holds a value then, or at the first set of a value after it.
 * It replaces the key's key-leak; a key nobody holds a value in stays a
 * key-leak (an error, its module being unloaded).
 *
 * The main thread's values count only with report_main=1: a process that
 * ends by exit() runs no key destructors.
 *
 * The thunk (thunks.c) still calls such a destructor, as glibc would: a
 * host that crashes without tsswatch crashes under it, and `tsswatch run`
 * reports the finding with the signal's exit status. */

#include "keys.h"

struct dangle {
	uint32_t gen;             /* the key's generation it is about; 0: none */
	uint32_t dlclose_stack;
	tsw_dtor_fn *dtor;        /* the host's destructor, in the unloaded module */
	bool reported;
};
static struct dangle dangles[TSW_KEYS_MAX];   /* by key index */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t unloads_seen;                 /* under LOCK */
volatile int tsw_dangling;

/* Whether thread T's values would reach a key destructor. */
static bool counts(const struct tsw_thread *t)
{
	return t->state != TSW_FINISHED && (t->serial != 1 || tsw_opt.report_main);
}

/* The threads that hold a value in the key at IDX, one of them and one
 * set stack. */
static uint64_t holders(unsigned idx, uint64_t *serial, uint32_t *one_set)
{
	uint64_t n = 0;
	pthread_mutex_lock(&tsw_reg_lock);
	for (struct tsw_thread *t = tsw_threads; t; t = t->next) {
		struct tsw_slot *s = tsw_slot_of(t, idx, false);
		if (!s || !counts(t) || !__atomic_load_n(&s->set_pc, __ATOMIC_RELAXED) ||
		    !__atomic_load_n(&s->value, __ATOMIC_RELAXED))
			continue;
		if (!n++) {
			*serial = t->serial;
			*one_set = tsw_slot_stack(s);
		}
	}
	pthread_mutex_unlock(&tsw_reg_lock);
	return n;
}

static void report(unsigned idx, const struct dangle *d, uint64_t serial, uintptr_t value,
		   uint64_t n, uint32_t set_stack)
{
	uint32_t id = tsw_key_id(idx);
	if (!id)
		return;                   /* a value was set: the log knows it */
	struct tsw_stack_ref st[] = { { "dlclose", d->dlclose_stack, 0 },
				      { "key_create", tsw_keys[idx].create_stack, 0 },
				      { "set", set_stack, 0 } };
	tsw_finding(TSW_KIND_DANGLING_DESTRUCTOR, serial, id, value, n, NULL, st, 3);
}

/* The live keys whose destructor lies in the unloaded module M.  Lock held. */
static void module_gone(const struct tsw_range *m, uint32_t dlclose_stack)
{
	for (unsigned idx = 0; idx < TSW_KEYS_MAX; idx++) {
		const struct tsw_key *k = &tsw_keys[idx];
		uintptr_t dtor = (uintptr_t)k->destructor;
		if (__atomic_load_n(&k->state, __ATOMIC_ACQUIRE) != TSW_KEY_LIVE || dtor < m->lo ||
		    dtor >= m->hi)
			continue;
		struct dangle *d = &dangles[idx];
		d->gen = __atomic_load_n(&k->gen, __ATOMIC_RELAXED);
		d->dlclose_stack = dlclose_stack;
		d->reported = false;
		__atomic_store_n(&d->dtor, k->destructor, __ATOMIC_RELAXED);  /* thunks read it */
		__atomic_store_n(&tsw_dangling, 1, __ATOMIC_RELEASE);
		uint64_t serial = 0;
		uint32_t one_set = 0;
		uint64_t n = holders(idx, &serial, &one_set);
		if (n) {
			d->reported = true;
			report(idx, d, n == 1 ? serial : 0, 0, n, one_set);
		}
	}
}

void tsw_unload_check(uint32_t dlclose_stack)
{
	struct tsw_range gone[8];
	int n;
	pthread_mutex_lock(&lock);
	while ((n = tsw_modules_unloaded_since(&unloads_seen, gone, 8)) > 0)
		for (int i = 0; i < n; i++)
			module_gone(&gone[i], dlclose_stack);
	pthread_mutex_unlock(&lock);
}

void tsw_unload_set(unsigned idx, uint32_t gen, struct tsw_thread *t, const void *value,
		    uint32_t set_stack)
{
	if (idx >= TSW_KEYS_MAX || !counts(t))
		return;
	pthread_mutex_lock(&lock);
	struct dangle *d = &dangles[idx];
	if (d->gen == gen && !d->reported) {
		d->reported = true;
		report(idx, d, t->serial, (uintptr_t)value, 0, set_stack);
	}
	pthread_mutex_unlock(&lock);
}

bool tsw_unload_reported(unsigned idx, uint32_t gen)
{
	pthread_mutex_lock(&lock);
	bool r = dangles[idx].gen == gen && dangles[idx].reported;
	pthread_mutex_unlock(&lock);
	return r;
}

void tsw_unload_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
}
