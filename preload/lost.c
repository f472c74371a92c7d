/* Whether a value a finished thread dropped was lost, as memcheck's
 * "definitely lost": the leak kinds (tsd-leak, dtor-exhausted, dict-leak)
 * report only memory nothing else owns.
 *   - A value in no writable mapping, in a module's static data or in a
 *     thread's stack is not memory of its own: never logged.
 *   - Any other is logged as a finding and kept as a candidate.  A
 *     candidate the program frees later (an interpreter's context that a
 *     registry frees after the join) gets an R record "freed" from the free
 *     hook (free_hook.c), which the report takes as cancelling it.
 *   - At exit, the candidates left whose address is still stored in a
 *     module's static data get an R record "reachable": not lost either.
 * Candidates live in a small open-addressing set of addresses without a
 * lock: the free hook's fast path is one load of PENDING. */
#include <link.h>
#include <string.h>
#include <sys/auxv.h>

#include "tsw.h"

#define CAND_BITS 12
#define CAND_CAP (1u << CAND_BITS)
#define CAND_MAX (CAND_CAP / 4 * 3)   /* beyond this, a finding is just logged */
#define EMPTY 0
#define GONE 1                        /* a removed candidate: probes go on past it */

static uintptr_t cand[CAND_CAP];
static unsigned used;                 /* slots ever filled: EMPTY ones are never reused */
/* Candidates in the set; far below zero once the process ended, so that
 * adds and removes still racing with the end never make it positive. */
volatile int tsw_lost_pending;
#define STOPPED (-(1 << 30))

static unsigned cand_hash(uintptr_t v)
{
	return (unsigned)(((uint64_t)v * 0x9e3779b97f4a7c15ull) >> (64 - CAND_BITS));
}

/* Adds V (already logged as a finding).  A GONE slot on its probe is taken
 * again; another thread adding the same V at once may leave it twice,
 * which removal handles. */
static void cand_add(uintptr_t v)
{
	unsigned i = cand_hash(v);
	for (unsigned n = 0; n < CAND_CAP; n++, i = (i + 1) % CAND_CAP) {
		uintptr_t c = __atomic_load_n(&cand[i], __ATOMIC_ACQUIRE);
		if (c == v)
			return;
		if (c != EMPTY && c != GONE)
			continue;
		if (c == EMPTY && __atomic_load_n(&used, __ATOMIC_RELAXED) >= CAND_MAX)
			return;
		if (__atomic_compare_exchange_n(&cand[i], &c, v, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			if (c == EMPTY)
				__atomic_add_fetch(&used, 1, __ATOMIC_RELAXED);
			__atomic_add_fetch(&tsw_lost_pending, 1, __ATOMIC_RELEASE);
			return;
		}
		if (c == v)
			return;
		if (c == EMPTY || c == GONE)
			n--, i = (i + CAND_CAP - 1) % CAND_CAP;     /* look at it again */
	}
}

/* Whether V is a candidate; reads only, so a vfork child may ask. */
static bool cand_has(uintptr_t v)
{
	unsigned i = cand_hash(v);
	for (unsigned n = 0; n < CAND_CAP; n++, i = (i + 1) % CAND_CAP) {
		uintptr_t c = __atomic_load_n(&cand[i], __ATOMIC_ACQUIRE);
		if (c == v)
			return true;
		if (c == EMPTY)
			break;
	}
	return false;
}

/* Removes every copy of V; true when there was one. */
static bool cand_take(uintptr_t v)
{
	bool took = false;
	unsigned i = cand_hash(v);
	for (unsigned n = 0; n < CAND_CAP; n++, i = (i + 1) % CAND_CAP) {
		uintptr_t c = __atomic_load_n(&cand[i], __ATOMIC_ACQUIRE);
		if (c == EMPTY)
			break;
		if (c == v && __atomic_compare_exchange_n(&cand[i], &c, GONE, false, __ATOMIC_ACQ_REL,
							  __ATOMIC_RELAXED)) {
			__atomic_sub_fetch(&tsw_lost_pending, 1, __ATOMIC_RELEASE);
			took = true;
		}
	}
	return took;
}

static void log_not_lost(uintptr_t v, const char *how)
{
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_NOT_LOST);
	tsw_rec_hex(&r, v);
	tsw_rec_raw(&r, " ");
	tsw_rec_raw(&r, how);
	tsw_rec_end(&r);
}

/* From free() and realloc(), when a candidate is pending: a look at the
 * set first, as most frees are of other blocks.  Inside tsswatch (which
 * never frees host memory) the call is not ours to log; a fork child not
 * reset yet is reset by the guard (its candidates are the parent's). */
void tsw_lost_freed(void *p)
{
	if (!p || tsw_inside() || !cand_has((uintptr_t)p) || tsw_in_vfork_child())
		return;
	struct tsw_guard g = TSW_GUARD_INIT;    /* it keeps errno, as free does */
	if (tsw_guard_enter(&g) && cand_take((uintptr_t)p))
		log_not_lost((uintptr_t)p, "freed");
	tsw_guard_leave(&g);
}

