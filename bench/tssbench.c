/* tssbench WORKLOAD ITERS: runs one workload and prints nanoseconds per
 * operation, or "skip".  `tssbench list` prints the workloads.  The bench
 * script runs it under each tool; timing is inside, so start-up and exit
 * (a tool's set-up and final report) are not counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

unsigned long bench_sink;

static const struct workload workloads[] = {
	{ "churn0", "create+join, no keys", bench_churn0 },
	{ "churn4", "create+join, 4 keys set (with destructors)", bench_churn4 },
	{ "setget1", "set+get, 1 thread", bench_setget1 },
	{ "setget_all", "set+get, 1 thread per core", bench_setget_all },
	{ "toggle", "set NULL + set non-NULL", bench_toggle },
	{ "scoped16", "set non-NULL + set NULL, from 16 call sites in turn", bench_scoped16 },
	{ "live64", "get+set, 64 live threads x 4 keys", bench_live64 },
	{ "reset64", "get+set, 64 threads x 4 keys, first set by an init function", bench_reset64 },
	{ "sites16", "get+set from 16 call sites, 64 threads x 4 keys set by an init", bench_sites16 },
	{ "keys", "key create+delete", bench_keys },
	{ "tsd16", "getspecific+setspecific, 16 keys", bench_tsd16 },
	{ "dict16", "tsswatch_get+tsswatch_set, 16 names", bench_dict16 },
	{ "malloc", "malloc+free of 32-39 bytes", bench_malloc },
};
#define NWORK (sizeof workloads / sizeof workloads[0])

void bench_die(const char *what, int err)
{
	fprintf(stderr, "tssbench: %s: %s\n", what, strerror(err));
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (size_t i = 0; i < NWORK; i++)
			printf("%s\t%s\n", workloads[i].name, workloads[i].op);
		return 0;
	}
	if (argc != 3) {
		fputs("usage: tssbench WORKLOAD ITERS | tssbench list\n", stderr);
		return 2;
	}
	long iters = strtol(argv[2], NULL, 10);
	if (iters < 1) {
		fprintf(stderr, "tssbench: bad iteration count '%s'\n", argv[2]);
		return 2;
	}
	for (size_t i = 0; i < NWORK; i++) {
		if (strcmp(argv[1], workloads[i].name))
			continue;
		double ns = workloads[i].run(iters);
		if (ns < 0)
			puts("skip");
		else
			printf("%.3f\n", ns);
		return 0;
	}
	fprintf(stderr, "tssbench: unknown workload '%s' (see 'tssbench list')\n", argv[1]);
	return 2;
}
