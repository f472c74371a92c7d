/* Thread creation, exit, join and detach, for pthreads and C11 threads
 * (glibc's C11 calls bypass the pthread symbols).  New threads start in a
 * trampoline that registers them, then runs the host's start routine. */
#include <errno.h>

#include "thread_record.h"

/* An ASan-built host: a cancellation unwinds the host's frames without
 * their epilogues, which would unpoison their redzones (the compiler does
 * that before a call to pthread_exit; a cancellation starts inside libc).
 * ASan's own code then runs on that stack as the thread ends and checks
 * its locals, which our frame moved onto those redzones: a false
 * stack-buffer-underflow.  So once the host's frames are gone, unpoison
 * the stack as ASan does before any call that does not return; first the
 * page below us, where that call's own locals go.  Weak: bound only when
 * a sanitizer runtime is loaded. */
extern void __asan_handle_no_return(void) __attribute__((weak));
extern void __asan_unpoison_memory_region(const volatile void *addr, size_t size)
	__attribute__((weak));

static void unwound(void *arg)
{
	(void)arg;
	if (!__asan_handle_no_return || !__asan_unpoison_memory_region)
		return;
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	uintptr_t below = (here - 4096) & ~(uintptr_t)4095;
	__asan_unpoison_memory_region((void *)below, here - below);
	__asan_handle_no_return();
}

static void started(struct tsw_thread *t)
{
	struct tsw_guard g;
	tsw_guard_hold(&g);
	tsw_thread_started(t);
	tsw_guard_leave(&g);
}

static void *start_pthread(void *arg)
{
	struct tsw_thread *t = arg;
	started(t);
	void *ret;
	pthread_cleanup_push(unwound, NULL);
	ret = t->start(t->start_arg);
	pthread_cleanup_pop(0);
	tsw_thread_ended(t, TSW_HOW_RETURNED);
	return ret;
}

/* glibc runs a thrd_create thread's routine as int (*)(void *). */
static int start_c11(void *arg)
{
	struct tsw_thread *t = arg;
	started(t);
	int ret;
	pthread_cleanup_push(unwound, NULL);
	ret = t->start_c11(t->start_arg);
	pthread_cleanup_pop(0);
	tsw_thread_ended(t, TSW_HOW_RETURNED);
	return ret;
}

/* Registers a thread about to be created; NULL: create it untracked. */
static struct tsw_thread *before_create(uintptr_t pc, bool joinable, bool c11)
{
	struct tsw_thread *t = NULL;
	struct tsw_guard g = TSW_GUARD_INIT;
	if (tsw_guard_enter(&g))
		t = tsw_thread_new(tsw_stack_of(pc), joinable, c11);
	tsw_guard_leave(&g);
	return t;
}

static void after_create(struct tsw_thread *t, bool ok, pthread_t ptid)
{
	struct tsw_guard g;
	tsw_guard_hold(&g);
	if (ok)
		tsw_thread_creator_done(t, ptid);
	else
		tsw_thread_abandon(t);
	tsw_guard_leave(&g);
}

TSW_API int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
			   void *(*start)(void *), void *arg)
{
	int detached = PTHREAD_CREATE_JOINABLE;
	if (attr)
		pthread_attr_getdetachstate(attr, &detached);
	struct tsw_thread *t = before_create(TSW_CALLER, detached == PTHREAD_CREATE_JOINABLE, false);
	if (!t)
		return TSW_REAL(pthread_create)(thread, attr, start, arg);
	tsw_thread_set_start(t, start, arg);
	int rc = TSW_REAL(pthread_create)(thread, attr, start_pthread, t);
	after_create(t, rc == 0, rc == 0 ? *thread : 0);
	return rc;
}

TSW_API int thrd_create(thrd_t *thread, thrd_start_t start, void *arg)
{
	struct tsw_thread *t = before_create(TSW_CALLER, true, true);
	if (!t)
		return TSW_REAL(thrd_create)(thread, start, arg);
	tsw_thread_set_start_c11(t, start, arg);
	int rc = TSW_REAL(thrd_create)(thread, start_c11, t);
	after_create(t, rc == thrd_success, rc == thrd_success ? *thread : 0);
	return rc;
}

/* Before a join or detach: the record of THREAD, checked for staleness. */
static struct tsw_thread *check(pthread_t thread, const char *call, uintptr_t pc)
{
	struct tsw_thread *t = NULL;
	struct tsw_guard g = TSW_GUARD_INIT;
	if (tsw_guard_enter(&g))
		t = tsw_thread_check(thread, call, pc);
	tsw_guard_leave(&g);
	return t;
}

static void released(struct tsw_thread *t, bool joined)
{
	struct tsw_guard g = TSW_GUARD_INIT;
	if (tsw_guard_enter(&g))
		tsw_thread_release(t, joined);
	tsw_guard_leave(&g);
}

#define JOIN_HOOK(name, ok, joined, params, args)                           \
	TSW_API int name params                                             \
	{                                                                   \
		struct tsw_thread *t = check(thread, #name, TSW_CALLER);    \
		int rc = TSW_REAL(name) args;                               \
		if (rc == (ok))                                             \
			released(t, joined);                                \
		return rc;                                                  \
	}
JOIN_HOOK(pthread_join, 0, true, (pthread_t thread, void **ret), (thread, ret))
JOIN_HOOK(pthread_tryjoin_np, 0, true, (pthread_t thread, void **ret), (thread, ret))
JOIN_HOOK(pthread_timedjoin_np, 0, true,
	  (pthread_t thread, void **ret, const struct timespec *abstime), (thread, ret, abstime))
JOIN_HOOK(pthread_clockjoin_np, 0, true, (pthread_t thread, void **ret, clockid_t clock,
					  const struct timespec *abstime),
	  (thread, ret, clock, abstime))
JOIN_HOOK(pthread_detach, 0, false, (pthread_t thread), (thread))
JOIN_HOOK(thrd_join, thrd_success, true, (thrd_t thread, int *res), (thread, res))
JOIN_HOOK(thrd_detach, thrd_success, false, (thrd_t thread), (thread))
#undef JOIN_HOOK

/* Cancellation goes through neither: a thread that finishes with no "how"
 * was cancelled.  A lone main thread is armed only now. */
static void exiting(int how)
{
	struct tsw_thread *t = tsw_self_record();
	if (!t)
		return;
	tsw_thread_ended(t, how);
	struct tsw_guard g = TSW_GUARD_INIT;
	if (tsw_guard_enter(&g))
		tsw_teardown_arm(t);
	tsw_guard_leave(&g);
}

TSW_API void pthread_exit(void *ret)
{
	exiting(TSW_HOW_EXIT);
	TSW_REAL(pthread_exit)(ret);
	__builtin_unreachable();
}

TSW_API void thrd_exit(int res)
{
	exiting(TSW_HOW_THRD_EXIT);
	TSW_REAL(thrd_exit)(res);
	__builtin_unreachable();
}
