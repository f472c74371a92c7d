/* Internal interfaces of libtsswatch.so: one section per file, with the
 * state that file owns (it alone writes it; others read it or call the
 * file's functions).  The few inline functions are hot paths, and each
 * says why it must be inline.  The key table and the destructor thunks
 * have headers of their own (keys.h, thunks.h), and so do the writes
 * that other files make to a thread record (thread_record.h: not
 * threads.h, which <threads.h> would find).  Every name is
 * tsw_-prefixed and hidden. */
#ifndef TSW_H
#define TSW_H

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <threads.h>
#include <unistd.h>

#include "tsswatch_log.h"
#include "tsswatch_shared.h"

/* Everything declared here is the library's own: the hot paths reach its
 * data directly, not through the GOT (-fvisibility=hidden covers only
 * definitions).  Hooks and the public API are exported by TSW_API.  No
 * weak reference to another module belongs here: hidden, it would be
 * resolved to 0 at link time. */
#pragma GCC visibility push(hidden)

#define TSW_API __attribute__((visibility("default")))
#define TSW_LIKELY(x) __builtin_expect(!!(x), 1)
#define TSW_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define TSW_KEYS_MAX PTHREAD_KEYS_MAX            /* 1024 in glibc */
#define TSW_SLOTS_PER_BLOCK 32                   /* as glibc's second level */
#define TSW_BLOCKS (TSW_KEYS_MAX / TSW_SLOTS_PER_BLOCK)
#define TSW_ROUNDS PTHREAD_DESTRUCTOR_ITERATIONS
#define TSW_MODULES_MAX 4096                     /* module ids: 1 .. this */

/* ---- guard.c: the recursion guard ----
 * Every hook that does work of its own does it inside a guard, in the
 * same three steps:
 *
 *	struct tsw_guard g = TSW_GUARD_INIT;
 *	if (tsw_guard_enter(&g))
 *		... the work ...
 *	tsw_guard_leave(&g);
 *
 * Entering fails, and the hook only forwards, when this thread is already
 * inside tsswatch (our work calls libc, which may call malloc, which a
 * host's allocator may implement with keys), before start-up, or once the
 * process is ending.  Entering a guard that is already entered changes
 * nothing, so a path may enter only at the point where it needs to.  The
 * guard saves errno when it is entered and restores it when it is left.
 * tsw_guard_hold() always enters, for work that must run even when the
 * thread is inside tsswatch (start-up, a destructor round); leaving then
 * restores whether the thread was inside before, as it does after
 * tsw_guard_release().
 *
 * The hot paths take no guard: they take no lock, log nothing and call
 * nothing but glibc's own function, and they ask tsw_can_enter() whether
 * a guard would be granted (see key_hooks.c and key_create.c). */
struct tsw_guard { bool in, was_inside; int saved_errno; };
#define TSW_GUARD_INIT { false, false, 0 }
bool tsw_guard_enter(struct tsw_guard *g);
void tsw_guard_hold(struct tsw_guard *g);
/* The host's code called from inside tsswatch (a dictionary entry's
 * destructor) runs outside it, so that its own calls are followed:
 * leaving G goes back inside. */
void tsw_guard_release(struct tsw_guard *g);
void tsw_guard_leave(struct tsw_guard *g);
bool tsw_inside(void);                   /* this thread is inside tsswatch */
bool tsw_from_runtime(uintptr_t pc);     /* a sanitizer runtime's call before start-up */
extern __thread volatile int tsw_busy;   /* guard.c's alone: see tsw_can_enter */
extern volatile int tsw_ready;           /* process.c: 1 once tsw_init() finished */
extern volatile pid_t *tsw_pid_page;    /* process.c: zeroed in a fork child */
/* Whether tsw_guard_enter() would pass at once: started, not inside
 * tsswatch, not a fork child still to be reset.  Inline because the key
 * create and delete hooks ask it on every call, where a call would cost
 * as much as the rest of their fast path. */
