/* Workloads that create threads: churn (one create+join per operation) and
 * set/get on many threads at once. */
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "bench.h"

static int dummy[4];

static void no_op(void *v)
{
	(void)v;
}

static void *empty(void *arg)
{
	return arg;
}

static pthread_key_t churn_keys[4];

static void *set_four(void *arg)
{
	for (int k = 0; k < 4; k++)
		pthread_setspecific(churn_keys[k], &dummy[k]);
	return arg;
}

static double churn(long iters, void *(*fn)(void *))
{
	double t0 = bench_now();
	for (long i = 0; i < iters; i++) {
		pthread_t t;
		int rc = pthread_create(&t, NULL, fn, NULL);
		if (rc)
			bench_die("pthread_create", rc);
		pthread_join(t, NULL);
	}
	return (bench_now() - t0) / (double)iters;
}

double bench_churn0(long iters)
{
	return churn(iters, empty);
}

/* Keys with destructors: each thread's exit hands four values over. */
double bench_churn4(long iters)
{
	for (int k = 0; k < 4; k++)
		pthread_key_create(&churn_keys[k], no_op);
	double ns = churn(iters, set_four);
	for (int k = 0; k < 4; k++)
		pthread_key_delete(churn_keys[k]);
	return ns;
}

/* N threads start together (the creates are not timed) and each runs FN. */
struct team {
	pthread_barrier_t start;
	long iters;
	pthread_key_t keys[4];
	void (*fn)(struct team *);
	pthread_mutex_t lock;
	double first, last;             /* earliest start, latest end */
};

/* Each member times itself: the main thread may be descheduled after the
 * barrier on a machine with fewer cores than threads. */
static void *member(void *arg)
{
	struct team *tm = arg;
	pthread_barrier_wait(&tm->start);
	double t0 = bench_now();
	tm->fn(tm);
	double t1 = bench_now();
	pthread_mutex_lock(&tm->lock);
	if (tm->first == 0 || t0 < tm->first)
		tm->first = t0;
	if (t1 > tm->last)
		tm->last = t1;
	pthread_mutex_unlock(&tm->lock);
	return NULL;
}

static double run_team(struct team *tm, int n)
{
	pthread_t t[64];
	pthread_barrier_init(&tm->start, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++) {
		int rc = pthread_create(&t[i], NULL, member, tm);
		if (rc)
			bench_die("pthread_create", rc);
	}
	pthread_barrier_wait(&tm->start);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&tm->start);
	/* wall time over every thread's operations: a throughput */
	return (tm->last - tm->first) / ((double)tm->iters * n);
}

/* get+set on each of four keys; one operation is one get+set. */
static void get_set4(struct team *tm)
{
	unsigned long sum = 0;
	for (long i = 0; i < tm->iters / 4; i++)
		for (int k = 0; k < 4; k++) {
			int *v = pthread_getspecific(tm->keys[k]);
			sum += (uintptr_t)v;
			pthread_setspecific(tm->keys[k], v == &dummy[0] ? &dummy[1] : &dummy[0]);
		}
	bench_keep(sum);
}

static double team_of(int n, long iters, void (*fn)(struct team *))
{
	struct team tm = { .iters = iters, .fn = fn, .lock = PTHREAD_MUTEX_INITIALIZER };
	for (int k = 0; k < 4; k++)
		pthread_key_create(&tm.keys[k], no_op);
	double ns = run_team(&tm, n);
	for (int k = 0; k < 4; k++)
		pthread_key_delete(tm.keys[k]);
	return ns;
}

double bench_live64(long iters)
{
	return team_of(64, iters, get_set4);
}

/* The shape of most real code: a thread's values are set once, by an init
 * function (one call site), and its loop gets and re-sets them from
 * another site.  noinline keeps the two sites two. */
static __attribute__((noinline)) void init4(struct team *tm)
{
	for (int k = 0; k < 4; k++)
		pthread_setspecific(tm->keys[k], &dummy[0]);
}

static void init_get_set4(struct team *tm)
{
	init4(tm);
	get_set4(tm);
	for (int k = 0; k < 4; k++)
		pthread_setspecific(tm->keys[k], NULL);
}

double bench_reset64(long iters)
{
	return team_of(64, iters, init_get_set4);
}

/* The same values re-set from 16 call sites in turn, as code with many
 * small accessors does: one operation is one get+set. */
#define RESET_AT(n) \
	static __attribute__((noinline)) void reset_at##n(pthread_key_t k) \
	{ \
		int *v = pthread_getspecific(k); \
		pthread_setspecific(k, v == &dummy[0] ? &dummy[1] : &dummy[0]); \
	}
RESET_AT(0) RESET_AT(1) RESET_AT(2) RESET_AT(3) RESET_AT(4) RESET_AT(5) RESET_AT(6) RESET_AT(7)
RESET_AT(8) RESET_AT(9) RESET_AT(10) RESET_AT(11) RESET_AT(12) RESET_AT(13) RESET_AT(14) RESET_AT(15)
static void (*const reset_at[16])(pthread_key_t) = {
	reset_at0, reset_at1, reset_at2, reset_at3, reset_at4, reset_at5, reset_at6, reset_at7,
	reset_at8, reset_at9, reset_at10, reset_at11, reset_at12, reset_at13, reset_at14, reset_at15,
};

static void init_sites16(struct team *tm)
{
	init4(tm);
	for (long i = 0; i < tm->iters; i++)
		reset_at[i & 15](tm->keys[i & 3]);
	for (int k = 0; k < 4; k++)
		pthread_setspecific(tm->keys[k], NULL);
}

double bench_sites16(long iters)
{
	return team_of(64, iters, init_sites16);
}

/* set+get on one key, one thread per core. */
static void set_get1(struct team *tm)
{
	unsigned long sum = 0;
	for (long i = 0; i < tm->iters; i++) {
		pthread_setspecific(tm->keys[0], &dummy[i & 1]);
		sum += (uintptr_t)pthread_getspecific(tm->keys[0]);
	}
	bench_keep(sum);
}

double bench_setget_all(long iters)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return team_of(n < 1 ? 1 : n > 64 ? 64 : (int)n, iters, set_get1);
}
