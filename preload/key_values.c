/* The values threads hold in keys: the slow path of a set (the first
 * non-NULL set binds the thread's slot to the key), checked gets,
 * stale-key, and the destructor calls glibc makes through our thunks. */
#include "keys.h"
#include "thread_record.h"

/* A use of key ID (at IDX) that was deleted, or of an index that a create
 * from another site took over since this call site last used it.  The
 * caller has made ID known to the log (tsw_key_name): a site remembers only
 * ids the log knows. */
static void check_stale(struct tsw_thread *t, unsigned idx, uint32_t id, struct tsw_site *site,
			const char *call)
{
	const struct tsw_key *k = &tsw_keys[idx];
	uint32_t seen = __atomic_load_n(&site->key_id, __ATOMIC_RELAXED);
	unsigned seen_idx = __atomic_load_n(&site->key_index, __ATOMIC_RELAXED);
	if (__atomic_load_n(&k->state, __ATOMIC_ACQUIRE) == TSW_KEY_DELETED) {
		struct tsw_stack_ref st[] = { { "use", site->stack, 0 },
					      { "key_create", k->create_stack, 0 },
					      { "delete", __atomic_load_n(&k->delete_stack, __ATOMIC_RELAXED), 0 } };
		tsw_finding(TSW_KIND_STALE_KEY, t->serial, id, 0, 1, call, st, 3);
		return;
	}
	if (seen == id)
		return;
	if (seen_idx == idx + 1 && seen == k->old_id && k->old_create_stack != k->create_stack) {
		struct tsw_stack_ref st[] = { { "use", site->stack, 0 },
					      { "key_create", k->old_create_stack, 0 },
					      { "delete", k->old_delete_stack, 0 } };
		tsw_finding(TSW_KIND_STALE_KEY, t->serial, seen, 0, 2, call, st, 3);
	}
	__atomic_store_n(&site->key_index, idx + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&site->key_id, id, __ATOMIC_RELAXED);
}

/* The generation of the tracked key at IDX, and its state in *STATE.
 * Returns 0 when the key is not tracked, or when a create or delete
 * changed it while this looked. */
static uint32_t tracked(unsigned idx, int *state)
{
	if (TSW_UNLIKELY(idx >= TSW_KEYS_MAX))
		return 0;
	const struct tsw_key *k = &tsw_keys[idx];
	*state = __atomic_load_n(&k->state, __ATOMIC_ACQUIRE);
	uint32_t gen = __atomic_load_n(&k->gen, __ATOMIC_ACQUIRE);
	bool stable = __atomic_load_n(&k->state, __ATOMIC_RELAXED) == *state;
	return stable && (*state == TSW_KEY_LIVE || *state == TSW_KEY_DELETED) ? gen : 0;
}

/* After pthread_setspecific or tss_set returned RC, when the fast path
 * could not tell: the first non-NULL set of a slot binds it to the key. */
void tsw_key_set(unsigned idx, const void *value, uintptr_t pc, const char *call, int rc)
{
	int state;
	uint32_t gen = tracked(idx, &state);
	if (TSW_UNLIKELY(!gen))
		return;     /* not tracked: before we were there, or a runtime's own */
	/* Adopted only now: a runtime's key set in a new thread before our
	 * trampoline runs must not adopt it twice. */
	struct tsw_thread *t = tsw_self_or_adopt();
	if (TSW_UNLIKELY(!t))
		return;
	if (TSW_UNLIKELY(rc != 0)) {
		struct tsw_site *site = tsw_site_of(pc);
		uint32_t id = site && state == TSW_KEY_DELETED ? tsw_key_name(idx, gen) : 0;
		if (id)
			check_stale(t, idx, id, site, call);
		return;
	}
	struct tsw_slot *s = tsw_slot_of(t, idx, value != NULL);
	uintptr_t bound = s ? __atomic_load_n(&s->set_pc, __ATOMIC_RELAXED) : 0;
	if (!s || (!value && !bound))
		return;     /* clearing a slot that holds nothing */
	if (value) {
		tsw_thread_count_set(t);
		if (!bound || !__atomic_load_n(&s->value, __ATOMIC_RELAXED)) {
			uint32_t id = tsw_key_name(idx, gen);   /* the slot may be reported */
			if (!id)
				return;                     /* deleted meanwhile */
			struct tsw_site *site = tsw_site_of(pc);
			struct tsw_key *k = &tsw_keys[idx];
			if (site)
				check_stale(t, idx, id, site, call);
			if (site && site->module != k->module)
				tsw_foreign_used(idx, gen, site->module);
			tsw_key_mark_set(k);
			tsw_slot_bind(s, pc);
			tsw_thread_bound(t, idx);
			/* Bound, then the key looked at, as a delete claims the key
			 * and then looks at the bindings: a delete racing this set
			 * sees the binding, or this set sees the delete. */
			if (__atomic_load_n(&k->state, __ATOMIC_SEQ_CST) != TSW_KEY_LIVE ||
			    __atomic_load_n(&k->gen, __ATOMIC_RELAXED) != gen) {
				tsw_slot_unbind(s);
				return;
			}
			if (TSW_UNLIKELY(tsw_dangling))
				tsw_unload_set(idx, gen, t, value, site ? site->stack : 0);
		}
	}
	tsw_slot_put(s, (void *)value);
}

