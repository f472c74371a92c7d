/* The key table, which keys.c owns: one entry per key index, for the key
 * of the program's that has it now or had it last.  glibc hands a deleted
 * key's index to the next create, so each tracked create starts a new
 * generation at its index, and a key the log names gets an id of ours
 * that is never reused.
 *
 * Create and delete take no lock: some programs create and delete a key
 * per request.  glibc hands an index to one create at a time, and a delete
 * does its bookkeeping before the real delete frees the index, so a create
 * and a delete never write one entry at once.  keys.c's lock guards what
 * is rare: a key's first use (its id and K record) and the reports.
 *
 * The entry's writes that every create and delete make are the inline
 * functions below, so that the hooks' common case is one function with
 * no call but glibc's; every other write is a function of keys.c.  Other
 * files only read the table. */
#ifndef TSW_KEYS_H
#define TSW_KEYS_H

#include "thread_record.h"
#include "thunks.h"
#include "tsw.h"

#pragma GCC visibility push(hidden)

enum tsw_key_state { TSW_KEY_UNTRACKED, TSW_KEY_CREATING, TSW_KEY_LIVE, TSW_KEY_DELETED };

struct tsw_key {
	uint8_t state;            /* enum tsw_key_state; atomic */
	bool inherited;           /* created before a fork, in the parent */
	bool ever_set;            /* some thread set a value in it */
	bool delete_logged;       /* its D record is written */
	uint32_t gen;             /* tracked creates at this index so far */
	uint64_t logged;          /* gen << 32 | id once its K record is written */
	tsw_dtor_fn *destructor;
	int thunk;                /* -1: none */
	uint32_t create_stack, delete_stack, module;
	uint64_t creator;
	uint32_t old_id;          /* the logged key that held this index before */
	uint32_t old_create_stack, old_delete_stack;
};
extern struct tsw_key tsw_keys[TSW_KEYS_MAX];
extern unsigned tsw_keys_high;           /* one past the highest tracked index */

/* keys.c: ids, records and reports. */
/* Generation GEN of the key at IDX is being used: its id, given now if
 * it has none; 0 if the index was taken again meanwhile. */
uint32_t tsw_key_name(unsigned idx, uint32_t gen);
void tsw_key_log_delete(struct tsw_key *k, uint32_t id);
void tsw_keys_raise_peak(unsigned idx, unsigned hi, uint64_t peak);
/* The three create sites that hold most live keys, into OUT; how many
 * there are.  *HELD: how many keys are live. */
int tsw_keys_top_creators(struct tsw_stack_ref out[3], unsigned *held);

/* The id of the key at K's index now, if the log knows it; else 0.
 * Sequentially consistent for tsw_key_delete (a plain move on x86). */
static inline uint32_t tsw_key_id_of(const struct tsw_key *k)
{
	uint64_t logged = __atomic_load_n(&k->logged, __ATOMIC_SEQ_CST);
	return logged >> 32 == __atomic_load_n(&k->gen, __ATOMIC_RELAXED) ? (uint32_t)logged : 0;
}

static inline void tsw_key_note_live(unsigned idx)
{
	unsigned hi = __atomic_load_n(&tsw_keys_high, __ATOMIC_RELAXED);
	uint64_t peak = __atomic_load_n(&tsw_count.keys_peak_live, __ATOMIC_RELAXED);
	if (TSW_UNLIKELY(idx >= hi || peak < hi))
		tsw_keys_raise_peak(idx, hi, peak);
}

/* keys_created or keys_deleted: the thread's own, summed when it ends. */
static inline void tsw_key_count(struct tsw_thread *t, bool created)
{
	if (t)
		tsw_thread_count_key(t, created);
	else
		tsw_count_key(created);
}

/* A new generation at IDX, glibc's new key, served by thunk N (-1: no destructor), from a site whose stack and
 * module are STACK and MODULE, in thread SELF (NULL: none). */
static inline __attribute__((always_inline)) void
tsw_key_begin(unsigned idx, tsw_dtor_fn *dtor, int n, uint32_t stack, uint32_t module,
		 struct tsw_thread *self)
{
	struct tsw_key *k = &tsw_keys[idx];
	/* Takes the entry over from the delete that freed the index: glibc
	 * orders the two, but not in a way a race detector sees. */
	(void)__atomic_load_n(&k->state, __ATOMIC_ACQUIRE);
	__atomic_store_n(&k->state, TSW_KEY_CREATING, __ATOMIC_RELAXED);
	k->old_id = tsw_key_id_of(k);
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
	tsw_key_count(self, true);
	tsw_budget_count(module);
	tsw_key_note_live(idx);
}

/* A sanitizer runtime's own key: its index is no key of ours now. */
static inline void tsw_key_untrack(unsigned idx)
{
	__atomic_store_n(&tsw_keys[idx].state, TSW_KEY_UNTRACKED, __ATOMIC_RELEASE);
}

/* The bookkeeping comes first: once the real delete returns, another
 * thread's create may take the index.  Of two threads deleting one key,
 * only one claims it.  Returns the key at IDX if this call claimed it,
 * or NULL if it is not a live key of ours. */
static inline __attribute__((always_inline)) struct tsw_key *tsw_key_claim(unsigned idx, uint32_t stack)
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
static inline bool tsw_key_used(const struct tsw_key *k)
{
	return __atomic_load_n(&k->ever_set, __ATOMIC_SEQ_CST) || tsw_key_id_of(k);
}

/* The delete of the claimed key K counted, and K left to the next
 * create; glibc's delete comes after. */
static inline __attribute__((always_inline)) void tsw_key_deleted(struct tsw_key *k,
								   struct tsw_thread *self)
{
	tsw_key_count(self, false);
	__atomic_store_n(&k->state, TSW_KEY_DELETED, __ATOMIC_RELEASE);  /* for the next create */
}

/* A value was set in K, before the set binds a slot to it. */
static inline void tsw_key_mark_set(struct tsw_key *k)
{
	if (!__atomic_load_n(&k->ever_set, __ATOMIC_RELAXED))
		__atomic_store_n(&k->ever_set, true, __ATOMIC_SEQ_CST);
}

#pragma GCC visibility pop

#endif
