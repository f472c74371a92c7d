/* A library whose constructor creates a key and two threads before
 * libtsswatch.so's constructor has run: one through pthread_create (the
 * preload's hook is already bound), one through libc's own pthread_create
 * found with dlsym(RTLD_NEXT), which tsswatch never sees: it must adopt
 * that thread when it first stores a value, with the name it gave itself.
 * Both store a value (with a destructor) and wait for early_finish(). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>

static pthread_key_t early_key;
static pthread_t seen, unseen;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int released, destructed;

static void dtor(void *p)
{
	__atomic_fetch_add(&destructed, 1, __ATOMIC_RELAXED);
	free(p);
}

static void *early(void *arg)
{
	pthread_setspecific(early_key, arg);    /* EARLY-SET */
	pthread_mutex_lock(&lock);
	while (!released)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return arg;
}

static void *early_unseen(void *arg)
{
	prctl(PR_SET_NAME, "unseen");
	return early(arg);
}

__attribute__((constructor)) static void early_start(void)
{
	int (*libc_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) =
		(int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
		dlsym(RTLD_NEXT, "pthread_create");

	pthread_key_create(&early_key, dtor);   /* EARLY-KEY */
	pthread_create(&seen, NULL, early, malloc(8)); /* EARLY-CREATE */
	if (!libc_create || libc_create(&unseen, NULL, early_unseen, malloc(8)))
		abort();
}

/* Lets the threads end and joins them; returns how many destructors ran. */
int early_finish(void)
{
	pthread_mutex_lock(&lock);
	released = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	if (pthread_join(seen, NULL) || pthread_join(unseen, NULL))
		return -1;
	pthread_key_delete(early_key);
	return __atomic_load_n(&destructed, __ATOMIC_RELAXED);
}
