/* Keys from create to delete, and the values threads hold in them.  glibc
 * hands a deleted key's index to the next create, so each tracked create
 * starts a new generation at its index, and a key the log names gets an id
 * of ours that is never reused.  A thread's slot is bound to the live key
 * by its first non-NULL set and unbound by the key's delete, so a value
 * never outlives its key into the next one at that index.
 *
 * Create and delete take no lock: some programs create and delete a key
 * per request.  glibc hands an index to one create at a time, and a delete
 * does its bookkeeping before the real delete frees the index, so a create
 * and a delete never write one entry at once.  The lock guards what is
 * rare: a key's first use (its id and K record) and the reports. */
#include <errno.h>
#include <string.h>

#include "tsw.h"

struct tsw_key tsw_keys[TSW_KEYS_MAX];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t next_id;                 /* under the lock */
static unsigned high;                    /* one past the highest tracked index */

static unsigned count_live(void)
{
	unsigned n = 0, hi = __atomic_load_n(&high, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < hi; i++)
		n += __atomic_load_n(&tsw_keys[i].state, __ATOMIC_RELAXED) == TSW_KEY_LIVE;
	return n;
}

/* keys_peak_live with no counter shared by every create: tracked keys all
 * sit below HIGH, so while the peak equals HIGH only a key at a new
 * highest index can raise it; otherwise (a key of a runtime's, or a
 * deleted one, below ours) the live keys are counted.  Two creates racing
 * to raise it may miss each other's key by one. */
