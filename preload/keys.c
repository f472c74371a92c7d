/* Keys from create to delete, and the values threads hold in them.  glibc
 * hands a deleted key's index to the next create, so a key is known by an
 * id of ours that is never reused.  A thread's slot is bound to the live
 * key by its first non-NULL set and unbound by the key's delete, so a value
 * never outlives its key into the next one at that index.  Create and
 * delete take the key lock around the real call so the table and glibc's
 * agree; setspecific takes no lock. */
#include <errno.h>
#include <string.h>

#include "tsw.h"

struct tsw_key tsw_keys[TSW_KEYS_MAX];
int tsw_thunk_key[TSW_KEYS_MAX];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t next_id;
static unsigned live;

/* The counters of keys, under the key lock. */
static void count_key(bool created)
{
	if (!created) {
		tsw_count.keys_deleted++;
		return;
	}
	tsw_count.keys_created++;
	if (live > tsw_count.keys_peak_live)
		tsw_count.keys_peak_live = live;
}

/* A key's K record waits for its first use (a value set in it, a checked
 * get, a use after its delete) or for a finding that names it: a key
 * created and deleted unused costs no record, only its counters.  Key
 * lock held. */
static void log_key(unsigned idx)
{
	struct tsw_key *k = &tsw_keys[idx];
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_KEY);
	tsw_rec_dec(&r, k->id);
	tsw_rec_dec(&r, idx);
	tsw_rec_dec(&r, k->destructor != NULL);
	tsw_rec_dec(&r, k->create_stack);
	tsw_rec_dec(&r, k->module);
	tsw_rec_defer(&r);
	__atomic_store_n(&k->logged, true, __ATOMIC_RELAXED);   /* key_used looks without the lock */
}

static void log_delete(const struct tsw_key *k)
{
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_DELETE);
	tsw_rec_dec(&r, k->id);
	tsw_rec_dec(&r, k->delete_stack);
	tsw_rec_defer(&r);
}

