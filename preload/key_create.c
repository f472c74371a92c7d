/* pthread_key_create and tss_create: the common create, from a known
 * call site in a thread with a record, takes no lock, logs nothing and
 * needs no recursion guard (glibc's key functions leave errno alone); a
 * new site, a thread to adopt, or a create that fails enter the guard. */
#include <errno.h>

#include "keys.h"

/* pthread_key_create's result, for either API: a failed C11 create is
 * taken for exhaustion, the only way glibc's can fail. */
static inline __attribute__((always_inline)) int real_create(unsigned *key, tsw_dtor_fn *dtor,
								enum tsw_api api)
{
	if (api == TSW_C11)
		return TSW_REAL(tss_create)(key, dtor) == thrd_success ? 0 : EAGAIN;
	return TSW_REAL(pthread_key_create)(key, dtor);
}

/* A sanitizer runtime's own key: its index is no key of ours now. */
static int create_untracked(unsigned *key, tsw_dtor_fn *dtor, enum tsw_api api)
{
	int rc = real_create(key, dtor, api);
	if (rc == 0)
		tsw_key_untrack(*key);
	return rc;
}

/* RC, which is pthread_key_create's result, as the caller's API says it. */
static int create_result(int rc, enum tsw_api api)
{
	return api == TSW_C11 ? (rc ? thrd_error : thrd_success) : rc;
}

/* A tracked create takes no lock and logs nothing.  It is inline so that
 * the common case, which knows its site and thread, makes no call but
 * glibc's. */
static inline __attribute__((always_inline)) int
create_tracked(unsigned *key, tsw_dtor_fn *dtor, uint32_t stack, uint32_t module,
	       struct tsw_thread *self, enum tsw_api api)
{
	int n = dtor ? tsw_thunk_take() : -1;
	int rc = real_create(key, n >= 0 ? tsw_thunk_fns[n] : dtor, api);
	if (rc != 0) {
		tsw_thunk_give(n);
		return rc;
	}
	tsw_key_begin(*key, dtor, n, stack, module, self);
	return 0;
}

/* A tracked create failed.  glibc says EAGAIN when no key is left (a C11
 * create says only that it failed): the sites that hold the keys are
 * reported. */
__attribute__((noinline, cold)) static int
create_failed(struct tsw_guard *g, int rc, uint32_t stack, struct tsw_thread *self,
	      enum tsw_api api)
{
	if (rc == EAGAIN && tsw_guard_enter(g)) {
		struct tsw_stack_ref st[4] = { { "create", stack, 0 } };
		unsigned held;
		int k = tsw_keys_top_creators(st + 1, &held);
		tsw_budget_log();
		tsw_finding(TSW_KIND_KEY_EXHAUSTION, self ? self->serial : 0, 0, 0, held,
			    api == TSW_C11 ? "tss_create" : "pthread_key_create", st, 1 + k);
	}
	return create_result(rc, api);
}

/* A create that needs the guard from the start: from a new call site
 * (its stack is captured), by a thread to adopt, or before start-up. */
__attribute__((noinline)) static int create_guarded(unsigned *key, tsw_dtor_fn *dtor,
						     uintptr_t pc, enum tsw_api api)
{
	struct tsw_guard g = TSW_GUARD_INIT;
	if (!tsw_guard_enter(&g))
		return create_result(real_create(key, dtor, api), api);
	struct tsw_site *site = tsw_site_of(pc);
	int ret;
	if (site && site->hidden) {
		ret = create_result(create_untracked(key, dtor, api), api);
	} else {
		struct tsw_thread *self = tsw_self_or_adopt();
		uint32_t stack = site ? site->stack : 0;
		uint32_t module = site ? site->module : 0;
		int rc = create_tracked(key, dtor, stack, module, self, api);
		ret = rc == 0 ? create_result(0, api) : create_failed(&g, rc, stack, self, api);
	}
	tsw_guard_leave(&g);
	return ret;
}

/* A create from a known site in a thread with a record. */
__attribute__((noinline)) static int create_known(unsigned *key, tsw_dtor_fn *dtor,
						   const struct tsw_site *site,
						   struct tsw_thread *self, enum tsw_api api)
{
	int rc = create_tracked(key, dtor, site->stack, site->module, self, api);
	if (TSW_LIKELY(rc == 0))
		return 0;                  /* thrd_success too */
	struct tsw_guard g = TSW_GUARD_INIT;
	int ret = create_failed(&g, rc, site->stack, self, api);
	tsw_guard_leave(&g);
	return ret;
}

/* A create from a known call site in a thread with a record needs no
 * guard. */
int tsw_key_create(unsigned *key, tsw_dtor_fn *dtor, uintptr_t pc, enum tsw_api api)
{
	struct tsw_thread *self = tsw_self_record();
	struct tsw_site *site;
	if (TSW_UNLIKELY(!tsw_can_enter() || !self || !(site = tsw_site_cached(pc))))
		return create_guarded(key, dtor, pc, api);
	if (TSW_UNLIKELY(site->hidden))
		return create_result(create_untracked(key, dtor, api), api);
	return create_known(key, dtor, site, self, api);
}