__attribute__((noinline, cold)) static void raise_peak(unsigned idx, unsigned hi, uint64_t peak)
{
	/* Always written, even unchanged: of two racing creates, the later
	 * one's read of HIGH sees the earlier's key. */
	while (!__atomic_compare_exchange_n(&high, &hi, hi > idx ? hi : idx + 1, true,
					    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		;
	uint64_t n = count_live();
	while (n > peak && !__atomic_compare_exchange_n(&tsw_count.keys_peak_live, &peak, n, true,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static inline void note_live(unsigned idx)
{
	unsigned hi = __atomic_load_n(&high, __ATOMIC_RELAXED);
	uint64_t peak = __atomic_load_n(&tsw_count.keys_peak_live, __ATOMIC_RELAXED);
	if (TSW_UNLIKELY(idx >= hi || peak < hi))
		raise_peak(idx, hi, peak);
}

/* keys_created or keys_deleted: the thread's own, summed when it ends. */
static void count_key(struct tsw_thread *t, bool created)
{
	if (t)
		++*(created ? &t->keys_created : &t->keys_deleted);
	else
		__atomic_fetch_add(created ? &tsw_count.keys_created : &tsw_count.keys_deleted, 1,
				   __ATOMIC_RELAXED);
}

/* A key's K record waits for its first use (a value set in it, a checked
 * get, a use after its delete) or for a finding that names it: a key
 * created and deleted unused costs no record, only its counters.  Lock
 * held. */
static void log_key(unsigned idx, uint32_t id)
{
	const struct tsw_key *k = &tsw_keys[idx];
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_KEY);
	tsw_rec_dec(&r, id);
	tsw_rec_dec(&r, idx);
	tsw_rec_dec(&r, k->destructor != NULL);
	tsw_rec_dec(&r, k->create_stack);
	tsw_rec_dec(&r, k->module);
	tsw_rec_defer(&r);
}

/* Gives generation GEN of the key at IDX its id and logs it.  Lock held. */
static uint32_t name_key(unsigned idx, uint32_t gen)
{
	struct tsw_key *k = &tsw_keys[idx];
	uint32_t id = ++next_id;
	log_key(idx, id);
	__atomic_store_n(&k->logged, (uint64_t)gen << 32 | id, __ATOMIC_SEQ_CST);
	return id;
}

/* The id of the key at K's index now, if the log knows it; else 0.
 * Sequentially consistent for tsw_key_delete (a plain move on x86). */
static uint32_t id_of(const struct tsw_key *k)
{
	uint64_t logged = __atomic_load_n(&k->logged, __ATOMIC_SEQ_CST);
	return logged >> 32 == __atomic_load_n(&k->gen, __ATOMIC_RELAXED) ? (uint32_t)logged : 0;
}

uint32_t tsw_key_id(unsigned idx)
{
	return id_of(&tsw_keys[idx]);
}

/* The D record of key ID, once: a delete and a first use racing it may
 * both see the other (see tsw_key_delete). */
static void log_delete(struct tsw_key *k, uint32_t id)
{
	if (__atomic_exchange_n(&k->delete_logged, true, __ATOMIC_ACQ_REL))
		return;
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_DELETE);
	tsw_rec_dec(&r, id);
	tsw_rec_dec(&r, __atomic_load_n(&k->delete_stack, __ATOMIC_RELAXED));
	tsw_rec_defer(&r);
}

/* Generation GEN of the key at IDX is being used: from now on the log may
 * name it.  Its id; 0 if it has been deleted and its index taken again. */
static uint32_t key_used(unsigned idx, uint32_t gen)
{
	struct tsw_key *k = &tsw_keys[idx];
	uint64_t logged = __atomic_load_n(&k->logged, __ATOMIC_ACQUIRE);
	if (TSW_LIKELY(logged >> 32 == gen))
		return (uint32_t)logged;
	uint32_t id = 0;
	pthread_mutex_lock(&lock);
	if (__atomic_load_n(&k->gen, __ATOMIC_RELAXED) == gen && !(id = id_of(k))) {
		id = name_key(idx, gen);
		if (__atomic_load_n(&k->state, __ATOMIC_SEQ_CST) == TSW_KEY_DELETED)
			log_delete(k, id);
	}
	pthread_mutex_unlock(&lock);
	return id;
}

/* The three create sites holding most live keys.  Lock held, which also
 * guards ALL: too large for a thread's stack. */
static int top_creators(struct tsw_stack_ref out[3])
{
	static struct tsw_stack_ref all[TSW_KEYS_MAX];
	int n = 0;
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		if (__atomic_load_n(&tsw_keys[i].state, __ATOMIC_RELAXED) != TSW_KEY_LIVE)
			continue;
		int j = 0;
		while (j < n && all[j].stack != tsw_keys[i].create_stack)
			j++;
		if (j == n)
			all[n++] = (struct tsw_stack_ref){ "top_creator", tsw_keys[i].create_stack, 0 };
		all[j].count++;
	}
	int kept = 0;
	for (; kept < 3 && kept < n; kept++) {
		int best = kept;
		for (int j = kept + 1; j < n; j++)
			if (all[j].count > all[best].count)
				best = j;
		struct tsw_stack_ref tmp = all[kept];
		all[kept] = all[best];
		all[best] = tmp;
		out[kept] = all[kept];
	}
	return kept;
}

/* pthread_key_create's result, for either API: a failed C11 create is
 * taken for exhaustion, the only way glibc's can fail. */
static inline __attribute__((always_inline)) int real_create(unsigned *key, tsw_dtor_fn *dtor,
								enum tsw_api api)
{
	if (api == TSW_C11)
		return TSW_REAL(tss_create)(key, dtor) == thrd_success ? 0 : EAGAIN;
	return TSW_REAL(pthread_key_create)(key, dtor);
}

/* The same of a delete. */
static inline __attribute__((always_inline)) int real_delete(unsigned idx, enum tsw_api api)
{
	if (api == TSW_C11) {
		TSW_REAL(tss_delete)(idx);
		return 0;
	}
	return TSW_REAL(pthread_key_delete)(idx);
}

/* The common create and delete take no lock and log nothing, so they
 * need neither the recursion guard nor errno kept (glibc's key functions
 * leave errno alone).  The paths below enter the guard only at the point
 * where they need it; their caller leaves it. */

/* A sanitizer runtime's own key: its index is no key of ours now. */
static int create_untracked(unsigned *key, tsw_dtor_fn *dtor, enum tsw_api api)
{
	int rc = real_create(key, dtor, api);
	if (rc == 0)
		__atomic_store_n(&tsw_keys[*key].state, TSW_KEY_UNTRACKED, __ATOMIC_RELEASE);
	return rc;
}

/* RC, pthread_key_create's result, as API says it. */
static int create_result(int rc, enum tsw_api api)
{
	return api == TSW_C11 ? (rc ? thrd_error : thrd_success) : rc;
}

/* A new generation at IDX, glibc's new key, served by thunk N (-1: no destructor), from a site whose stack and
 * module are STACK and MODULE, in thread SELF (NULL: none). */
static inline __attribute__((always_inline)) void
begin_generation(unsigned idx, tsw_dtor_fn *dtor, int n, uint32_t stack, uint32_t module,
		 struct tsw_thread *self)
{
	struct tsw_key *k = &tsw_keys[idx];
	/* Takes the entry over from the delete that freed the index: glibc
	 * orders the two, but not in a way a race detector sees. */
	(void)__atomic_load_n(&k->state, __ATOMIC_ACQUIRE);
	__atomic_store_n(&k->state, TSW_KEY_CREATING, __ATOMIC_RELAXED);
	k->old_id = id_of(k);
	__atomic_store_n(&k->logged, 0, __ATOMIC_RELAXED);   /* no match after gen wraps */
	k->old_create_stack = k->create_stack;
	k->old_delete_stack = k->delete_stack;
	k->destructor = dtor;
	k->thunk = n;
	k->create_stack = stack;
	k->delete_stack = 0;
	k->module = module;
	k->creator = self ? self->serial : 0;
	k->inherited = false;
	k->delete_logged = false;
	__atomic_store_n(&k->ever_set, false, __ATOMIC_RELAXED);
	__atomic_store_n(&k->gen, k->gen + 1 ? k->gen + 1 : 1, __ATOMIC_RELEASE);
	if (n >= 0)
		tsw_thunk_bind(n, idx, dtor);
	__atomic_store_n(&k->state, TSW_KEY_LIVE, __ATOMIC_RELEASE);
	count_key(self, true);
	tsw_budget_count(module);
	note_live(idx);
}

/* A tracked create: lock-free, and it logs nothing.  Inline: the common
 * case knows its site and thread. */
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
	begin_generation(*key, dtor, n, stack, module, self);
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
		pthread_mutex_lock(&lock);
		int k = top_creators(st + 1);
		unsigned held = count_live();
		pthread_mutex_unlock(&lock);
		tsw_budget_log();
		tsw_finding(TSW_KIND_KEY_EXHAUSTION, self ? self->serial : 0, 0, 0, held,
			    api == TSW_C11 ? "tss_create" : "pthread_key_create", st, 1 + k);
	}
	return create_result(rc, api);
}

