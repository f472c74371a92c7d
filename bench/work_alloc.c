/* The allocator's hot path, which tsswatch's free hook sits on: one malloc
 * and one free of a small block. */
#include <stdlib.h>

#include "bench.h"

/* The pointer goes through a volatile so the pair is not folded away. */
double bench_malloc(long iters)
{
	void *volatile p;
	double t0 = bench_now();
	for (long i = 0; i < iters; i++) {
		p = malloc(32 + (size_t)(i & 7));
		free(p);
	}
	double ns = (bench_now() - t0) / (double)iters;
	bench_keep((unsigned long)(p != NULL));
	return ns;
}
