/* The benchmark's workloads: each runs ITERS operations (per thread where
 * it has several) and returns the wall time per operation in nanoseconds,
 * or a negative number when it cannot run here (the dictionary rows
 * without libtsswatch.so). */
#ifndef BENCH_H
#define BENCH_H

#include <time.h>

struct workload {
	const char *name;
	const char *op;                 /* what one operation is */
	double (*run)(long iters);
};

double bench_churn0(long iters);
double bench_churn4(long iters);
double bench_live64(long iters);
double bench_reset64(long iters);
double bench_sites16(long iters);
double bench_setget_all(long iters);
double bench_setget1(long iters);
double bench_toggle(long iters);
double bench_scoped16(long iters);
double bench_keys(long iters);
double bench_tsd16(long iters);
double bench_dict16(long iters);
double bench_malloc(long iters);

/* Keeps results alive so the compiler cannot drop the loops; atomic, as
 * threads add to it (TSan would report a plain sum). */
extern unsigned long bench_sink;
static inline void bench_keep(unsigned long v)
{
	__atomic_fetch_add(&bench_sink, v, __ATOMIC_RELAXED);
}

static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

void bench_die(const char *what, int err);

#endif