/* Whether the writable mapping [LO, HI) is a thread's stack: the calling
 * (finishing) thread's, the main thread's (where the kernel put the
 * auxiliary vector's random bytes) or a live thread's, each known by an
 * address inside it. */
static bool is_stack(uintptr_t lo, uintptr_t hi)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	uintptr_t main_stack = getauxval(AT_RANDOM);
	if ((here >= lo && here < hi) || (main_stack >= lo && main_stack < hi))
		return true;
	bool found = false;
	pthread_mutex_lock(&tsw_reg_lock);
	for (struct tsw_thread *t = tsw_threads; t && !found; t = t->next)
		found = t->stack_sp >= lo && t->stack_sp < hi;
	pthread_mutex_unlock(&tsw_reg_lock);
	return found;
}

/* V is memory of its own: a writable mapping that is no module's (static
 * data) and no thread's stack. */
static bool owned_memory(uintptr_t v)
{
	uintptr_t lo, hi, offset;
	if (!tsw_writable_range(v, &lo, &hi))
		return false;
	if (tsw_module_of(v, &offset))
		return false;
	return !is_stack(lo, hi);
}

void tsw_lost_finding(enum tsw_kind kind, uint64_t serial, uint64_t key_id, uintptr_t value,
		      const char *name, const struct tsw_stack_ref *stacks, int n)
{
	if (!owned_memory(value))
		return;
	tsw_finding(kind, serial, key_id, value, 0, name, stacks, n);
	cand_add(value);
}

/* ---- at exit: the candidates still referenced ---- */

struct scan {
	uintptr_t *vals;          /* sorted */
	bool *seen;
	unsigned n;
};

static int cmp_uptr(uintptr_t a, uintptr_t b)
{
	return (a > b) - (a < b);
}

static void sort(uintptr_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uintptr_t x = v[i];
		unsigned j = i;
		for (; j > 0 && cmp_uptr(v[j - 1], x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void scan_words(struct scan *s, uintptr_t lo, uintptr_t hi)
{
	lo = (lo + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
	for (const uintptr_t *p = (const uintptr_t *)lo; (uintptr_t)(p + 1) <= hi; p++) {
		uintptr_t w = *p;
		if (w < s->vals[0] || w > s->vals[s->n - 1])
			continue;
		unsigned a = 0, b = s->n;
		while (a < b) {
			unsigned m = (a + b) / 2;
			if (s->vals[m] < w)
				a = m + 1;
			else
				b = m;
		}
		if (a < s->n && s->vals[a] == w)
			s->seen[a] = true;
	}
}

/* The writable segments of every module but ours: .data and .bss. */
static int scan_module(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	uintptr_t me = (uintptr_t)&scan_module;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && me >= a && me < a + ph->p_memsz)
			return 0;
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W))
			scan_words(arg, info->dlpi_addr + ph->p_vaddr,
				   info->dlpi_addr + ph->p_vaddr + ph->p_memsz);
	}
	return 0;
}

/* Before the X record: the program's exit handlers have run.  Stacks are
 * not scanned: how much of another thread's is in use is not known without
 * stopping it, and the exiting thread's frames lie where the destructors
 * that dropped the values ran, over stale copies of them. */
void tsw_lost_at_exit(void)
{
	unsigned n = 0;
	if (__atomic_load_n(&tsw_lost_pending, __ATOMIC_ACQUIRE) <= 0)
		return;
	struct scan s = { tsw_alloc(CAND_CAP * sizeof *s.vals), tsw_alloc(CAND_CAP), 0 };
	if (s.vals && s.seen) {
		for (unsigned i = 0; i < CAND_CAP; i++) {
			uintptr_t c = __atomic_load_n(&cand[i], __ATOMIC_ACQUIRE);
			if (c != EMPTY && c != GONE)
				s.vals[n++] = c;
		}
		s.n = n;
	}
	if (s.n) {
		sort(s.vals, s.n);
		dl_iterate_phdr(scan_module, &s);
		for (unsigned i = 0; i < s.n; i++)
			if (s.seen[i] && cand_take(s.vals[i]))
				log_not_lost(s.vals[i], "reachable");
	}
	if (s.vals)
		tsw_free(s.vals, CAND_CAP * sizeof *s.vals);
	if (s.seen)
		tsw_free(s.seen, CAND_CAP);
}

/* At the end of the process, before its last records: frees go unwatched. */
void tsw_lost_stop(void)
{
	__atomic_store_n(&tsw_lost_pending, STOPPED, __ATOMIC_RELEASE);
}

/* The parent's candidates belong to the parent's log. */
void tsw_lost_atfork_child(void)
{
	memset(cand, 0, sizeof cand);
	used = 0;
	tsw_lost_pending = 0;
}