/* A new site to capture, a thread to adopt, or before start-up. */
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

/* A known call site in a thread with a record needs no guard. */
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

/* Every thread's slot of the key at IDX is unbound.  Deleting a key whose
 * values threads still hold orphans them: glibc will never pass them to
 * the destructor.  The threads that hold one (not SELF, which can still
 * release its own), and one set stack. */
static uint64_t unbind(unsigned idx, struct tsw_thread *self, uint32_t *one_set)
{
	uint64_t holders = 0;
	pthread_mutex_lock(&tsw_reg_lock);
	for (struct tsw_thread *t = tsw_threads; t; t = t->next) {
		struct tsw_slot *s = tsw_slot_of(t, idx, false);
		if (!s || !__atomic_load_n(&s->set_pc, __ATOMIC_SEQ_CST))
			continue;
		if (t->state != TSW_FINISHED && t != self &&
		    __atomic_load_n(&s->value, __ATOMIC_RELAXED)) {
			holders++;
			t->leaked = true;
			if (!*one_set)
				*one_set = tsw_slot_stack(s);
		}
		__atomic_store_n(&s->set_pc, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&s->value, NULL, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&tsw_reg_lock);
	return holders;
}

/* The bookkeeping comes first: once the real delete returns, another
 * thread's create may take the index.  Of two threads deleting one key,
 * only one claims it.  Returns the key at IDX if this call claimed it,
 * or NULL if it is not a live key of ours. */
static inline __attribute__((always_inline)) struct tsw_key *claim(unsigned idx, uint32_t stack)
{
	struct tsw_key *k = idx < TSW_KEYS_MAX ? &tsw_keys[idx] : NULL;
	uint8_t live = TSW_KEY_LIVE;
	if (k && __atomic_load_n(&k->state, __ATOMIC_RELAXED) == TSW_KEY_LIVE)
		__atomic_store_n(&k->delete_stack, stack, __ATOMIC_RELAXED);
	bool ours = k && __atomic_compare_exchange_n(&k->state, &live, TSW_KEY_DELETED, false,
						     __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	return ours ? k : NULL;
}

/* Whether the claimed key K was set, or named in the log.  A first use
 * racing the delete (key_used) names the key and then looks at its state;
 * the delete has changed the state and now looks for a name: one of them,
 * or both, writes the D record. */
static inline bool used(const struct tsw_key *k)
{
	return __atomic_load_n(&k->ever_set, __ATOMIC_SEQ_CST) || id_of(k);
}

/* The end of every delete: K (NULL: not ours to count) is left to the
 * next create, and glibc deletes the key. */
static inline __attribute__((always_inline)) int finish_delete(struct tsw_key *k, unsigned idx,
								 struct tsw_thread *self,
								 enum tsw_api api)
{
	int thunk = -1;
	if (k) {
		thunk = k->thunk;          /* kept: a fork child may need it back */
		count_key(self, false);
		__atomic_store_n(&k->state, TSW_KEY_DELETED, __ATOMIC_RELEASE);  /* for the next create */
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
	uint32_t id = key_used(idx, gen);
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
		holders = unbind(idx, self, &one_set);
	uint32_t id = id_of(k), create_stack = k->create_stack;
	if (id && tsw_guard_enter(g))
		log_delete(k, id);
	int rc = finish_delete(k, idx, self, api);
	if (holders && id) {
		struct tsw_stack_ref st[] = { { "delete", stack, 0 }, { "key_create", create_stack, 0 },
					      { "set", one_set, 0 } };
		tsw_finding(TSW_KIND_DELETE_LIVE, self ? self->serial : 0, id, 0, holders, NULL, st, 3);
	}
	return rc;
}

/* A new site to capture, a thread to adopt, or before start-up. */
__attribute__((noinline)) static int delete_guarded(unsigned idx, uintptr_t pc, enum tsw_api api)
{
	struct tsw_guard g = TSW_GUARD_INIT;
	if (!tsw_guard_enter(&g))
		return finish_delete(NULL, idx, NULL, api);
	struct tsw_site *site = tsw_site_of(pc);
	uint32_t stack = site ? site->stack : 0;
	struct tsw_thread *self = tsw_self_or_adopt();
	struct tsw_key *k = claim(idx, stack);
	if (k && site && k->module != site->module)
		check_foreign(&g, k, idx, site, self, api);
	int rc = k && used(k) ? delete_used(&g, k, idx, stack, self, api)
			      : finish_delete(k, idx, self, api);
	tsw_guard_leave(&g);
	return rc;
}

/* A delete from a known site in a thread with a record. */
__attribute__((noinline)) static int delete_known(unsigned idx, const struct tsw_site *site,
						   struct tsw_thread *self, enum tsw_api api)
{
	struct tsw_key *k = claim(idx, site->stack);
	if (TSW_LIKELY(!k || (k->module == site->module && !used(k))))
		return finish_delete(k, idx, self, api);
	struct tsw_guard g = TSW_GUARD_INIT;
	if (k->module != site->module)
		check_foreign(&g, k, idx, site, self, api);
	int rc = used(k) ? delete_used(&g, k, idx, site->stack, self, api)
			 : finish_delete(k, idx, self, api);
	tsw_guard_leave(&g);
	return rc;
}

/* A known call site in a thread with a record needs no guard, unless the
 * key was used. */
int tsw_key_delete(unsigned idx, uintptr_t pc, enum tsw_api api)
{
	struct tsw_thread *self = tsw_self_record();
	struct tsw_site *site;
	if (TSW_UNLIKELY(!tsw_can_enter() || !self || !(site = tsw_site_cached(pc))))
		return delete_guarded(idx, pc, api);
	return delete_known(idx, site, self, api);
}

/* A use of key ID (at IDX) that was deleted, or of an index that a create
 * from another site took over since this call site last used it.  The
 * caller has made ID known to the log (key_used): a site remembers only
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

/* The generation of the tracked key at IDX, with its state; 0: untracked,
 * or a create or delete changed it meanwhile. */
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
		uint32_t id = site && state == TSW_KEY_DELETED ? key_used(idx, gen) : 0;
		if (id)
			check_stale(t, idx, id, site, call);
		return;
	}
	struct tsw_slot *s = tsw_slot_of(t, idx, value != NULL);
	uintptr_t bound = s ? __atomic_load_n(&s->set_pc, __ATOMIC_RELAXED) : 0;
	if (!s || (!value && !bound))
		return;     /* clearing a slot that holds nothing */
	if (value) {
		t->values_set++;
		if (!bound || !__atomic_load_n(&s->value, __ATOMIC_RELAXED)) {
			uint32_t id = key_used(idx, gen);   /* the slot may be reported */
			if (!id)
				return;                     /* deleted meanwhile */
			struct tsw_site *site = tsw_site_of(pc);
			struct tsw_key *k = &tsw_keys[idx];
			if (site)
				check_stale(t, idx, id, site, call);
			if (site && site->module != k->module)
				tsw_foreign_used(idx, gen, site->module);
			if (!__atomic_load_n(&k->ever_set, __ATOMIC_RELAXED))
				__atomic_store_n(&k->ever_set, true, __ATOMIC_SEQ_CST);
			__atomic_store_n(&s->set_pc, pc, __ATOMIC_SEQ_CST);
			if (idx >= t->top)
				t->top = idx + 1;
			/* Bound, then the key looked at, as a delete claims the key
			 * and then looks at the bindings: a delete racing this set
			 * sees the binding, or this set sees the delete. */
			if (__atomic_load_n(&k->state, __ATOMIC_SEQ_CST) != TSW_KEY_LIVE ||
			    __atomic_load_n(&k->gen, __ATOMIC_RELAXED) != gen) {
				__atomic_store_n(&s->set_pc, 0, __ATOMIC_RELAXED);
				return;
			}
			if (TSW_UNLIKELY(tsw_dangling))
				tsw_unload_set(idx, gen, t, value, site ? site->stack : 0);
		}
	}
	__atomic_store_n(&s->value, (void *)value, __ATOMIC_RELAXED);
}

/* getspecific, checked only with check_get=1.  As for a set, a thread is
 * adopted only for a tracked key: a runtime's get in a new thread comes
 * before our trampoline. */
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
	uint32_t id = site ? key_used(idx, gen) : 0;
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
			__atomic_store_n(&s->value, NULL, __ATOMIC_RELAXED);
		t->destructor_calls++;
	}
	/* Not into a module that is gone: see unload.c */
	if (dtor && (TSW_LIKELY(!tsw_dangling) || !tsw_unload_unmapped(idx, dtor)))
		dtor(value);
	if (ours && t->armed)
		tsw_teardown_call(t, idx);
}

