/* Destructor thunks.  glibc calls a key's destructor with the value only,
 * so each key with a destructor is created with a thunk of ours that knows
 * which key it serves: the thunk tells keys.c a value was handed over (and
 * in which round), then calls the host's destructor.  There is one thunk
 * per possible key; a released one is reused last (FIFO), so a thread
 * racing a pthread_key_delete never reaches another key's destructor. */
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
static void (*const thunks[TSW_KEYS_MAX])(void *) = {
	TSW_THUNK256(0x0) TSW_THUNK256(0x1) TSW_THUNK256(0x2) TSW_THUNK256(0x3)
};
#undef TSW_THUNK

/* Free thunk numbers in a ring, under the key lock (keys.c). */
static unsigned ring[TSW_KEYS_MAX], head, count;

void tsw_thunks_init(void)
{
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++)
		ring[i] = i;
	head = 0;
	count = TSW_KEYS_MAX;
}

int tsw_thunk_take(void (**fn)(void *))
{
	if (!count)
		return -1;
	unsigned n = ring[head];
	head = (head + 1) % TSW_KEYS_MAX;
	count--;
	*fn = thunks[n];
	return (int)n;
}

void tsw_thunk_give(int n)
{
	if (n < 0)
		return;
	ring[(head + count) % TSW_KEYS_MAX] = (unsigned)n;
	count++;
}
