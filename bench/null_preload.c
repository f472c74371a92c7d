/* The null interposer: an LD_PRELOAD library that interposes the calls
 * tsswatch does and only forwards them to the next definition.  What it
 * costs is the floor for any interposing tool: the PLT hop into the
 * preload and an indirect call onwards. */
#include <dlfcn.h>
#include <pthread.h>
#include <threads.h>

#define VIS __attribute__((visibility("default")))

/* Resolved once; a call before the constructor resolves its own. */
static void *resolve_one(void **slot, const char *name)
{
	return *slot = dlsym(RTLD_NEXT, name);
}
#define REAL(name, slot) ((__typeof__(&name))(slot ? slot : resolve_one(&slot, #name)))

#define FORWARD(ret, name, params, args)                               \
	static void *real_##name;                                      \
	VIS ret name params { return REAL(name, real_##name) args; }
#define FORWARD_VOID(name, params, args)                               \
	static void *real_##name;                                      \
	VIS void name params { REAL(name, real_##name) args; }
#define FORWARD_NORETURN(name, params, args)                           \
	static void *real_##name;                                      \
	VIS void name params { REAL(name, real_##name) args; __builtin_unreachable(); }

FORWARD(int, pthread_create, (pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg),
	(t, a, f, arg))
FORWARD(int, pthread_join, (pthread_t t, void **ret), (t, ret))
FORWARD(int, pthread_detach, (pthread_t t), (t))
FORWARD_NORETURN(pthread_exit, (void *ret), (ret))
FORWARD(int, pthread_key_create, (pthread_key_t *k, void (*d)(void *)), (k, d))
FORWARD(int, pthread_key_delete, (pthread_key_t k), (k))
FORWARD(int, pthread_setspecific, (pthread_key_t k, const void *v), (k, v))
FORWARD(void *, pthread_getspecific, (pthread_key_t k), (k))
FORWARD(int, thrd_create, (thrd_t *t, thrd_start_t f, void *arg), (t, f, arg))
FORWARD(int, thrd_join, (thrd_t t, int *res), (t, res))
FORWARD(int, thrd_detach, (thrd_t t), (t))
FORWARD_NORETURN(thrd_exit, (int res), (res))
FORWARD(int, tss_create, (tss_t *k, tss_dtor_t d), (k, d))
FORWARD_VOID(tss_delete, (tss_t k), (k))
FORWARD(int, tss_set, (tss_t k, void *v), (k, v))
FORWARD(void *, tss_get, (tss_t k), (k))
FORWARD(void *, dlopen, (const char *file, int mode), (file, mode))
FORWARD(int, dlclose, (void *h), (h))

__attribute__((constructor)) static void resolve(void)
{
	(void)REAL(pthread_create, real_pthread_create);
	(void)REAL(pthread_join, real_pthread_join);
	(void)REAL(pthread_detach, real_pthread_detach);
	(void)REAL(pthread_key_create, real_pthread_key_create);
	(void)REAL(pthread_key_delete, real_pthread_key_delete);
	(void)REAL(pthread_setspecific, real_pthread_setspecific);
	(void)REAL(pthread_getspecific, real_pthread_getspecific);
	(void)REAL(tss_create, real_tss_create);
	(void)REAL(tss_delete, real_tss_delete);
	(void)REAL(tss_set, real_tss_set);
	(void)REAL(tss_get, real_tss_get);
}
