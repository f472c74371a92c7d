/* Single-thread workloads on keys, and the tracked dictionary beside the
 * same use of sixteen keys. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>

#include "bench.h"

static int vals[2];

static void no_op(void *v)
{
	(void)v;
}

/* One set and one get, the value never NULL. */
double bench_setget1(long iters)
{
	pthread_key_t k;
	unsigned long sum = 0;
	pthread_key_create(&k, no_op);
	double t0 = bench_now();
	for (long i = 0; i < iters; i++) {
		pthread_setspecific(k, &vals[i & 1]);
		sum += (uintptr_t)pthread_getspecific(k);
	}
	double ns = (bench_now() - t0) / (double)iters;
	pthread_setspecific(k, NULL);
	pthread_key_delete(k);
	bench_keep(sum);
	return ns;
}

/* NULL then non-NULL: every second set is a first set, the case that
 * tempts a tool to capture a stack each time.  One op: both sets. */
double bench_toggle(long iters)
{
	pthread_key_t k;
	pthread_key_create(&k, no_op);
	double t0 = bench_now();
	for (long i = 0; i < iters; i++) {
		pthread_setspecific(k, NULL);
		pthread_setspecific(k, &vals[0]);
	}
	double ns = (bench_now() - t0) / (double)iters;
	pthread_setspecific(k, NULL);
	pthread_key_delete(k);
	return ns;
}

/* A value set for a scope and cleared at its end, from 16 call sites in
 * turn (a helper inlined into 16 callers): every value set is a first set
 * from a site that did not set the one before.  One op: both sets. */
#define SCOPE_AT(n) \
	static __attribute__((noinline)) void scope_at##n(pthread_key_t k) \
	{ \
		pthread_setspecific(k, &vals[0]); \
		pthread_setspecific(k, NULL); \
	}
SCOPE_AT(0) SCOPE_AT(1) SCOPE_AT(2) SCOPE_AT(3) SCOPE_AT(4) SCOPE_AT(5) SCOPE_AT(6) SCOPE_AT(7)
SCOPE_AT(8) SCOPE_AT(9) SCOPE_AT(10) SCOPE_AT(11) SCOPE_AT(12) SCOPE_AT(13) SCOPE_AT(14) SCOPE_AT(15)
static void (*const scope_at[16])(pthread_key_t) = {
	scope_at0, scope_at1, scope_at2, scope_at3, scope_at4, scope_at5, scope_at6, scope_at7,
	scope_at8, scope_at9, scope_at10, scope_at11, scope_at12, scope_at13, scope_at14, scope_at15,
};

double bench_scoped16(long iters)
{
	pthread_key_t k;
	pthread_key_create(&k, no_op);
	double t0 = bench_now();
	for (long i = 0; i < iters; i++)
		scope_at[i & 15](k);
	double ns = (bench_now() - t0) / (double)iters;
	pthread_key_delete(k);
	return ns;
}

double bench_keys(long iters)
{
	double t0 = bench_now();
	for (long i = 0; i < iters; i++) {
		pthread_key_t k;
		int rc = pthread_key_create(&k, no_op);
		if (rc)
			bench_die("pthread_key_create", rc);
		pthread_key_delete(k);
	}
	return (bench_now() - t0) / (double)iters;
}

static const char *const names[16] = {
	"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7",
	"n8", "n9", "n10", "n11", "n12", "n13", "n14", "n15",
};

/* The baseline of the dictionary row: get+set over sixteen keys. */
double bench_tsd16(long iters)
{
	pthread_key_t k[16];
	unsigned long sum = 0;
	for (int i = 0; i < 16; i++)
		pthread_key_create(&k[i], no_op);
	double t0 = bench_now();
	for (long i = 0; i < iters; i++) {
		int *v = pthread_getspecific(k[i & 15]);
		sum += (uintptr_t)v;
		pthread_setspecific(k[i & 15], v == &vals[0] ? &vals[1] : &vals[0]);
	}
	double ns = (bench_now() - t0) / (double)iters;
	for (int i = 0; i < 16; i++) {
		pthread_setspecific(k[i], NULL);
		pthread_key_delete(k[i]);
	}
	bench_keep(sum);
	return ns;
}

/* Looked up, not linked: the binary runs without libtsswatch.so. */
double bench_dict16(long iters)
{
	int (*set)(const char *, void *, void (*)(void *)) =
		(int (*)(const char *, void *, void (*)(void *)))dlsym(RTLD_DEFAULT, "tsswatch_set");
	void *(*get)(const char *) = (void *(*)(const char *))dlsym(RTLD_DEFAULT, "tsswatch_get");
	void (*clear)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "tsswatch_clear");
	if (!set || !get)
		return -1;
	unsigned long sum = 0;
	for (int i = 0; i < 16; i++)
		set(names[i], &vals[0], no_op);
	double t0 = bench_now();
	for (long i = 0; i < iters; i++) {
		int *v = get(names[i & 15]);
		sum += (uintptr_t)v;
		set(names[i & 15], v == &vals[0] ? &vals[1] : &vals[0], no_op);
	}
	double ns = (bench_now() - t0) / (double)iters;
	if (clear)
		clear();
	bench_keep(sum);
	return ns;
}
