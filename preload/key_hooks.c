/* pthread_key_* / pthread_{set,get}specific and their C11 twins tss_*,
 * which glibc implements without going through the pthread symbols. */
#include <errno.h>

#include "keys.h"

/* What ThreadSanitizer's runtime calls before it is ready (it creates a
 * key as it starts, and sets it in a new thread before it has started that
 * thread) is not instrumented in a build with TSan (make tsan; with gcc:
 * clang would still instrument their entry). */
#define NO_TSAN __attribute__((no_sanitize("thread")))

/* Creates and deletes keep errno and enter the guard themselves, only
 * when they need to (key_create.c, key_delete.c): the hooks are tail calls. */
TSW_API NO_TSAN int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	uintptr_t pc = TSW_CALLER;
	if (TSW_UNLIKELY(!tsw_ready) && tsw_from_runtime(pc))
		return TSW_REAL(pthread_key_create)(key, destructor);
	return tsw_key_create(key, destructor, pc, TSW_PTHREAD);
}

TSW_API int tss_create(tss_t *key, tss_dtor_t destructor)
{
	return tsw_key_create(key, destructor, TSW_CALLER, TSW_C11);
}

/* tsswatch's own key is, to the program, an index it has not got: as
 * glibc answers for a free one. */
#define NOT_THE_HOOK(key, ...)                                             \
	do {                                                               \
		if (TSW_UNLIKELY((key) == tsw_hook_key))                   \
			return __VA_ARGS__;                                \
	} while (0)

TSW_API int pthread_key_delete(pthread_key_t key)
{
	NOT_THE_HOOK(key, EINVAL);
	return tsw_key_delete(key, TSW_CALLER, TSW_PTHREAD);
}

TSW_API void tss_delete(tss_t key)
{
	NOT_THE_HOOK(key);
	tsw_key_delete(key, TSW_CALLER, TSW_C11);
}

/* The slow paths, out of line so the hooks' common case needs no stack
 * frame: a set that changes what the slot records, and checked gets.  A
 * set's value travels as an integer, here and to the fast path: glibc
 * declares that setspecific never reads through it, and gcc (at -O0 too)
 * checks a pointer passed on. */
__attribute__((noinline, cold)) NO_TSAN static int set_slow(unsigned key, uintptr_t v,
							     uintptr_t pc, bool c11)
{
	void *value = (void *)v;
	NOT_THE_HOOK(key, c11 ? thrd_error : EINVAL);
	/* An untracked key (a runtime's own) has nothing to record: said
	 * before any instrumented code runs, for TSan's set in a new thread. */
	struct tsw_key *k = key < TSW_KEYS_MAX ? &tsw_keys[key] : NULL;
	if (!k || __atomic_load_n(&k->state, __ATOMIC_RELAXED) == TSW_KEY_UNTRACKED)
		return c11 ? TSW_REAL(tss_set)(key, value) : TSW_REAL(pthread_setspecific)(key, value);
	if (tsw_key_rebind(key, v, pc))
		return c11 ? TSW_REAL(tss_set)(key, value) : TSW_REAL(pthread_setspecific)(key, value);
	/* RET is what the hook returns; RC is the same result as
	 * pthread_setspecific would say it. */
	int ret = c11 ? TSW_REAL(tss_set)(key, value) : TSW_REAL(pthread_setspecific)(key, value);
	int rc = !c11 ? ret : ret == thrd_success ? 0 : ret == thrd_nomem ? ENOMEM : EINVAL;
	struct tsw_guard g = TSW_GUARD_INIT;
	if (tsw_guard_enter(&g))
		tsw_key_set(key, value, pc, c11 ? "tss_set" : "pthread_setspecific", rc);
	tsw_guard_leave(&g);
	return ret;
}

/* A get that is checked (check_get=1), or made before the real function
 * is resolved. */
__attribute__((noinline, cold)) static void *get_slow(unsigned key, uintptr_t pc, bool c11)
{
	void *v = c11 ? TSW_REAL(tss_get)(key) : TSW_REAL(pthread_getspecific)(key);
	struct tsw_guard g = TSW_GUARD_INIT;
	if (tsw_opt.check_get && tsw_guard_enter(&g))
		tsw_key_get(key, pc, c11 ? "tss_get" : "pthread_getspecific");
	tsw_guard_leave(&g);
	return v;
}

/* The hot paths are leaves ending in a tail call; anything else takes the
 * slow path.  A set's fast path passes only in a thread with a record of
 * ours, and records exist only after start-up filled in pthread_setspecific
 * and tss_set (tsw_resolve_all): the real function needs no check. */
TSW_API NO_TSAN int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (TSW_LIKELY(tsw_key_set_fast(key, (uintptr_t)value, TSW_CALLER)))
		return TSW_REAL_RESOLVED(pthread_setspecific)(key, value);
	return set_slow(key, (uintptr_t)value, TSW_CALLER, false);
}

TSW_API int tss_set(tss_t key, void *value)
{
	if (TSW_LIKELY(tsw_key_set_fast(key, (uintptr_t)value, TSW_CALLER)))
		return TSW_REAL_RESOLVED(tss_set)(key, value);
	return set_slow(key, (uintptr_t)value, TSW_CALLER, true);
}

/* Unchecked (the default), a get is a tail call. */
TSW_API void *pthread_getspecific(pthread_key_t key)
{
	__typeof__(&pthread_getspecific) real = TSW_REAL_RESOLVED(pthread_getspecific);
	if (TSW_LIKELY(real && !tsw_opt.check_get))
		return real(key);
	return get_slow(key, TSW_CALLER, false);
}

TSW_API void *tss_get(tss_t key)
{
	__typeof__(&tss_get) real = TSW_REAL_RESOLVED(tss_get);
	if (TSW_LIKELY(real && !tsw_opt.check_get))
		return real(key);
	return get_slow(key, TSW_CALLER, true);
}
