/* The destructor thunks, which thunks.c owns.  glibc calls a key's
 * destructor with the value only, so each key with a destructor is created
 * with a thunk of ours that knows which key it serves.  A thunk is taken,
 * bound and given back by the inline functions below: every tracked create
 * and delete of a key with a destructor does it, and a call would cost as
 * much as the rest of their common path.  No other file writes the
 * thunks' state. */
#ifndef TSW_THUNKS_H
#define TSW_THUNKS_H

#include "tsw.h"

#pragma GCC visibility push(hidden)

extern tsw_dtor_fn *const tsw_thunk_fns[TSW_KEYS_MAX];
extern bool tsw_thunk_busy[TSW_KEYS_MAX];
extern unsigned tsw_thunk_cursor;        /* where the next take looks first */
struct tsw_thunk_use { unsigned idx; tsw_dtor_fn *dtor; };
extern struct tsw_thunk_use tsw_thunk_use[TSW_KEYS_MAX];   /* the key served, the host's destructor */
int tsw_thunk_take_from(unsigned c);     /* the same, looking at every thunk from C on */
/* Takes thunk N if it is free, and moves the cursor past it. */
static inline bool tsw_thunk_claim(unsigned n)
{
	bool free_ = false;
	if (__atomic_load_n(&tsw_thunk_busy[n], __ATOMIC_RELAXED) ||
	    !__atomic_compare_exchange_n(&tsw_thunk_busy[n], &free_, true, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&tsw_thunk_cursor, n + 1, __ATOMIC_RELAXED);
	return true;
}
/* A free thunk's number, -1 if none. */
static inline int tsw_thunk_take(void)
{
	unsigned n = __atomic_load_n(&tsw_thunk_cursor, __ATOMIC_RELAXED) % TSW_KEYS_MAX;
	return TSW_LIKELY(tsw_thunk_claim(n)) ? (int)n : tsw_thunk_take_from(n);
}
/* Before the key's create returns, so before any value of it exists. */
static inline void tsw_thunk_bind(int n, unsigned idx, tsw_dtor_fn *dtor)
{
	tsw_thunk_use[n] = (struct tsw_thunk_use){ idx, dtor };
}
static inline void tsw_thunk_give(int n)
{
	if (n >= 0)
		__atomic_store_n(&tsw_thunk_busy[n], false, __ATOMIC_RELEASE);
}
tsw_dtor_fn *tsw_thunk_served(int n, unsigned *idx);   /* the host's, and its key */
bool tsw_thunk_serves(int n, unsigned idx);   /* N is taken and bound to IDX */

#pragma GCC visibility pop

#endif
