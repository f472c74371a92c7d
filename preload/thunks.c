/* Destructor thunks.  glibc calls a key's destructor with the value only,
 * so each key with a destructor is created with a thunk of ours that knows
 * which key it serves: the thunk tells keys.c a value was handed over (and
 * in which round), then calls the host's destructor.  There is one thunk
 * per possible key. */
#include "tsw.h"

#define TSW_THUNK(n) \
	static void tsw_thunk_##n(void *v) { tsw_key_destructor_call(n, v); }
#define TSW_THUNK16(p)                                                      \
	TSW_THUNK(p##0) TSW_THUNK(p##1) TSW_THUNK(p##2) TSW_THUNK(p##3)     \
	TSW_THUNK(p##4) TSW_THUNK(p##5) TSW_THUNK(p##6) TSW_THUNK(p##7)     \
	TSW_THUNK(p##8) TSW_THUNK(p##9) TSW_THUNK(p##a) TSW_THUNK(p##b)     \
	TSW_THUNK(p##c) TSW_THUNK(p##d) TSW_THUNK(p##e) TSW_THUNK(p##f)
#define TSW_THUNK256(p)                                                     \
	TSW_THUNK16(p##0) TSW_THUNK16(p##1) TSW_THUNK16(p##2) TSW_THUNK16(p##3) \
	TSW_THUNK16(p##4) TSW_THUNK16(p##5) TSW_THUNK16(p##6) TSW_THUNK16(p##7) \
	TSW_THUNK16(p##8) TSW_THUNK16(p##9) TSW_THUNK16(p##a) TSW_THUNK16(p##b) \
	TSW_THUNK16(p##c) TSW_THUNK16(p##d) TSW_THUNK16(p##e) TSW_THUNK16(p##f)
TSW_THUNK256(0x0) TSW_THUNK256(0x1) TSW_THUNK256(0x2) TSW_THUNK256(0x3)
#undef TSW_THUNK

#define TSW_THUNK(n) tsw_thunk_##n,
static tsw_dtor_fn *const thunks[TSW_KEYS_MAX] = {
	TSW_THUNK256(0x0) TSW_THUNK256(0x1) TSW_THUNK256(0x2) TSW_THUNK256(0x3)
};
#undef TSW_THUNK

/* Which thunks serve a key, and the key and destructor each serves.  A
 * cursor hands thunks out round-robin, so a released one comes back only
 * after the cursor has gone round: a thread whose exit races a
 * pthread_key_delete still reaches the deleted key's destructor, not a new
 * key's.  The cursor is a hint that racing creates may both read; the busy
 * flag, taken by compare-and-swap, decides.  No lock: some programs create
 * and delete a key per request. */
static bool busy[TSW_KEYS_MAX];
static unsigned cursor;
static struct { unsigned idx; tsw_dtor_fn *dtor; } served[TSW_KEYS_MAX];

int tsw_thunk_take(tsw_dtor_fn **fn)
{
	unsigned c = __atomic_load_n(&cursor, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		unsigned n = (c + i) % TSW_KEYS_MAX;
		bool free_ = false;
		if (__atomic_load_n(&busy[n], __ATOMIC_RELAXED) ||
		    !__atomic_compare_exchange_n(&busy[n], &free_, true, false, __ATOMIC_ACQUIRE,
						 __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&cursor, n + 1, __ATOMIC_RELAXED);
		*fn = thunks[n];
		return (int)n;
	}
	return -1;
}

/* Before the key's create returns, so before any value of it exists. */
void tsw_thunk_bind(int n, unsigned idx, tsw_dtor_fn *dtor)
{
	served[n].idx = idx;
	served[n].dtor = dtor;
}

void tsw_thunk_give(int n)
{
	if (n >= 0)
		__atomic_store_n(&busy[n], false, __ATOMIC_RELEASE);
}

tsw_dtor_fn *tsw_thunk_served(int n, unsigned *idx)
{
	*idx = served[n].idx;
	return served[n].dtor;
}

bool tsw_thunk_serves(int n, unsigned idx)
{
	return n >= 0 && __atomic_load_n(&busy[n], __ATOMIC_RELAXED) && served[n].idx == idx;
}
