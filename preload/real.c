/* The real functions behind our hooks, all resolved by tsw_resolve_all()
 * at start-up, before any lock of ours exists to be held: dlsym takes the
 * loader's lock, and a host inside dlopen holds that lock while its
 * constructors reach our hooks.  A hook that runs earlier resolves its own
 * function on the spot (dlsym(RTLD_NEXT) does not recurse for these in
 * glibc 2.36). */
#include <dlfcn.h>
#include <unistd.h>

#include "tsw.h"

void *tsw_real_fn[TSW_REAL_COUNT];

static const char *const names[TSW_REAL_COUNT] = {
#define TSW_REAL_NAME(name) #name,
	TSW_REAL_FUNCS(TSW_REAL_NAME)
#undef TSW_REAL_NAME
};

void *tsw_resolve(int which)
{
	struct tsw_guard g;
	tsw_guard_hold(&g);      /* dlsym's malloc may reach our hooks: forward them */
	void *f = dlsym(RTLD_NEXT, names[which]);
	tsw_guard_leave(&g);
	if (!f) {
		/* Only reached when the host calls a function its libc lacks. */
		TSW_REC(r, TSW_BUF_SMALL);
		tsw_rec_raw(&r, "tsswatch: cannot find the real ");
		tsw_rec_raw(&r, names[which]);
		tsw_rec_raw(&r, "; the program cannot go on\n");
		(void)!tsw_write(2, r.b, r.n);
		_exit(127);
	}
	__atomic_store_n(&tsw_real_fn[which], f, __ATOMIC_RELAXED);
	return f;
}

/* Stand-ins for set functions dlsym cannot find: the set hooks call the
 * real ones unchecked once a thread has a record, so the table holds these
 * instead of NULL, and a call says what is missing (tsw_resolve). */
static int missing_setspecific(pthread_key_t key, const void *value)
{
	return ((__typeof__(&pthread_setspecific))tsw_resolve(TSW_REAL_pthread_setspecific))(key,
												 value);
}

static int missing_tss_set(tss_t key, void *value)
{
	return ((__typeof__(&tss_set))tsw_resolve(TSW_REAL_tss_set))(key, value);
}

/* Unless a hook resolved WHICH meanwhile. */
static void stand_in(int which, void *fn)
{
	void *none = NULL;
	__atomic_compare_exchange_n(&tsw_real_fn[which], &none, fn, false, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
}

void tsw_resolve_all(void)
{
	for (int i = 0; i < TSW_REAL_COUNT; i++)
		if (!__atomic_load_n(&tsw_real_fn[i], __ATOMIC_RELAXED) && dlsym(RTLD_NEXT, names[i]))
			tsw_resolve(i);
	stand_in(TSW_REAL_pthread_setspecific, (void *)missing_setspecific);
	stand_in(TSW_REAL_tss_set, (void *)missing_tss_set);
}
