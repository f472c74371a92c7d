/* pthread_key_delete and tss_delete: the common delete, of a key never
 * used, from a known call site in a thread with a record, takes no lock
 * and needs no recursion guard; a delete of a key that was set or that
 * the log names unbinds every thread's slot of it and writes its D
 * record inside the guard. */
#include <errno.h>

#include "keys.h"

/* pthread_key_delete's result, for either API: tss_delete returns
 * nothing, so a C11 delete always succeeds. */
static inline __attribute__((always_inline)) int real_delete(unsigned idx, enum tsw_api api)
{
	if (api == TSW_C11) {
		TSW_REAL(tss_delete)(idx);
		return 0;
	}
	return TSW_REAL(pthread_key_delete)(idx);
}

/* The end of every delete: the claimed key K is left to the next create
 * (K is NULL when the key is not ours to count), then glibc deletes it. */
static inline __attribute__((always_inline)) int finish_delete(struct tsw_key *k, unsigned idx,
								 struct tsw_thread *self,
								 enum tsw_api api)
{
	int thunk = -1;
	if (k) {
		thunk = k->thunk;          /* kept: a fork child may need it back */
		tsw_key_deleted(k, self);
	}
	int rc = real_delete(idx, api);
	tsw_thunk_give(thunk);             /* glibc no longer hands it out */
	return rc;
}

/* A delete of K from a module other than its creator's: a foreign-key
 * when that module never received the key (foreign.c).  Named before the
 * real delete, so the report can say which key it was. */
__attribute__((noinline, cold)) static void check_foreign(struct tsw_guard *g, struct tsw_key *k,
							  unsigned idx, const struct tsw_site *site,
							  struct tsw_thread *self, enum tsw_api api)
{
	uint32_t gen = __atomic_load_n(&k->gen, __ATOMIC_RELAXED);
	if (!tsw_guard_enter(g) ||
	    !tsw_foreign_delete(idx, gen, k->module, k->create_stack, site->module))
		return;
	uint32_t id = tsw_key_name(idx, gen);
	if (!id)
		return;
	struct tsw_stack_ref st[] = { { "delete", site->stack, 0 },
				      { "key_create", k->create_stack, 0 } };
	tsw_finding(TSW_KIND_FOREIGN_KEY, self ? self->serial : 0, id, 0, 0,
		    api == TSW_C11 ? "tss_delete" : "pthread_key_delete", st, 2);
}

/* The delete of K, claimed and used: every thread's slot unbound, the D
 * record written, and the values left to no destructor reported.  The
 * caller leaves G. */
__attribute__((noinline)) static int delete_used(struct tsw_guard *g, struct tsw_key *k,
						  unsigned idx, uint32_t stack,
						  struct tsw_thread *self, enum tsw_api api)
{
	uint64_t holders = 0;
	uint32_t one_set = 0;
	if (__atomic_load_n(&k->ever_set, __ATOMIC_SEQ_CST) && tsw_guard_enter(g))
		holders = tsw_threads_unbind(idx, self, &one_set);
	uint32_t id = tsw_key_id_of(k), create_stack = k->create_stack;
	if (id && tsw_guard_enter(g))
		tsw_key_log_delete(k, id);
	int rc = finish_delete(k, idx, self, api);
	if (holders && id) {
		struct tsw_stack_ref st[] = { { "delete", stack, 0 }, { "key_create", create_stack, 0 },
					      { "set", one_set, 0 } };
		tsw_finding(TSW_KIND_DELETE_LIVE, self ? self->serial : 0, id, 0, holders, NULL, st, 3);
	}
	return rc;
}

/* A delete that needs the guard from the start: from a new call site
 * (its stack is captured), by a thread to adopt, or before start-up. */
__attribute__((noinline)) static int delete_guarded(unsigned idx, uintptr_t pc, enum tsw_api api)
{
	struct tsw_guard g = TSW_GUARD_INIT;
	if (!tsw_guard_enter(&g))
		return finish_delete(NULL, idx, NULL, api);
	struct tsw_site *site = tsw_site_of(pc);
	uint32_t stack = site ? site->stack : 0;
	struct tsw_thread *self = tsw_self_or_adopt();
	struct tsw_key *k = tsw_key_claim(idx, stack);
	if (k && site && k->module != site->module)
		check_foreign(&g, k, idx, site, self, api);
	int rc = k && tsw_key_used(k) ? delete_used(&g, k, idx, stack, self, api)
			      : finish_delete(k, idx, self, api);
	tsw_guard_leave(&g);
	return rc;
}

/* A delete from a known site in a thread with a record. */
__attribute__((noinline)) static int delete_known(unsigned idx, const struct tsw_site *site,
						   struct tsw_thread *self, enum tsw_api api)
{
	struct tsw_key *k = tsw_key_claim(idx, site->stack);
	if (TSW_LIKELY(!k || (k->module == site->module && !tsw_key_used(k))))
		return finish_delete(k, idx, self, api);
	struct tsw_guard g = TSW_GUARD_INIT;
	if (k->module != site->module)
		check_foreign(&g, k, idx, site, self, api);
	int rc = tsw_key_used(k) ? delete_used(&g, k, idx, site->stack, self, api)
			 : finish_delete(k, idx, self, api);
	tsw_guard_leave(&g);
	return rc;
}

/* A delete from a known call site in a thread with a record needs no
 * guard, unless the key was used. */
int tsw_key_delete(unsigned idx, uintptr_t pc, enum tsw_api api)
{
	struct tsw_thread *self = tsw_self_record();
	struct tsw_site *site;
	if (TSW_UNLIKELY(!tsw_can_enter() || !self || !(site = tsw_site_cached(pc))))
		return delete_guarded(idx, pc, api);
	return delete_known(idx, site, self, api);
}
