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
