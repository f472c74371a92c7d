/* The key table (keys.h): the ids and the K and D records of keys, the
 * peak of live keys, keys never deleted by process exit, and a fork
 * child's reconciliation of the table with its glibc. */
#include <errno.h>
#include <string.h>

#include "keys.h"

struct tsw_key tsw_keys[TSW_KEYS_MAX];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t next_id;                 /* under the lock */
unsigned tsw_keys_high;

static unsigned count_live(void)
{
	unsigned n = 0, hi = __atomic_load_n(&tsw_keys_high, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < hi; i++)
		n += __atomic_load_n(&tsw_keys[i].state, __ATOMIC_RELAXED) == TSW_KEY_LIVE;
	return n;
}

/* keys_peak_live with no counter shared by every create: tracked keys all
 * sit below tsw_keys_high, so while the peak equals it only a key at a new
 * highest index can raise it; otherwise (a key of a runtime's, or a
 * deleted one, below ours) the live keys are counted.  Two creates racing
 * to raise it may miss each other's key by one. */
__attribute__((noinline, cold)) void tsw_keys_raise_peak(unsigned idx, unsigned hi, uint64_t peak)
{
	/* Always written, even unchanged: of two racing creates, the later
	 * one's read of tsw_keys_high sees the earlier's key. */
	while (!__atomic_compare_exchange_n(&tsw_keys_high, &hi, hi > idx ? hi : idx + 1, true,
					    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		;
	tsw_count_keys_peak(count_live(), peak);
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

uint32_t tsw_key_id(unsigned idx)
{
	return tsw_key_id_of(&tsw_keys[idx]);
}

/* The D record of key ID, once: a delete and a first use racing it may
 * both see the other (see tsw_key_delete). */
void tsw_key_log_delete(struct tsw_key *k, uint32_t id)
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
uint32_t tsw_key_name(unsigned idx, uint32_t gen)
{
	struct tsw_key *k = &tsw_keys[idx];
	uint64_t logged = __atomic_load_n(&k->logged, __ATOMIC_ACQUIRE);
	if (TSW_LIKELY(logged >> 32 == gen))
		return (uint32_t)logged;
	uint32_t id = 0;
	pthread_mutex_lock(&lock);
	if (__atomic_load_n(&k->gen, __ATOMIC_RELAXED) == gen && !(id = tsw_key_id_of(k))) {
		id = name_key(idx, gen);
		if (__atomic_load_n(&k->state, __ATOMIC_SEQ_CST) == TSW_KEY_DELETED)
			tsw_key_log_delete(k, id);
	}
	pthread_mutex_unlock(&lock);
	return id;
}

/* ALL is static, as it is too large for a thread's stack: the lock
 * guards it. */
int tsw_keys_top_creators(struct tsw_stack_ref out[3], unsigned *held)
{
	pthread_mutex_lock(&lock);
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
	*held = count_live();
	pthread_mutex_unlock(&lock);
	return kept;
}

/* Keys never deleted by process exit. */
void tsw_keys_at_exit(void)
{
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		const struct tsw_key *k = &tsw_keys[i];
		if (k->state != TSW_KEY_LIVE || k->inherited || tsw_unload_reported(i, k->gen))
			continue;
		uint32_t id = tsw_key_id_of(k);
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
		uint32_t id = tsw_key_id_of(k);
		if (!id || (k->state != TSW_KEY_LIVE && k->state != TSW_KEY_DELETED))
			continue;
		log_key(i, id);
		if (k->state == TSW_KEY_DELETED)
			tsw_key_log_delete(k, id);
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
