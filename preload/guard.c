/* The recursion guard: see tsw.h. */
#include <dlfcn.h>
#include <errno.h>

#include "tsw.h"

__thread volatile int tsw_busy;

/* Not ready, busy, or the first entry in a fork child.  The start-up and
 * the reset open files: errno is kept, as the guard saves it only after. */
static bool enter_slow(void)
{
	int saved = errno;
	bool entered = false;
	if (TSW_UNLIKELY(!tsw_ready)) {
		if (tsw_busy)
			return false;
		tsw_init();             /* a hook that runs before our constructor */
	}
	if (tsw_ready && !tsw_busy) {
		tsw_busy = 1;
		entered = true;
		/* The first entry in a fork child resets what the parent's
		 * other threads may have held, before any lock is taken. */
		if (TSW_UNLIKELY(tsw_in_new_process()))
			tsw_forked();
	}
	errno = saved;
	return entered;
}

bool tsw_guard_enter(struct tsw_guard *g)
{
	if (g->in)
		return true;
	if (TSW_LIKELY(tsw_can_enter()))
		tsw_busy = 1;
	else if (!enter_slow())
		return false;
	*g = (struct tsw_guard){ true, false, errno };
	return true;
}

void tsw_guard_hold(struct tsw_guard *g)
{
	*g = (struct tsw_guard){ true, tsw_busy != 0, errno };
	tsw_busy = 1;
}

void tsw_guard_release(struct tsw_guard *g)
{
	*g = (struct tsw_guard){ true, tsw_busy != 0, errno };
	tsw_busy = 0;
}

void tsw_guard_leave(struct tsw_guard *g)
{
	if (!g->in)
		return;
	errno = g->saved_errno;
	tsw_busy = g->was_inside;
	g->in = false;
}

bool tsw_inside(void)
{
	return tsw_busy != 0;
}

/* Whether PC is in ThreadSanitizer's runtime (gcc's libtsan, or clang's
 * when shared).  No libc string function: TSan intercepts those. */
static bool in_tsan(uintptr_t pc)
{
	static const char *const names[] = { TSW_TSAN_RUNTIMES };
	Dl_info info;
	if (!dladdr((void *)pc, &info) || !info.dli_fname)
		return false;
	const char *base = info.dli_fname;
	for (const char *p = base; *p; p++)
		if (*p == '/')
			base = p + 1;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *n = names[i], *b = base;
		while (*n && *n == *b)
			n++, b++;
		if (!*n)
			return true;
	}
	return false;
}

/* TSan's runtime creates a key of its own while it starts (the program's
 * preinit), before its interceptors work; our start-up goes through them
 * (backtrace, mutexes) and would crash there.  That call is only
 * forwarded: tsswatch starts at its constructor, and a runtime's key is
 * not tracked anyway. */
bool tsw_from_runtime(uintptr_t pc)
{
	return !tsw_ready && !tsw_busy && in_tsan(pc);
}
