/* Threads that exist before libtsswatch is loaded (dlopen, not preload)
 * still get a dictionary, found with dlsym. */
#include <dlfcn.h>
#include <stdint.h>
#include "common.h"

static pthread_barrier_t loaded, used;
static int (*set_fn)(const char *, void *, void (*)(void *));
static void *(*get_fn)(const char *);
static uint64_t (*serial_fn)(void);
static uint64_t worker_serial;
static int worker_ok;

static void *worker(void *arg)
{
	(void)arg;
	void *mine = xmalloc(8);         /* dropped at its end: a dict-leak */
	pthread_barrier_wait(&loaded);
	worker_ok = set_fn("mine", mine, NULL) == 0 && get_fn("mine") == mine;
	worker_serial = serial_fn();
	pthread_barrier_wait(&used);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	if (argc < 2)
		return 2;
	pthread_barrier_init(&loaded, NULL, 2);
	pthread_barrier_init(&used, NULL, 2);
	pthread_create(&t, NULL, worker, NULL);
	void *lib = dlopen(argv[1], RTLD_NOW);
	if (!lib) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	*(void **)&set_fn = dlsym(lib, "tsswatch_set");
	*(void **)&get_fn = dlsym(lib, "tsswatch_get");
	*(void **)&serial_fn = dlsym(lib, "tsswatch_thread_serial");
	pthread_barrier_wait(&loaded);
	pthread_barrier_wait(&used);
	pthread_join(t, NULL);
	printf("worker: %s, serial above 1: %s, main empty: %s\n", worker_ok ? "ok" : "FAILED",
	       worker_serial > 1 ? "yes" : "no", get_fn("mine") == NULL ? "yes" : "no");
	return 0;
}
