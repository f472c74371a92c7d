/* tssmem THREADS KEYS: resident memory of THREADS live threads (64 KiB
 * stacks) each holding a value in KEYS keys.  Prints three VmRSS readings
 * in KiB: before the threads, with the threads running and no values, and
 * with every value set.  Run with and without a tool: the differences of
 * the differences are the tool's own memory per thread and per value. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_barrier_t started, filled, done;
static pthread_key_t *keys;
static long nkeys;
static int value;

static void no_op(void *v)
{
	(void)v;
}

static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = strtol(line + 6, NULL, 10);
	fclose(f);
	return kib;
}

static void *holder(void *arg)
{
	pthread_barrier_wait(&started);
	pthread_barrier_wait(&started);      /* main has measured */
	for (long k = 0; k < nkeys; k++)
		pthread_setspecific(keys[k], &value);
	pthread_barrier_wait(&filled);
	pthread_barrier_wait(&done);         /* main has measured */
	return arg;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: tssmem THREADS KEYS\n", stderr);
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	nkeys = strtol(argv[2], NULL, 10);
	pthread_t *t = calloc((size_t)n, sizeof *t);
	keys = calloc((size_t)nkeys + 1, sizeof *keys);
	if (n < 1 || nkeys < 0 || !t || !keys) {
		fputs("tssmem: bad arguments\n", stderr);
		return 2;
	}
	for (long k = 0; k < nkeys; k++) {
		int rc = pthread_key_create(&keys[k], no_op);
		if (rc) {
			fprintf(stderr, "tssmem: key %ld: %s\n", k, strerror(rc));
			return 1;
		}
	}
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_barrier_init(&started, NULL, (unsigned)n + 1);
	pthread_barrier_init(&filled, NULL, (unsigned)n + 1);
	pthread_barrier_init(&done, NULL, (unsigned)n + 1);
	long base = rss_kib();
	for (long i = 0; i < n; i++) {
		int rc = pthread_create(&t[i], &attr, holder, NULL);
		if (rc) {
			fprintf(stderr, "tssmem: thread %ld: %s\n", i, strerror(rc));
			return 1;    /* the waiting threads die with the process */
		}
	}
	pthread_barrier_wait(&started);
	long threads = rss_kib();
	pthread_barrier_wait(&started);
	pthread_barrier_wait(&filled);
	long values = rss_kib();
	pthread_barrier_wait(&done);
	for (long i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	for (long k = 0; k < nkeys; k++)
		pthread_key_delete(keys[k]);
	printf("%ld %ld %ld\n", base, threads, values);
	free(t);
	free(keys);
	return 0;
}