/* A value into a bound, empty slot from a site other than the one that
 * bound it: a helper inlined into many callers sets a value and clears
 * it, so each of its sets comes from a site the slot was not bound to.
 * When nothing but the slot's site changes (the site is known and has
 * used this key, which has its id, in its own module, and no module with
 * a destructor is gone), the slot is bound to the new site here, without
 * the guard: no lock, no log, no call.  Made before the real set, which
 * cannot fail on a bound slot.  False: the slow path must do it. */
bool tsw_key_rebind(unsigned idx, uintptr_t value, uintptr_t pc)
{
	struct tsw_thread *t = tsw_self_record();
	struct tsw_site *site = tsw_site_cached(pc);
	if (!t || !site || !value || idx >= TSW_KEYS_MAX || TSW_UNLIKELY(tsw_dangling) ||
	    !tsw_can_enter())
		return false;
	/* The key, then the slot: a slot bound to an earlier generation was
	 * unbound before this generation's create, which this load of GEN
	 * follows. */
	struct tsw_key *k = &tsw_keys[idx];
	uint32_t gen = __atomic_load_n(&k->gen, __ATOMIC_ACQUIRE);
	uint64_t logged = __atomic_load_n(&k->logged, __ATOMIC_ACQUIRE);
	if (__atomic_load_n(&k->state, __ATOMIC_ACQUIRE) != TSW_KEY_LIVE || logged >> 32 != gen ||
	    __atomic_load_n(&site->key_id, __ATOMIC_RELAXED) != (uint32_t)logged ||
	    site->module != k->module || !__atomic_load_n(&k->ever_set, __ATOMIC_RELAXED))
		return false;             /* check_stale or tsw_foreign_used has work */
	struct tsw_slot *s = tsw_slot_of(t, idx, false);
	if (!s || !__atomic_load_n(&s->set_pc, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&s->value, __ATOMIC_RELAXED))
		return false;
	/* Bound, then the key looked at, as in tsw_key_set: a delete racing
	 * this sees the new binding, or this sees the delete and unbinds. */
	tsw_slot_bind(s, pc);
	if (__atomic_load_n(&k->state, __ATOMIC_SEQ_CST) != TSW_KEY_LIVE ||
	    __atomic_load_n(&k->gen, __ATOMIC_RELAXED) != gen) {
		tsw_slot_unbind(s);
		return false;
	}
	tsw_thread_count_set(t);
	tsw_slot_put(s, (void *)value);
	return true;
}

/* A getspecific, checked only with check_get=1.  As for a set, a thread
 * is adopted only for a tracked key, because a runtime's get in a new
 * thread comes before our trampoline. */
void tsw_key_get(unsigned idx, uintptr_t pc, const char *call)
{
	int state;
	uint32_t gen = tracked(idx, &state);
	if (!gen)
		return;
	struct tsw_thread *t = tsw_self_or_adopt();
	if (!t)
		return;
	struct tsw_site *site = tsw_site_of(pc);
	uint32_t id = site ? tsw_key_name(idx, gen) : 0;
	if (id)
		check_stale(t, idx, id, site, call);
	if (site && site->module != tsw_keys[idx].module)
		tsw_foreign_used(idx, gen, site->module);
}

/* From a thunk: glibc is handing VALUE to the key's destructor. */
void tsw_key_destructor_call(int thunk, void *value)
{
	unsigned idx;
	tsw_dtor_fn *dtor = tsw_thunk_served(thunk, &idx);
	struct tsw_thread *t = tsw_self_record();
	bool ours = t != NULL;
	if (ours) {
		struct tsw_slot *s = tsw_slot_of(t, idx, false);
		if (s && __atomic_load_n(&s->value, __ATOMIC_RELAXED) == value)
			tsw_slot_put(s, NULL);
		tsw_thread_count_dtor_call(t);
	}
	/* Called even when its module is gone, as glibc would: the finding
	 * is in the log already (unload.c), and the host's crash is its own. */
	if (dtor)
		dtor(value);
	if (ours && t->armed)
		tsw_teardown_call(t, idx);
}