static inline __attribute__((always_inline)) bool tsw_can_enter(void)
{
	volatile pid_t *pid_page = tsw_pid_page;
	return TSW_LIKELY(tsw_ready && !tsw_busy && pid_page && *pid_page);
}

/* ---- io.c: I/O that is no cancellation point: a thread cancelled
 * inside tsswatch would skip its own bookkeeping ---- */
int tsw_open(const char *path, int flags, int mode);     /* O_CLOEXEC added */
ssize_t tsw_read(int fd, void *buf, size_t n);
ssize_t tsw_write(int fd, const void *buf, size_t n);
void tsw_close(int fd);

/* ---- real.c: the real functions ---- */
#define TSW_REAL_FUNCS(X) \
	X(pthread_create) X(pthread_join) X(pthread_tryjoin_np) X(pthread_timedjoin_np) \
	X(pthread_clockjoin_np) X(pthread_detach) X(pthread_exit) \
	X(pthread_key_create) X(pthread_key_delete) X(pthread_setspecific) \
	X(pthread_getspecific) X(thrd_create) X(thrd_join) X(thrd_detach) X(thrd_exit) \
	X(tss_create) X(tss_delete) X(tss_set) X(tss_get) X(dlopen) X(dlclose) \
	X(execve) X(execv) X(execvp) X(execvpe) X(fexecve) X(_exit) X(_Exit) \
	X(pthread_setname_np) X(prctl) X(__cxa_thread_atexit_impl)
