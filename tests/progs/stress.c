/* WORKERS threads (argv[1]) run ITERATIONS rounds (argv[2]) each, all at
 * once: every round creates a key, stores a value, creates a thread that
 * names itself while its creator renames it, stores values in that key and
 * in a shared key and is joined, every 4th
 * round a detached thread too, every 8th a C11 thread with a C11 key; then
 * clears and deletes the key.  Everything is released: no finding.
 * Prints the counts of what it did, as the counters name them.
 * With a third argument "no-thrd", the C11 thread is a pthread (the C11
 * keys stay): ThreadSanitizer's runtimes here do not know thrd_create. */
#include "common.h"
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <threads.h>

static long threads_created, threads_joined, threads_detached, keys_created,
	    keys_deleted, values_set, destructor_calls;
static pthread_key_t shared;
static pid_t *detached_tids;
static int ndetached, published;       /* slots taken, slots written */
static bool no_thrd;

#define COUNT(c) __atomic_fetch_add(&(c), 1, __ATOMIC_RELAXED)
/* Detached threads count after main's last synchronisation with them
 * (their /proc entry gone): read atomically. */
#define READ(c) __atomic_load_n(&(c), __ATOMIC_RELAXED)

static void dtor(void *p)
{
	COUNT(destructor_calls);
	free(p);
}

static void *child(void *arg)
{
	pthread_key_t k = (pthread_key_t)(long)arg;
	prctl(PR_SET_NAME, "child");
	pthread_setspecific(k, xmalloc(8));
	pthread_setspecific(shared, xmalloc(8));
	COUNT(values_set);
	COUNT(values_set);
	return NULL;
}

static void *detached(void *arg)
{
	(void)arg;
	pthread_setspecific(shared, xmalloc(8));
	COUNT(values_set);
	detached_tids[__atomic_fetch_add(&ndetached, 1, __ATOMIC_RELAXED)] =
		(pid_t)syscall(SYS_gettid);
	__atomic_fetch_add(&published, 1, __ATOMIC_RELEASE);
	return NULL;
}

static tss_t c11_key;

static int c11_child(void *arg)
{
	tss_set(c11_key, arg);
	COUNT(values_set);
	return 0;
}

static void *c11_child_pthread(void *arg)
{
	c11_child(arg);
	return NULL;
}

static void *worker(void *arg)
{
	long iterations = (long)arg;
	for (long i = 0; i < iterations; i++) {
		pthread_key_t k;
		pthread_t a, b;
		if (pthread_key_create(&k, dtor))
			abort();
		COUNT(keys_created);
		pthread_setspecific(k, xmalloc(8));
		COUNT(values_set);
		if (pthread_create(&a, NULL, child, (void *)(long)k))
			abort();
		COUNT(threads_created);
		pthread_setname_np(a, "renamed");   /* fails if it has ended */
		if (i % 4 == 0) {
			if (pthread_create(&b, NULL, detached, NULL) || pthread_detach(b))
				abort();
			COUNT(threads_created);
			COUNT(threads_detached);
		}
		if (i % 8 == 0) {
			thrd_t c;
			pthread_t pc;
			tss_t mine;
			if (tss_create(&mine, dtor) != thrd_success)
				abort();
			COUNT(keys_created);
			tss_set(mine, xmalloc(8));
			COUNT(values_set);
			if (no_thrd ? pthread_create(&pc, NULL, c11_child_pthread, xmalloc(8)) ||
					      pthread_join(pc, NULL)
				    : thrd_create(&c, c11_child, xmalloc(8)) != thrd_success ||
					      thrd_join(c, NULL) != thrd_success)
				abort();
			COUNT(threads_created);
			COUNT(threads_joined);
			void *p = tss_get(mine);
			tss_set(mine, NULL);
			free(p);
			tss_delete(mine);
			COUNT(keys_deleted);
		}
		pthread_join(a, NULL);
		COUNT(threads_joined);
		void *p = pthread_getspecific(k);
		pthread_setspecific(k, NULL);
		free(p);
		pthread_key_delete(k);
		COUNT(keys_deleted);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int workers = argc > 1 ? atoi(argv[1]) : 4;
	long iterations = argc > 2 ? atol(argv[2]) : 200;
	no_thrd = argc > 3 && strcmp(argv[3], "no-thrd") == 0;
	pthread_t *w = xmalloc(sizeof *w * (size_t)workers);

	detached_tids = xmalloc(sizeof *detached_tids * (size_t)(workers * (iterations / 4 + 1)));
	pthread_key_create(&shared, dtor);
	tss_create(&c11_key, dtor);
	keys_created += 2;
	for (int i = 0; i < workers; i++) {
		pthread_create(&w[i], NULL, worker, (void *)iterations);
		COUNT(threads_created);
	}
	for (int i = 0; i < workers; i++) {
		pthread_join(w[i], NULL);
		COUNT(threads_joined);
	}
	/* every detached thread has stored its TID before its end: wait for
	 * them to be gone (destructors run), without joining */
	int n;
	while ((n = __atomic_load_n(&published, __ATOMIC_ACQUIRE)) < threads_detached)
		sched_yield();
	for (int i = 0; i < n; i++)
		wait_gone(detached_tids[i]);
	pthread_key_delete(shared);
	tss_delete(c11_key);
	keys_deleted += 2;
	printf("threads_created=%ld threads_joined=%ld threads_detached=%ld keys_created=%ld "
	       "keys_deleted=%ld values_set=%ld destructor_calls=%ld\n",
	       threads_created, threads_joined, threads_detached, keys_created, keys_deleted,
	       READ(values_set), READ(destructor_calls));
	return 0;
}
