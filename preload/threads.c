/* Thread records: one per thread from its creation (or adoption) until it
 * has finished and been joined or detached, in a registry under one lock
 * that thread creation, exit, join and detach take (never setspecific).
 * Each thread reaches its own record through tsw_self. */
#include <string.h>
#include <sys/prctl.h>
#include <sys/single_threaded.h>
#include <unistd.h>

#include "dict.h"
#include "tsw.h"

__thread struct tsw_thread *tsw_self;
pthread_mutex_t tsw_reg_lock = PTHREAD_MUTEX_INITIALIZER;
struct tsw_thread *tsw_threads;
struct tsw_counters tsw_count;

static struct tsw_idmap by_ptid, by_tid;
static uint64_t next_serial = 1;         /* 1 is the main thread's */
static uint64_t live;

/* By enum tsw_how: a thread that finishes with none was cancelled. */
static const char *const how_names[] = { TSW_END_CANCELLED, TSW_END_RETURNED, TSW_END_EXIT,
					 TSW_END_THRD_EXIT };

static void link_thread(struct tsw_thread *t)
{
	t->next = tsw_threads;
	if (tsw_threads)
		tsw_threads->prev = t;
	tsw_threads = t;
	if (++live > tsw_count.threads_peak_live)
		tsw_count.threads_peak_live = live;
}

static void unlink_thread(struct tsw_thread *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		tsw_threads = t->next;
	if (t->next)
		t->next->prev = t->prev;
}

void tsw_count_key(bool created)
{
	__atomic_fetch_add(created ? &tsw_count.keys_created : &tsw_count.keys_deleted, 1,
			   __ATOMIC_RELAXED);
}

/* SEEN is the peak the caller read: raised to LIVE unless another thread
 * raised it further meanwhile. */