/* Keys never deleted by process exit. */
void tsw_keys_at_exit(void)
{
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		const struct tsw_key *k = &tsw_keys[i];
		if (k->state != TSW_KEY_LIVE || k->inherited || tsw_unload_reported(i, k->gen))
			continue;
		uint32_t id = id_of(k);
		if (!id)
			id = name_key(i, k->gen);
		struct tsw_stack_ref st[] = { { "key_create", k->create_stack, 0 } };
		tsw_finding(TSW_KIND_KEY_LEAK, k->creator, id, 0, tsw_module_unloaded(k->module),
			    NULL, st, 1);
	}
	pthread_mutex_unlock(&lock);
}

/* Into a fork child's new log: the keys the parent's log named, and their
 * deletes, so that a finding of the child's can name any of them. */
void tsw_keys_relog(void)
{
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		struct tsw_key *k = &tsw_keys[i];
		uint32_t id = id_of(k);
		if (!id || (k->state != TSW_KEY_LIVE && k->state != TSW_KEY_DELETED))
			continue;
		log_key(i, id);
		if (k->state == TSW_KEY_DELETED)
			log_delete(k, id);
	}
}

/* Whether glibc has the key at IDX in use: setting this thread's own value
 * again changes nothing, and fails only for a free key. */
static bool in_use(unsigned idx)
{
	return TSW_REAL(pthread_setspecific)(idx, TSW_REAL(pthread_getspecific)(idx)) == 0;
}

/* A key is marked deleted before glibc's delete runs: a fork in between
 * leaves the child a key its glibc still has, whose delete the child will
 * never see (the deleting thread is not in it).  glibc says which. */
void tsw_keys_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		struct tsw_key *k = &tsw_keys[i];
		if (k->state == TSW_KEY_DELETED && in_use(i)) {
			k->state = TSW_KEY_LIVE;
			k->delete_stack = 0;
			/* Unless glibc gave the index to a create that had not
			 * yet told us: then the thunk is no longer this key's. */
			if (!tsw_thunk_serves(k->thunk, i))
				k->thunk = -1;
		}
		k->inherited = k->state == TSW_KEY_LIVE;   /* the parent's to delete */
		k->delete_logged = false;                  /* for the child's log */
	}
}
