/* Destructor thunks.  glibc calls a key's destructor with the value only,
 * so each key with a destructor is created with a thunk of ours that knows
 * which key it serves: the thunk tells key_values.c a value was handed over (and
 * in which round), then calls the host's destructor.  There is one thunk
 * per possible key. */
#include "thunks.h"

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
tsw_dtor_fn *const tsw_thunk_fns[TSW_KEYS_MAX] = {
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
bool tsw_thunk_busy[TSW_KEYS_MAX];
unsigned tsw_thunk_cursor;
struct tsw_thunk_use tsw_thunk_use[TSW_KEYS_MAX];

int tsw_thunk_take_from(unsigned c)
{
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		unsigned n = (c + i) % TSW_KEYS_MAX;
		if (tsw_thunk_claim(n))
			return (int)n;
	}
	return -1;
}

tsw_dtor_fn *tsw_thunk_served(int n, unsigned *idx)
{
	*idx = tsw_thunk_use[n].idx;
	return tsw_thunk_use[n].dtor;
}

bool tsw_thunk_serves(int n, unsigned idx)
{
	return n >= 0 && __atomic_load_n(&tsw_thunk_busy[n], __ATOMIC_RELAXED) &&
	       tsw_thunk_use[n].idx == idx;
}
