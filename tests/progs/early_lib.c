/* A library whose constructor creates a key and a thread, before
 * libtsswatch.so's own constructor has run.  The thread stores a value
 * (with a destructor) and waits for early_release(). */
#include <pthread.h>
#include <stdlib.h>

static pthread_key_t early_key;
static pthread_t early_thread;
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
	pthread_setspecific(early_key, arg);
	pthread_mutex_lock(&lock);
	while (!released)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return arg;
}

__attribute__((constructor)) static void early_start(void)
{
	pthread_key_create(&early_key, dtor);
	pthread_create(&early_thread, NULL, early, malloc(8)); /* EARLY-CREATE */
}

/* Lets the thread end, joins it; returns how many destructors ran. */
int early_finish(void)
{
	pthread_mutex_lock(&lock);
	released = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	if (pthread_join(early_thread, NULL))
		return -1;
	pthread_key_delete(early_key);
	return __atomic_load_n(&destructed, __ATOMIC_RELAXED);
}