void tsw_count_keys_peak(uint64_t live, uint64_t seen)
{
	while (live > seen && !__atomic_compare_exchange_n(&tsw_count.keys_peak_live, &seen, live,
							   true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* A thread's own counters into the process's. */
static void fold_counters(struct tsw_thread *t)
{
	tsw_count.values_set += t->values_set;
	tsw_count.destructor_calls += t->destructor_calls;
	if (t->keys_created)          /* most threads create none: no locked add */
		__atomic_fetch_add(&tsw_count.keys_created, t->keys_created, __ATOMIC_RELAXED);
	if (t->keys_deleted)
		__atomic_fetch_add(&tsw_count.keys_deleted, t->keys_deleted, __ATOMIC_RELAXED);
	t->values_set = t->destructor_calls = t->keys_created = t->keys_deleted = 0;
}

static void free_thread(struct tsw_thread *t)
{
	for (int b = 1; t->has_second && b < TSW_BLOCKS; b++)
		tsw_free(t->second[b], sizeof(struct tsw_slot) * TSW_SLOTS_PER_BLOCK);
	tsw_dict_free(t);
	tsw_free(t, sizeof *t);
}

/* The calling thread's TID, without a system call per thread: the CPU-time
 * clock id that glibc makes of a thread's TID (read from its descriptor)
 * encodes it as the kernel's ABI says, ~tid << 3 plus flags. */
static pid_t self_tid(void)
{
	clockid_t clock;
	pid_t tid = pthread_getcpuclockid(pthread_self(), &clock) == 0 ? (pid_t)~(clock >> 3) : 0;
	return tid > 0 ? tid : gettid();
}

/* A thread's name is what the kernel gave it at creation (its creator's),
 * then what pthread_setname_np or prctl(PR_SET_NAME) made it: read
 * from the record, not the kernel, so that a thread's end makes no
 * system call.  Two words written and read as atomics: a rename by
 * another thread that races the read may leave a mix of both names. */
union name { char c[16]; uint64_t w[2]; };

static void name_store(struct tsw_thread *t, const char *name)
{
	union name n = { 0 };
	memcpy(n.c, name, strnlen(name, sizeof n.c - 1));
	__atomic_store_n(&t->name[0], n.w[0], __ATOMIC_RELAXED);
	__atomic_store_n(&t->name[1], n.w[1], __ATOMIC_RELAXED);
}

/* The calling thread's name from the kernel, for a thread whose creator
 * tsswatch did not see.  Registry lock held, and T findable by its
 * pthread_t: a rename by another thread comes before or after, whole. */
static void name_read(struct tsw_thread *t)
{
	char buf[16] = "";
	TSW_REAL(prctl)(PR_GET_NAME, buf);
	buf[15] = 0;
	name_store(t, buf);
}

static const char *name_of(const struct tsw_thread *t, union name *n)
{
	n->w[0] = __atomic_load_n(&t->name[0], __ATOMIC_RELAXED);
	n->w[1] = __atomic_load_n(&t->name[1], __ATOMIC_RELAXED);
	n->c[15] = 0;
	return n->c;
}

static void log_thread(const struct tsw_thread *t)
{
	TSW_REC(r, TSW_BUF_SMALL);
	char flags[4], *f = flags;
	if (t->joinable)
		*f++ = TSW_THREAD_JOINABLE;
	if (t->adopted)
		*f++ = TSW_THREAD_ADOPTED;
	if (t->c11)
		*f++ = TSW_THREAD_C11;
	*f = 0;
	tsw_rec_start(&r, TSW_REC_THREAD);
	tsw_rec_dec(&r, t->serial);
	tsw_rec_dec(&r, t->parent);
	tsw_rec_dec(&r, t->create_stack);
	tsw_rec_str(&r, flags);
	tsw_rec_defer(&r);
}

static void log_ids(const struct tsw_thread *t)
{
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_IDS);
	tsw_rec_dec(&r, t->serial);
	tsw_rec_hex(&r, (uint64_t)t->ptid);
	tsw_rec_dec(&r, (uint64_t)t->tid);
	tsw_rec_defer(&r);
}

/* ID no longer names T, which finished: keep what a recycler needs. */
static void note_gone(struct tsw_identry *e, const struct tsw_thread *t)
{
	e->live = NULL;
	e->serial = t->serial;
	e->create_stack = t->create_stack;
	e->leaked = t->leaked;
}

/* Gives T its pthread_t and notes a recycled one.  Registry lock held. */
static void bind_ptid(struct tsw_thread *t, pthread_t ptid)
{
	if (t->ptid)
		return;
	t->ptid = ptid;
	struct tsw_identry *e = tsw_idmap_get(&by_ptid, (uint64_t)ptid, true);
	if (!e)
		return;
	/* glibc recycles a pthread_t once the join is done, which can be before
	 * the joiner's hook has released the old thread: that one is gone. */
	struct tsw_thread *old = e->live;
	if (old && old->state == TSW_FINISHED)
		note_gone(e, old);
	if (e->serial && !e->live) {
		tsw_count.pthread_t_recycles++;
		if (e->leaked) {
			t->recycled_ptid_from = e->serial;
			t->recycled_stack = e->create_stack;
		}
	}
	e->live = t;
}

struct tsw_thread *tsw_thread_new(uint32_t create_stack, bool joinable, bool c11)
{
	struct tsw_thread *parent = tsw_self_or_adopt();
	if (parent)
		tsw_teardown_arm(parent);   /* its end is no longer the process's */
	struct tsw_thread *t = tsw_alloc(sizeof *t);
	if (!t)
		return NULL;
	t->create_stack = create_stack;
	t->joinable = joinable;
	t->released = !joinable;          /* created detached */
	t->c11 = c11;
	t->parent = parent ? parent->serial : 0;
	if (parent) {             /* the kernel copies the creator's name */
		t->name[0] = __atomic_load_n(&parent->name[0], __ATOMIC_RELAXED);
		t->name[1] = __atomic_load_n(&parent->name[1], __ATOMIC_RELAXED);
	}
	pthread_mutex_lock(&tsw_reg_lock);
	t->serial = ++next_serial;
	tsw_count.threads_created++;
	link_thread(t);
	pthread_mutex_unlock(&tsw_reg_lock);
	log_thread(t);
	return t;
}

void tsw_thread_abandon(struct tsw_thread *t)
{
	pthread_mutex_lock(&tsw_reg_lock);
	unlink_thread(t);
	live--;
	tsw_count.threads_created--;
	pthread_mutex_unlock(&tsw_reg_lock);
	free_thread(t);
}

/* Frees a thread that has finished and is joined or detached, keeping what
 * its ids need to know.  Registry lock held. */
static void retire(struct tsw_thread *t)
{
	struct tsw_identry *e = tsw_idmap_get(&by_ptid, (uint64_t)t->ptid, false);
	if (e && e->live == t) {         /* else a new thread has the id already */
		note_gone(e, t);
		if (t->adopted)
			e->serial = 0;           /* unknown: never stale */
	}
	unlink_thread(t);
	free_thread(t);
}

void tsw_thread_creator_done(struct tsw_thread *t, pthread_t ptid)
{
	pthread_mutex_lock(&tsw_reg_lock);
	bind_ptid(t, ptid);
	t->creator_done = true;
	if (t->state == TSW_FINISHED && t->released)
		retire(t);
	pthread_mutex_unlock(&tsw_reg_lock);
}

/* In the new thread, before its start routine. */
void tsw_thread_started(struct tsw_thread *t)
{
	tsw_self = t;
	t->tid = self_tid();
	t->stack_sp = (uintptr_t)__builtin_frame_address(0);
	pthread_mutex_lock(&tsw_reg_lock);
	bind_ptid(t, pthread_self());
	if (!t->parent)
		name_read(t);
	struct tsw_identry *e = tsw_idmap_get(&by_tid, (uint64_t)t->tid, true);
	uint64_t tid_from = 0;
	if (e) {
		if (e->serial) {
			tsw_count.tid_recycles++;
			if (e->leaked) {
				tid_from = e->serial;
				if (!t->recycled_stack || t->recycled_ptid_from != e->serial)
					t->recycled_stack = e->create_stack;
			}
		}
		e->live = t;
		e->serial = t->serial;
		e->leaked = false;
	}
	t->state = TSW_RUNNING;
	uint64_t ptid_from = t->recycled_ptid_from;
	uint32_t old_stack = t->recycled_stack;
	pthread_mutex_unlock(&tsw_reg_lock);
	log_ids(t);
	tsw_teardown_arm(t);
	if (ptid_from || tid_from) {
		const char *ids = ptid_from && tid_from == ptid_from ? "pthread_t+tid"
				  : ptid_from ? "pthread_t" : "tid";
		struct tsw_stack_ref st[] = { { "thread_create", t->create_stack, 0 },
					      { "old_thread_create", old_stack, 0 } };
		tsw_finding(TSW_KIND_RECYCLED_ID, t->serial, 0, 0, ptid_from ? ptid_from : tid_from,
			    ids, st, 2);
	}
}

uint32_t tsw_slot_stack(const struct tsw_slot *s)
{
	return tsw_stack_seen(__atomic_load_n(&s->set_pc, __ATOMIC_RELAXED));
}

/* Deleting a key whose values threads still hold orphans them: glibc
 * will never pass them to the destructor.  SELF can still release its
 * own.  Here, not in key_delete.c, because it writes other threads'
 * records, under the registry lock. */
uint64_t tsw_threads_unbind(unsigned idx, struct tsw_thread *self, uint32_t *one_set)
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

/* tsw_self_or_adopt() for a thread without a record yet. */
static struct tsw_thread *adopt(void)
{
	/* A record means start-up is done: with tsw_init's release, the real
	 * functions it resolved are seen here (the set hooks call them
	 * unchecked). */
	(void)__atomic_load_n(&tsw_ready, __ATOMIC_ACQUIRE);
	struct tsw_thread *t = tsw_alloc(sizeof *t);
	if (!t)
		return NULL;
	t->adopted = true;
	t->joinable = false;      /* unknown: never reported as thread-leak */
	t->tid = self_tid();
	t->ptid = pthread_self();
	t->creator_done = true;
	t->state = TSW_RUNNING;
	pthread_mutex_lock(&tsw_reg_lock);
	t->serial = t->tid == getpid() ? 1 : ++next_serial;
	link_thread(t);
	struct tsw_identry *e = tsw_idmap_get(&by_ptid, (uint64_t)t->ptid, true);
	if (e)
		e->live = t;
	name_read(t);
	e = tsw_idmap_get(&by_tid, (uint64_t)t->tid, true);
	if (e) {
		e->live = t;
		e->serial = t->serial;
	}
	pthread_mutex_unlock(&tsw_reg_lock);
	tsw_self = t;
	log_thread(t);
	log_ids(t);
	/* A lone thread is armed by its first pthread_create or pthread_exit. */
	if (!__libc_single_threaded)
		tsw_teardown_arm(t);
	return t;
}

/* From teardown: T has run every destructor round. */
void tsw_thread_finished(struct tsw_thread *t)
{
	union name name;
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_END);
	tsw_rec_dec(&r, t->serial);
	/* An adopted thread did not start in our trampoline: whether it
	 * returned or was cancelled is not known. */
	tsw_rec_str(&r, t->adopted && t->how == TSW_HOW_NONE ? TSW_END_UNKNOWN : how_names[t->how]);
	tsw_rec_str(&r, name_of(t, &name));
	tsw_rec_defer(&r);

	tsw_self = TSW_SELF_FINISHED;
	pthread_mutex_lock(&tsw_reg_lock);
	t->state = TSW_FINISHED;
	live--;
	fold_counters(t);
	struct tsw_identry *e = tsw_idmap_get(&by_tid, (uint64_t)t->tid, false);
	if (e && e->live == t)
		note_gone(e, t);
	/* An adopted thread may be joined by code that created it unseen:
	 * it is forgotten at once, and a later join of it is not stale. */
	if ((t->released || t->adopted) && t->creator_done)
		retire(t);
	pthread_mutex_unlock(&tsw_reg_lock);
}

/* Before a join or detach: the thread PTID names, or NULL.  A pthread_t
 * that names no live or unjoined thread is a stale-thread, logged before
 * the call, which may crash.  The join is then released by record, not by
 * id: glibc may give the id to a new thread as soon as the join is done. */
struct tsw_thread *tsw_thread_check(pthread_t ptid, const char *call, uintptr_t pc)
{
	pthread_mutex_lock(&tsw_reg_lock);
	struct tsw_identry *e = tsw_idmap_get(&by_ptid, (uint64_t)ptid, false);
	struct tsw_thread *t = e ? e->live : NULL;
	bool stale = e && !t && e->serial;
	uint64_t old = stale ? e->serial : 0;
	uint32_t old_stack = stale ? e->create_stack : 0;
	if (t && t->released)
		t = NULL;                /* joined or detached already: glibc says so */
	pthread_mutex_unlock(&tsw_reg_lock);
	if (stale) {
		struct tsw_thread *self = tsw_self_or_adopt();
		struct tsw_stack_ref st[] = { { "call", tsw_stack_of(pc), 0 },
					      { "thread_create", old_stack, 0 } };
		tsw_finding(TSW_KIND_STALE_THREAD, self ? self->serial : 0, 0, 0, old, call, st, 2);
	}
	return t;
}

/* After a successful join or detach of T (from tsw_thread_check; NULL for
 * a thread tsswatch has not seen yet, which is only counted). */
void tsw_thread_release(struct tsw_thread *t, bool joined)
{
	pthread_mutex_lock(&tsw_reg_lock);
	if (!t || !t->released) {
		if (joined)
			tsw_count.threads_joined++;
		else
			tsw_count.threads_detached++;
	}
	if (t && !t->released) {
		t->released = true;
		if (t->state == TSW_FINISHED && t->creator_done)
			retire(t);
	}
	pthread_mutex_unlock(&tsw_reg_lock);
}

bool tsw_thread_renamed_self(pthread_t ptid, const char *name)
{
	struct tsw_thread *self = tsw_self_record();
	if (!self || !pthread_equal(ptid, pthread_self()))
		return false;
	name_store(self, name);
	return true;
}

void tsw_thread_renamed(pthread_t ptid, const char *name)
{
	if (pthread_equal(ptid, pthread_self()) && tsw_self_or_adopt())
		return;                  /* adopted now, with the kernel's name */
	pthread_mutex_lock(&tsw_reg_lock);
	struct tsw_identry *e = tsw_idmap_get(&by_ptid, (uint64_t)ptid, false);
	if (e && e->live)
		name_store(e->live, name);
	pthread_mutex_unlock(&tsw_reg_lock);
}

/* The name of a thread that has not finished, at process exit. */
static void log_name(const struct tsw_thread *t)
{
	union name name;
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_NAME);
	tsw_rec_dec(&r, t->serial);
	tsw_rec_str(&r, name_of(t, &name));
	tsw_rec_defer(&r);
}

