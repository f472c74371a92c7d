/* Bug: two workers leave a malloc'd value in a key with no destructor,
 * each after setting it from more than one call site.  The replacer's
 * value is first set by its init function and replaced by its loop; the
 * restarter's is set by the init function, cleared, then set from
 * other sites, the last of which set it before.  A finding's set stack
 * is the set that gave the thread a value after it held none: the init
 * function's for the replacer, the last site's for the restarter. */
#include "common.h"

static pthread_key_t key;

static __attribute__((noinline)) void init_value(void)
{
	pthread_setspecific(key, xmalloc(32)); /* INIT-SET */
}

static void *replacer(void *arg)
{
	(void)arg;
	init_value();
	for (int i = 0; i < 3; i++) {
		void *old = pthread_getspecific(key);
		pthread_setspecific(key, xmalloc(32)); /* RE-SET */
		free(old);
	}
	return NULL;
}

static void drop(void)
{
	free(pthread_getspecific(key));
	pthread_setspecific(key, NULL);
}

static __attribute__((noinline)) void set_again(void)
{
	pthread_setspecific(key, xmalloc(32)); /* SET-AGAIN */
}

static __attribute__((noinline)) void set_between(void)
{
	pthread_setspecific(key, xmalloc(32));
}

/* Its last set comes from a site that has set the key before, while the
 * slot is bound to another: tsswatch binds the slot to it without its
 * slow path. */
static void *restarter(void *arg)
{
	(void)arg;
	init_value();
	drop();
	set_again();
	drop();
	set_between();
	drop();
	set_again();
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_key_create(&key, NULL);
	pthread_create(&a, NULL, replacer, NULL);
	pthread_create(&b, NULL, restarter, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_key_delete(key);
	return 0;
}