/* Key ID, at index IDX, is being used: from now on the log may name it. */
static void key_used(unsigned idx, uint32_t id)
{
	struct tsw_key *k = &tsw_keys[idx];
	if (__atomic_load_n(&k->logged, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&lock);
	if (k->id == id && !k->logged) {
		log_key(idx);
		if (!k->live)
			log_delete(k);
	}
	pthread_mutex_unlock(&lock);
}

/* The three create sites holding most live keys.  Key lock held, which
 * also guards ALL: too large for a thread's stack. */
static int top_creators(struct tsw_stack_ref out[3])
{
	static struct tsw_stack_ref all[TSW_KEYS_MAX];
	int n = 0;
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		if (!tsw_keys[i].live)
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

int tsw_key_create(unsigned *key, void (*dtor)(void *), uintptr_t pc, enum tsw_api api)
{
	struct tsw_site *site = tsw_site_of(pc);
	uint32_t stack = site ? site->stack : 0, module = site ? site->module : 0;
	bool runtime = tsw_module_hidden(module);      /* a sanitizer runtime's own key */
	struct tsw_thread *self = runtime ? NULL : tsw_self_or_adopt();

	pthread_mutex_lock(&lock);
	if (runtime) {
		int rc = api == TSW_C11 ? TSW_REAL(tss_create)(key, dtor)
					: TSW_REAL(pthread_key_create)(key, dtor);
		bool ok = api == TSW_C11 ? rc == thrd_success : rc == 0;
		if (ok)                            /* its index is no key of ours now */
			__atomic_store_n(&tsw_keys[*key].id, 0, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&lock);
		return rc;
	}
	void (*thunk)(void *) = NULL;
	int n = dtor ? tsw_thunk_take(&thunk) : -1;
	void (*given)(void *) = n >= 0 ? thunk : dtor;
	int rc = api == TSW_C11 ? TSW_REAL(tss_create)(key, given)
				: TSW_REAL(pthread_key_create)(key, given);
	bool failed = api == TSW_C11 ? rc != thrd_success : rc != 0;
	if (failed) {
		tsw_thunk_give(n);
		struct tsw_stack_ref st[4] = { { "create", stack, 0 } };
		int k = rc == EAGAIN || api == TSW_C11 ? top_creators(st + 1) : -1;
		unsigned held = live;
		pthread_mutex_unlock(&lock);
		if (k >= 0)
			tsw_finding(TSW_KIND_KEY_EXHAUSTION, self ? self->serial : 0, 0, 0, held,
				    api == TSW_C11 ? "tss_create" : "pthread_key_create", st, 1 + k);
		return rc;
	}
	unsigned idx = *key;
	struct tsw_key *k = &tsw_keys[idx];
	if (k->id) {
		k->old_id = k->id;
		k->old_create_stack = k->create_stack;
		k->old_delete_stack = k->delete_stack;
	}
	k->destructor = dtor;
	k->thunk = n;
	k->create_stack = stack;
	k->delete_stack = 0;
	k->module = module;
	k->creator = self ? self->serial : 0;
	k->live = true;
	k->inherited = false;
	k->ever_set = false;
	__atomic_store_n(&k->logged, false, __ATOMIC_RELAXED);
	if (n >= 0)
		tsw_thunk_key[n] = (int)idx;
	__atomic_store_n(&k->id, ++next_id, __ATOMIC_RELEASE);
	live++;
	count_key(true);
	pthread_mutex_unlock(&lock);
	return rc;
}

/* Deleting a key whose values threads still hold orphans them: glibc will
 * never pass them to the destructor.  Those threads are counted now. */
int tsw_key_delete(unsigned idx, uintptr_t pc, enum tsw_api api)
{
	uint32_t stack = tsw_stack_of(pc);
	struct tsw_thread *self = tsw_self_or_adopt();
	int rc = 0;
	pthread_mutex_lock(&lock);
	if (api == TSW_C11)
		TSW_REAL(tss_delete)(idx);
	else
		rc = TSW_REAL(pthread_key_delete)(idx);
	struct tsw_key *k = idx < TSW_KEYS_MAX ? &tsw_keys[idx] : NULL;
	if (rc != 0 || !k || !k->live || !k->id) {
		pthread_mutex_unlock(&lock);
		return rc;
	}
	k->live = false;
	k->delete_stack = stack;
	tsw_thunk_give(k->thunk);
	k->thunk = -1;
	live--;
	uint64_t holders = 0;
	uint32_t one_set = 0;
	count_key(false);
	bool ever_set = __atomic_load_n(&k->ever_set, __ATOMIC_RELAXED);
	if (ever_set)
		pthread_mutex_lock(&tsw_reg_lock);
	for (struct tsw_thread *t = ever_set ? tsw_threads : NULL; t; t = t->next) {
		struct tsw_slot *s = tsw_slot_of(t, idx, false);
		if (!s || !__atomic_load_n(&s->set_pc, __ATOMIC_RELAXED))
			continue;
		/* The deleting thread can still release its own value. */
		if (t->state != TSW_FINISHED && t != self &&
		    __atomic_load_n(&s->value, __ATOMIC_RELAXED)) {
			holders++;
			t->leaked = true;
			if (!one_set)
				one_set = tsw_slot_stack(s);
		}
		__atomic_store_n(&s->set_pc, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&s->value, NULL, __ATOMIC_RELAXED);
	}
	if (ever_set)
		pthread_mutex_unlock(&tsw_reg_lock);
	if (k->logged)
		log_delete(k);
	uint64_t id = k->id;
	uint32_t create_stack = k->create_stack;
	pthread_mutex_unlock(&lock);
	if (holders) {
		struct tsw_stack_ref st[] = { { "delete", stack, 0 }, { "key_create", create_stack, 0 },
					      { "set", one_set, 0 } };
		tsw_finding(TSW_KIND_DELETE_LIVE, self ? self->serial : 0, id, 0, holders, NULL, st, 3);
	}
	return rc;
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
	if (!k->live && id) {
		struct tsw_stack_ref st[] = { { "use", site->stack, 0 },
					      { "key_create", k->create_stack, 0 },
					      { "delete", k->delete_stack, 0 } };
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

/* After pthread_setspecific or tss_set returned RC, when the fast path
 * could not tell: the first non-NULL set of a slot binds it to the key. */
void tsw_key_set(unsigned idx, const void *value, uintptr_t pc, const char *call, int rc)
{
	if (TSW_UNLIKELY(idx >= TSW_KEYS_MAX))
		return;
	struct tsw_key *k = &tsw_keys[idx];
	uint32_t id = __atomic_load_n(&k->id, __ATOMIC_ACQUIRE);
	if (TSW_UNLIKELY(!id))
		return;     /* not tracked: before we were there, or a runtime's own */
	/* Adopted only now: a runtime's key set in a new thread before our
	 * trampoline runs must not adopt it twice. */
	struct tsw_thread *t = tsw_self_or_adopt();
	if (TSW_UNLIKELY(!t))
		return;
	if (TSW_UNLIKELY(rc != 0)) {
		struct tsw_site *site = tsw_site_of(pc);
		if (site && !k->live) {
			key_used(idx, id);
			check_stale(t, idx, id, site, call);
		}
		return;
	}
	struct tsw_slot *s = tsw_slot_of(t, idx, value != NULL);
	uintptr_t bound = s ? __atomic_load_n(&s->set_pc, __ATOMIC_RELAXED) : 0;
	if (!s || (!value && !bound))
		return;     /* clearing a slot that holds nothing */
	if (value) {
		t->values_set++;
		if (!bound || !__atomic_load_n(&s->value, __ATOMIC_RELAXED)) {
			key_used(idx, id);        /* the slot may be reported */
			struct tsw_site *site = tsw_site_of(pc);
			if (site)
				check_stale(t, idx, id, site, call);
			if (!__atomic_load_n(&k->ever_set, __ATOMIC_RELAXED))
				__atomic_store_n(&k->ever_set, true, __ATOMIC_RELAXED);
			__atomic_store_n(&s->set_pc, pc, __ATOMIC_RELAXED);
		}
	}
	__atomic_store_n(&s->value, (void *)value, __ATOMIC_RELAXED);
}

/* getspecific, checked only with check_get=1.  As for a set, a thread is
 * adopted only for a tracked key: a runtime's get in a new thread comes
 * before our trampoline. */
void tsw_key_get(unsigned idx, uintptr_t pc, const char *call)
{
	uint32_t id = idx < TSW_KEYS_MAX ? __atomic_load_n(&tsw_keys[idx].id, __ATOMIC_ACQUIRE) : 0;
	if (!id)
		return;
	struct tsw_thread *t = tsw_self_or_adopt();
	if (!t)
		return;
	struct tsw_site *site = tsw_site_of(pc);
	if (site) {
		key_used(idx, id);
		check_stale(t, idx, id, site, call);
	}
}

/* From a thunk: glibc is handing VALUE to the key's destructor. */
void tsw_key_destructor_call(int thunk, void *value)
{
	unsigned idx = (unsigned)tsw_thunk_key[thunk];
	void (*dtor)(void *) = tsw_keys[idx].destructor;
	struct tsw_thread *t = tsw_self;
	if (t && t != TSW_SELF_FINISHED) {
		struct tsw_slot *s = tsw_slot_of(t, idx, false);
		if (s && __atomic_load_n(&s->value, __ATOMIC_RELAXED) == value)
			__atomic_store_n(&s->value, NULL, __ATOMIC_RELAXED);
		t->destructor_calls++;
	}
	if (dtor)
		dtor(value);
}

/* Keys never deleted by process exit. */
void tsw_keys_at_exit(void)
{
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		const struct tsw_key *k = &tsw_keys[i];
		if (!k->live || !k->id || k->inherited)
			continue;
		if (!k->logged)
			log_key(i);
		struct tsw_stack_ref st[] = { { "key_create", k->create_stack, 0 } };
		tsw_finding(TSW_KIND_KEY_LEAK, k->creator, k->id, 0, tsw_module_unloaded(k->module),
			    NULL, st, 1);
	}
	pthread_mutex_unlock(&lock);
}

void tsw_keys_relog(void)
{
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++)
		if (tsw_keys[i].live && tsw_keys[i].logged)
			log_key(i);
}

void tsw_keys_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
	live = 0;
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		live += tsw_keys[i].live;
		tsw_keys[i].inherited = tsw_keys[i].live;   /* the parent's to delete */
	}
}