/* glibc's, behind libstdc++'s __cxa_thread_atexit; no header declares it */
TSW_API int __cxa_thread_atexit_impl(void (*func)(void *), void *obj, void *dso_symbol);
enum {
#define TSW_REAL_ENUM(name) TSW_REAL_##name,
	TSW_REAL_FUNCS(TSW_REAL_ENUM)
#undef TSW_REAL_ENUM
	TSW_REAL_COUNT
};
extern void *tsw_real_fn[TSW_REAL_COUNT];
void *tsw_resolve(int which);
void tsw_resolve_all(void);
#define TSW_REAL(name)                                                      \
	({ void *f_ = __atomic_load_n(&tsw_real_fn[TSW_REAL_##name], __ATOMIC_RELAXED); \
	   (__typeof__(&name))(TSW_LIKELY(f_ != NULL) ? f_ : tsw_resolve(TSW_REAL_##name)); })
/* NULL until resolved: for hooks that must stay leaves on their hot path. */
#define TSW_REAL_RESOLVED(name) \
	((__typeof__(&name))__atomic_load_n(&tsw_real_fn[TSW_REAL_##name], __ATOMIC_RELAXED))

/* Lock order: never call into the dynamic loader (dlsym, dladdr,
 * dl_iterate_phdr, backtrace) while holding a lock of ours; the host may
 * hold the loader's lock when it reaches a hook.  Ours nest as
 * key lock -> registry lock -> stack lock -> module lock -> alloc lock;
 * the log's pending lock and the writable-maps lock are leaves. */

/* ---- options.c ---- */
struct tsw_options {
	char log_dir[512];
	int stack_depth;
	bool check_get, report_main, quiet;
};
extern struct tsw_options tsw_opt;
void tsw_options_parse(void);

/* ---- alloc.c: memory of our own (mmap), never the host's malloc ---- */
void *tsw_alloc(size_t size);            /* zeroed; NULL when out of memory */
void tsw_free(void *p, size_t size);
void tsw_alloc_atfork_child(void);

/* ---- log.c: records, one write(2) each ---- */
/* A record being built, in a buffer of the caller's: small ones on the
 * stack (threads may run on PTHREAD_STACK_MIN stacks), so a long field is
 * cut to fit.  TSW_REC(r, TSW_BUF_SMALL) declares one. */
struct tsw_rec { size_t n, cap; char *b; };
#define TSW_REC(name, size) \
	char name##_space[size]; \
	struct tsw_rec name = { 0, sizeof name##_space, name##_space }
#define TSW_BUF_SMALL 256    /* ids and numbers */
#define TSW_BUF_MEDIUM 1024  /* a path, a name, a finding */
void tsw_rec_start(struct tsw_rec *r, char type);
void tsw_rec_str(struct tsw_rec *r, const char *s);      /* " " + escaped */
void tsw_rec_raw(struct tsw_rec *r, const char *s);      /* as is */
void tsw_rec_dec(struct tsw_rec *r, uint64_t v);         /* " " + decimal */
void tsw_rec_hex(struct tsw_rec *r, uint64_t v);         /* " " + hex */
void tsw_rec_end(struct tsw_rec *r);                     /* newline, write */
void tsw_rec_defer(struct tsw_rec *r);   /* newline, write with the next tsw_rec_end */
size_t tsw_fmt_dec(char *out, uint64_t v);               /* no NUL; length */
size_t tsw_fmt_hex(char *out, uint64_t v);
bool tsw_log_open(void);
void tsw_log_reopen_child(void);
const char *tsw_log_path(void);

/* ---- modules.c: the module map, for stacks and key-leak ---- */
void tsw_modules_refresh(void);          /* logs M and U records */
uint32_t tsw_module_of(uintptr_t addr, uintptr_t *offset);
bool tsw_module_unloaded(uint32_t id);
bool tsw_module_hidden(uint32_t id);      /* ours, or a sanitizer runtime */
bool tsw_module_c_runtime(uint32_t id);   /* libc or the loader */
const char *tsw_module_path(uint32_t id, uintptr_t *bias);   /* NULL: no such module */
/* Up to MAX modules unloaded after the first *SEEN unloads, in the order
 * they were, with *SEEN moved past them; how many. */
struct tsw_range { uint32_t id; uintptr_t lo, hi; };
int tsw_modules_unloaded_since(uint32_t *seen, struct tsw_range *out, int max);
void tsw_modules_relog(void);
void tsw_modules_atfork_child(void);

/* ---- stacks.c: one stack per call site ---- */
#define TSW_SITE_BITS 18
struct tsw_site {
	uintptr_t pc;             /* the call site's return address; 0: empty */
	uint32_t stack;           /* the S record's id */
	uint32_t module;          /* the module of pc */
	bool hidden;              /* which is ours or a sanitizer runtime's */
	uint32_t key_index;       /* the last key index set from here, +1 */
	uint32_t key_id;          /* and that key's id */
};
extern struct tsw_site *tsw_sites;      /* open addressing by tsw_site_hash */
struct tsw_site *tsw_site_probe(uintptr_t pc);  /* past the first slot; may capture */
static inline uint32_t tsw_site_hash(uintptr_t pc)
{
	return (uint32_t)(((uint64_t)pc * 0x9e3779b97f4a7c15ull) >> (64 - TSW_SITE_BITS));
}
/* PC's site if it sits in its first slot, as most do; else NULL.  Inline
 * because the key create and delete hooks look their call site up on
 * every call. */
static inline struct tsw_site *tsw_site_cached(uintptr_t pc)
{
	struct tsw_site *s = tsw_sites ? &tsw_sites[tsw_site_hash(pc)] : NULL;
	return TSW_LIKELY(s && __atomic_load_n(&s->pc, __ATOMIC_ACQUIRE) == pc) ? s : NULL;
}
/* PC's site, its stack captured when PC is new; NULL before start-up or
 * when the table is full. */
struct tsw_site *tsw_site_of(uintptr_t pc);
uint32_t tsw_stack_of(uintptr_t pc);     /* its stack; 0: none */
uint32_t tsw_stack_seen(uintptr_t pc);   /* a site's stack, never capturing; 0: none */
/* How many frames STACK has when none of them is in MODULE; -1 when one
 * is, or the stack is unknown. */
int tsw_stack_lacks_module(uint32_t stack, uint32_t module);
#define TSW_CALLER ((uintptr_t)__builtin_return_address(0))
void tsw_stacks_relog(void);
void tsw_stacks_atfork_child(void);
void tsw_stacks_init(void);
int tsw_unwind(void **frames, int max);  /* unwind.c: return addresses, no malloc */

/* ---- idmap.c: pthread_t and TID -> thread (under tsw_reg_lock) ---- */
struct tsw_thread;
struct tsw_identry {
	uint64_t id;
	struct tsw_thread *live;  /* the thread that has it now, or NULL */
	uint64_t serial;          /* else the last one that had it */
	uint32_t create_stack;
	bool leaked;              /* which finished with storage unreleased */
};
struct tsw_idmap { struct tsw_identry *e; size_t cap, used; };
struct tsw_identry *tsw_idmap_get(struct tsw_idmap *m, uint64_t id, bool create);
void tsw_idmap_clear(struct tsw_idmap *m);

/* ---- threads.c: thread records and their registry; other files write a
 * record's fields only through thread_record.h, but for the slots and the
 * set fast path below (see there) ---- */
/* A thread's record of one key: 16 bytes, as many per thread as keys.  A
 * slot is bound to the live key at its index by the first non-NULL set;
 * deleting the key unbinds every thread's slot, so a bound slot needs no
 * look at the key table.  That delete writes other threads' slots: every
 * access is atomic (relaxed: plain moves on x86). */
struct tsw_slot {
	void *value;
	uintptr_t set_pc;         /* the set that made it non-NULL; 0: unbound */
};
uint32_t tsw_slot_stack(const struct tsw_slot *s);   /* threads.c: its set's stack */
struct tsw_dict;

enum tsw_how { TSW_HOW_NONE, TSW_HOW_RETURNED, TSW_HOW_EXIT, TSW_HOW_THRD_EXIT };
enum tsw_state { TSW_STARTING, TSW_RUNNING, TSW_FINISHED };

struct tsw_counters {
#define TSW_COUNTER_FIELD(name) uint64_t name;
	TSW_COUNTERS(TSW_COUNTER_FIELD)
#undef TSW_COUNTER_FIELD
};

struct tsw_thread {
	/* First: the set fast path finds slot K at K * 16 from the record */
	_Alignas(16) struct tsw_slot first[TSW_SLOTS_PER_BLOCK];  /* no slot across two lines */
	uint64_t serial, parent;
	pthread_t ptid;
	pid_t tid;
	uint32_t create_stack;
	bool joinable, adopted, c11;
	bool armed;               /* the teardown hook holds it */
	bool hook_pending;        /* the hook is set: glibc will call it */
	bool released;            /* joined or detached */
	bool creator_done;        /* the creating call has returned */
	bool leaked;              /* finished with storage unreleased */
	uint64_t recycled_ptid_from;  /* a leaking thread that had our pthread_t */
	uint32_t recycled_stack;      /* and its create stack */
	int state;                /* enum tsw_state */
	int how;                  /* enum tsw_how */
	int rounds;               /* destructor rounds seen */
	unsigned pos;             /* key index of our last call in this round */
	unsigned top;             /* one past the highest index it bound a slot at */
	uint64_t values_set, destructor_calls, keys_created, keys_deleted;  /* summed at its end */
	uint64_t name[2];         /* its name, 15 chars and a NUL: __atomic words */
	struct tsw_slot *second[TSW_BLOCKS];  /* read by other threads: __atomic */
	bool has_second;          /* some second[] block was allocated */
	struct tsw_dict *dict;
	uintptr_t stack_sp;       /* an address in its stack, for lost.c */
	void *(*start)(void *);   /* the host's start routine and argument */
	int (*start_c11)(void *);
	void *start_arg;
	/* tls_dtors.c: the first four modules it registered thread_local
	 * objects of, and the dso_symbol that named each.  Written by the
	 * thread only; a dlclose reads the modules under tsw_reg_lock. */
	uintptr_t tls_dso[4];
	uint32_t tls_module[4];
	struct tsw_thread *prev, *next;      /* registry */
};
#define TSW_SELF_FINISHED ((struct tsw_thread *)1)
extern __thread struct tsw_thread *tsw_self;
extern pthread_mutex_t tsw_reg_lock;
extern struct tsw_thread *tsw_threads;   /* registry head */
extern struct tsw_counters tsw_count;    /* keys_* atomic, the rest under tsw_reg_lock */
void tsw_count_key(bool created);        /* a key created or deleted by no thread of ours */
void tsw_count_keys_peak(uint64_t live, uint64_t seen);   /* LIVE keys: a new peak? */

struct tsw_thread *tsw_thread_new(uint32_t create_stack, bool joinable, bool c11);
void tsw_thread_started(struct tsw_thread *t);   /* in the new thread */
void tsw_thread_abandon(struct tsw_thread *t);   /* its create failed */
void tsw_thread_creator_done(struct tsw_thread *t, pthread_t ptid);
/* The calling thread's record, without adopting; NULL: none yet, or it
 * has finished.  Inline because every set and key create asks, and always
 * inline because hooks that ThreadSanitizer must not instrument ask too
 * (key_hooks.c). */
static inline __attribute__((always_inline)) struct tsw_thread *tsw_self_record(void)
{
	struct tsw_thread *t = tsw_self;
	return TSW_LIKELY((uintptr_t)t > (uintptr_t)TSW_SELF_FINISHED) ? t : NULL;
}
/* The record of the calling thread; a thread tsswatch did not see created
 * (the main thread, or one created before the library initialised) is
 * adopted now.  NULL once the thread has finished. */
struct tsw_thread *tsw_self_or_adopt(void);
void tsw_thread_finished(struct tsw_thread *t);  /* from teardown */
struct tsw_thread *tsw_thread_check(pthread_t ptid, const char *call, uintptr_t pc);
void tsw_thread_release(struct tsw_thread *t, bool joined);
/* After a rename: of the calling thread if it has a record (true), else
 * of any thread, inside the guard. */
bool tsw_thread_renamed_self(pthread_t ptid, const char *name);
void tsw_thread_renamed(pthread_t ptid, const char *name);
/* For the delete of the key at IDX: unbinds every thread's slot of it;
 * how many threads other than SELF held a value, and one of their set
 * stacks in *ONE_SET. */
uint64_t tsw_threads_unbind(unsigned idx, struct tsw_thread *self, uint32_t *one_set);
void tsw_threads_at_exit(void);
void tsw_threads_atfork_child(void);
/* T's slot of the key at IDX; past the first block it may be allocated
 * (CREATE) or be missing (NULL).  Inline because the set's fast path
 * looks up a slot past the first block with it. */
static inline struct tsw_slot *tsw_slot_of(struct tsw_thread *t, unsigned idx, bool create);

/* ---- teardown.c: the end of a thread, judged at its last destructor ---- */
void tsw_teardown_arm(struct tsw_thread *t);   /* T: the calling thread */
void tsw_teardown_call(struct tsw_thread *t, unsigned pos);  /* after a destructor of ours */
void tsw_teardown_at_exit(struct tsw_thread *t);
extern pthread_key_t tsw_hook_key;         /* TSW_KEYS_MAX until taken */

/* ---- keys.c, key_create.c, key_delete.c, key_values.c: keys from create
 * to delete, and the values threads hold in them (the table: keys.h) ---- */
typedef void tsw_dtor_fn(void *);
enum tsw_api { TSW_PTHREAD, TSW_C11 };
int tsw_key_create(unsigned *key, tsw_dtor_fn *dtor, uintptr_t pc, enum tsw_api api);
int tsw_key_delete(unsigned idx, uintptr_t pc, enum tsw_api api);
void tsw_key_set(unsigned idx, const void *value, uintptr_t pc, const char *call, int rc);
bool tsw_key_rebind(unsigned idx, uintptr_t value, uintptr_t pc);  /* before the real set */
void tsw_key_get(unsigned idx, uintptr_t pc, const char *call);
void tsw_key_destructor_call(int thunk, void *value);
uint32_t tsw_key_id(unsigned idx);      /* 0: the log does not know it */
void tsw_keys_at_exit(void);
void tsw_keys_relog(void);
void tsw_keys_atfork_child(void);

/* ---- findings.c ---- */
struct tsw_stack_ref { const char *label; uint32_t stack; uint32_t count; };
void tsw_finding(enum tsw_kind kind, uint64_t serial, uint64_t key_id, uintptr_t value,
		 uint64_t arg, const char *name, const struct tsw_stack_ref *stacks, int n);
/* The writable mapping [LO, HI) that holds V; false when none does. */
bool tsw_writable_range(uintptr_t v, uintptr_t *lo, uintptr_t *hi);
void tsw_findings_summary(void);
void tsw_findings_atfork_child(void);

/* ---- foreign.c: deletes of keys another module created ---- */
void tsw_foreign_used(unsigned idx, uint32_t gen, uint32_t module);  /* a first set, a checked get */
/* Whether DELETER deleting generation GEN of the key at IDX, which module
 * CREATOR created at CREATE_STACK, is a foreign-key: it never received it. */
bool tsw_foreign_delete(unsigned idx, uint32_t gen, uint32_t creator, uint32_t create_stack,
			uint32_t deleter);
void tsw_foreign_atfork_child(void);

/* ---- unload.c: key destructors in unloaded modules ---- */
extern volatile int tsw_dangling;        /* some key's destructor is in an unloaded module */
void tsw_unload_check(uint32_t dlclose_stack);   /* after a dlclose, the map refreshed */
/* The first non-NULL set of a slot by T, when tsw_dangling */
void tsw_unload_set(unsigned idx, uint32_t gen, struct tsw_thread *t, const void *value,
		    uint32_t set_stack);
bool tsw_unload_reported(unsigned idx, uint32_t gen);   /* instead of its key-leak */
void tsw_unload_atfork_child(void);

/* ---- tls_dtors.c: thread_local objects that keep a module mapped ---- */
void tsw_pin_opened(void *handle, int mode);     /* after a dlopen returned it */
uint32_t tsw_pin_closing(void *handle);  /* before its dlclose: the module, if its last */
void tsw_pin_closed(uint32_t module, uint32_t dlclose_stack);   /* after, the map refreshed */
void tsw_pin_atfork_child(void);

/* ---- lost.c: whether a dropped value was lost; free_hook.c watches frees ---- */
extern volatile int tsw_lost_pending;   /* > 0: candidates a free may cancel */
/* A leak finding (arg 0) for VALUE, logged only when VALUE is memory of
 * its own (not a flag, static data or a stack), and then watched. */
void tsw_lost_finding(enum tsw_kind kind, uint64_t serial, uint64_t key_id, uintptr_t value,
		      const char *name, const struct tsw_stack_ref *stacks, int n);
void tsw_lost_freed(void *p);            /* P is being freed: a candidate? */
void tsw_lost_at_exit(void);             /* candidates still referenced */
void tsw_lost_stop(void);
void tsw_lost_atfork_child(void);

/* ---- budget.c: keys created and live per load of a module ---- */
extern uint32_t tsw_budget_created[TSW_MODULES_MAX + 1];
/* Inline because every key create counts its module. */
static inline __attribute__((always_inline)) void tsw_budget_count(uint32_t module)
{
	if (TSW_LIKELY(module <= TSW_MODULES_MAX))
		__atomic_store_n(&tsw_budget_created[module],
				 __atomic_load_n(&tsw_budget_created[module], __ATOMIC_RELAXED) + 1,
				 __ATOMIC_RELAXED);
}
void tsw_budget_log(void);               /* B records */
void tsw_budget_atfork_child(void);

/* ---- process.c: start-up, exit, fork ---- */
void tsw_init(void);
void tsw_forked(void);                   /* reset for a fork child */
bool tsw_in_new_process(void);           /* a fork child not reset yet */
bool tsw_in_vfork_child(void);           /* must touch nothing */

static inline struct tsw_slot *tsw_slot_of(struct tsw_thread *t, unsigned idx, bool create)
{
	if (TSW_LIKELY(idx < TSW_SLOTS_PER_BLOCK))
		return &t->first[idx];
	unsigned b = idx / TSW_SLOTS_PER_BLOCK;
	struct tsw_slot *blk = __atomic_load_n(&t->second[b], __ATOMIC_ACQUIRE);
	if (!blk) {
		if (!create)
			return NULL;
		blk = tsw_alloc(sizeof(struct tsw_slot) * TSW_SLOTS_PER_BLOCK);
		if (!blk)
			return NULL;
		__atomic_store_n(&t->second[b], blk, __ATOMIC_RELEASE);
		t->has_second = true;
	}
	return &blk[idx % TSW_SLOTS_PER_BLOCK];
}

/* The hot path of setspecific, run before the real call so the hook can
 * tail-call it: true when the set needs nothing more than this thread's
 * slot (no lock, no errno, no call): a value replaced by another, cleared,
 * or set again from the call site that bound the slot.  A bound slot
 * means the key is live and, past the first block, that glibc already
 * holds this thread's block of it: the real set cannot fail.  It writes
 * only the slot, so it needs no recursion guard: a signal handler's set
 * between the slow path's stores can at worst leave the set-site stale. */
static inline __attribute__((always_inline)) bool
tsw_key_set_fast(unsigned idx, uintptr_t value, uintptr_t pc)
{
	struct tsw_thread *t = tsw_self_record();
	if (TSW_UNLIKELY(!t))
		return false;
	struct tsw_slot *s;
	if (TSW_LIKELY(idx < TSW_SLOTS_PER_BLOCK))
		s = &t->first[idx];
	else if (idx < TSW_KEYS_MAX && (s = tsw_slot_of(t, idx, false)) != NULL)
		;
	else
		return false;
	/* Only an unbound slot, or a first value from a site other than the
	 * one that bound the slot, goes slow (where a value binds it): the
	 * slot keeps the site that gave the thread a value after it held
	 * none, whose stack the findings show.  A NULL, a value from that
	 * site, and a value replacing another from any site (a loop re-setting
	 * what an init function set) pass one test, with no branch on the
	 * value nor on the site: code that toggles a slot between NULL and a
	 * value, or re-sets it from several sites, must not have a branch
	 * mispredicted at every other set, nor a taken branch on its common
	 * path (one cost a loop re-setting from another site 40% of the
	 * null interposer's time).  OTHER is nonzero only for a value into an
	 * empty slot from another site.  VALUE comes as an integer, as to the
	 * slow path (key_hooks.c). */
	uintptr_t bound = __atomic_load_n(&s->set_pc, __ATOMIC_RELAXED);
	uintptr_t held = (uintptr_t)__atomic_load_n(&s->value, __ATOMIC_RELAXED);
	uintptr_t other = (bound ^ pc) & -(uintptr_t)(value != 0) & ((uintptr_t)(held != 0) - 1);
	if (TSW_UNLIKELY((other != 0) | (bound == 0)))
		return false;
	/* This and the slot are the record's only writes outside threads.c
	 * and thread_record.h: this header cannot include that one, and a
	 * function here would be the same increment. */
	t->values_set += value != 0;
	__atomic_store_n(&s->value, (void *)value, __ATOMIC_RELAXED);
	return true;
}

#pragma GCC visibility pop

#endif
