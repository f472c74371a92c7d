/* A key deleted before any value was set in it is kept by tsswatch for its
 * thread's next create (preload/keypool.c).  What the program sees must
 * stay glibc's: the output is compared with a run without tsswatch.
 *   semantics: the deleted key stays deleted; a new key starts empty and
 *              runs its own destructor, of its own kind
 *   exhaust:   threads holding a pooled key each; main still gets every key
 *   fork:      the same in a fork child, and the forking thread's own
 *              pooled key serves the child's create */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <threads.h>
#include "common.h"

#define THREADS 8

static int calls_a, calls_b, calls_c;
static void dtor_a(void *v) { (void)v; calls_a++; }
static void dtor_b(void *v) { free(v); calls_b++; }
static void dtor_c(void *v) { (void)v; calls_c++; }
static int flag = 1;

/* One call site each: tsswatch pools from a site it has seen before. */
static __attribute__((noinline)) pthread_key_t new_key(void (*dtor)(void *))
{
	pthread_key_t k;
	if (pthread_key_create(&k, dtor) != 0)
		abort();
	return k;
}

static __attribute__((noinline)) int del_key(pthread_key_t k)
{
	return pthread_key_delete(k);
}

static pthread_key_t b, cross;

static void *kinds(void *arg)
{
	(void)arg;
	del_key(new_key(dtor_a));
	b = new_key(dtor_b);
	printf("new key starts empty: %s\n", pthread_getspecific(b) ? "no" : "yes");
	pthread_setspecific(b, xmalloc(8));
	del_key(new_key(dtor_c));
	pthread_key_t n = new_key(NULL);    /* of another kind: no destructor */
	pthread_setspecific(n, (void *)1);
	del_key(n);
	cross = new_key(dtor_c);            /* main deletes it */
	return NULL;
}

static void semantics(void)
{
	pthread_key_t k = new_key(dtor_a);
	del_key(k);
	printf("set after delete: %s\n", strerror(pthread_setspecific(k, &flag))); /* STALE-SET */
	printf("get after delete: %p\n", pthread_getspecific(k));
	printf("delete again: %s\n", strerror(del_key(k)));
	printf("tss_set after delete: %s\n",
	       tss_set(k, &flag) == thrd_error ? "thrd_error" : "other"); /* STALE-TSS */
	pthread_t t;
	pthread_create(&t, NULL, kinds, NULL);
	pthread_join(t, NULL);
	del_key(b);
	printf("deleted by another thread: %s\n", strerror(del_key(cross)));
	printf("destructors: a %d, b %d, c %d\n", calls_a, calls_b, calls_c);
}

static pthread_barrier_t ready, done;

static void *hold_pooled(void *arg)
{
	(void)arg;
	del_key(new_key(dtor_a));
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&done);
	return NULL;
}

/* Keys until none is left, deleted again. */
static void exhaust(const char *who)
{
	static pthread_key_t keys[PTHREAD_KEYS_MAX + 1];
	int n = 0, rc;
	while ((rc = pthread_key_create(&keys[n], NULL)) == 0)
		n++;
	printf("%s created %d, then %s\n", who, n, rc == EAGAIN ? "EAGAIN" : "other");
	for (int i = 0; i < n; i++)
		pthread_key_delete(keys[i]);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "semantics";
	del_key(new_key(dtor_a));           /* the sites are seen */
	del_key(new_key(NULL));
	if (!strcmp(mode, "semantics")) {
		semantics();
		return 0;
	}
	pthread_t t[THREADS];
	pthread_barrier_init(&ready, NULL, THREADS + 1);
	pthread_barrier_init(&done, NULL, THREADS + 1);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, hold_pooled, NULL);
	pthread_barrier_wait(&ready);
	if (!strcmp(mode, "fork")) {
		del_key(new_key(dtor_a));
		pid_t pid = fork();
		if (pid == 0) {
			pthread_key_t k = new_key(dtor_a);
			int rc = pthread_setspecific(k, &flag);
			printf("child's key: set %d, get %s\n", rc,
			       pthread_getspecific(k) == &flag ? "ok" : "wrong");
			pthread_setspecific(k, NULL);
			del_key(k);
			exhaust("child");
			exit(0);
		}
		waitpid(pid, NULL, 0);
	} else {
		exhaust("main");
	}
	pthread_barrier_wait(&done);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
