/* Stack capture with the unwinder linked into this library.
 *
 * glibc's backtrace() loads libgcc_s with dlopen on its first call, and
 * that load calls malloc.  A hook can run inside the host's allocator
 * while it initialises (jemalloc creates a key in malloc_init): a malloc
 * there re-enters the allocator's half-done start-up, and jemalloc then
 * ran its start-up twice, registered its fork handlers twice and hung at
 * the next fork, locking its own mutexes a second time.  The static copy
 * of libgcc's unwinder (-static-libgcc, its symbols kept local by
 * --exclude-libs) finds unwind tables through dl_iterate_phdr and never
 * allocates, so capturing a stack is safe wherever a hook runs, even
 * before libc has initialised. */
#include <unwind.h>

#include "tsw.h"

struct walk {
	void **frames;
	int n, max;
};

static _Unwind_Reason_Code step(struct _Unwind_Context *ctx, void *arg)
{
	struct walk *w = arg;
	uintptr_t ip = _Unwind_GetIP(ctx);
	if (!ip)
		return _URC_END_OF_STACK;
	w->frames[w->n++] = (void *)ip;
	return w->n < w->max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

int tsw_unwind(void **frames, int max)
{
	struct walk w = { frames, 0, max };
	if (max > 0)
		_Unwind_Backtrace(step, &w);
	return w.n;
}