/* At process exit: unjoined finished threads, running ones, and the
 * counters of threads that have not finished. */
void tsw_threads_at_exit(void)
{
	struct tsw_thread *self = tsw_self_or_adopt();
	pthread_mutex_lock(&tsw_reg_lock);
	for (struct tsw_thread *t = tsw_threads; t; t = t->next) {
		struct tsw_stack_ref st[] = { { "thread_create", t->create_stack, 0 } };
		if (t->state == TSW_FINISHED) {
			if (t->joinable && !t->released)
				tsw_finding(TSW_KIND_THREAD_LEAK, t->serial, 0, 0, 0, NULL, st, 1);
			continue;
		}
		fold_counters(t);
		log_name(t);
		/* A thread past its start routine is finishing, not running. */
		if (t == self || t->serial == 1 || t->how != TSW_HOW_NONE)
			continue;
		union name name;
		tsw_finding(TSW_KIND_THREAD_RUNNING, t->serial, 0, 0, 0, name_of(t, &name),
			    st, 1);
	}
	pthread_mutex_unlock(&tsw_reg_lock);
}

/* In a fork child only the forking thread exists: the others are the
 * parent's, not the child's to report. */
void tsw_threads_atfork_child(void)
{
	pthread_mutex_init(&tsw_reg_lock, NULL);
	struct tsw_thread *self = tsw_self_record();
	tsw_threads = NULL;
	live = 0;
	memset(&tsw_count, 0, sizeof tsw_count);
	tsw_idmap_clear(&by_ptid);
	tsw_idmap_clear(&by_tid);
	if (!self)
		return;
	self->prev = self->next = NULL;
	self->tid = self_tid();
	self->parent = 0;                /* the parent process's thread */
	self->values_set = self->destructor_calls = self->keys_created = self->keys_deleted = 0;
	link_thread(self);
	struct tsw_identry *e = tsw_idmap_get(&by_ptid, (uint64_t)self->ptid, true);
	if (e)
		e->live = self;
	log_thread(self);
	log_ids(self);
}

struct tsw_thread *tsw_self_or_adopt(void)
{
	struct tsw_thread *t = tsw_self;
	if (TSW_LIKELY(t != NULL))
		return t == TSW_SELF_FINISHED ? NULL : t;
	return adopt();
}
