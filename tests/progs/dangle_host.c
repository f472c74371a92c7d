/* A host that unloads a plugin whose key has its destructor in it.
 *   bug:      a thread holds a value at the dlclose, then ends: glibc calls
 *             the unmapped destructor and the process dies of SIGSEGV
 *   late:     a thread sets a value in the key after the dlclose: the same
 *   empty:    the thread gave its value back before the dlclose (key-leak)
 *   nodelete: as bug, but RTLD_NODELETE keeps the plugin mapped (key-leak)
 *   clean:    the thread ends and the plugin deletes its key before the dlclose */
#include <dlfcn.h>
#include <stdbool.h>
#include <string.h>
#include "common.h"

static pthread_barrier_t held, unloaded;
static void (*hold)(void);
static void (*release)(void);
static const char *mode;
static pthread_key_t key;

static void *worker(void *arg)
{
	(void)arg;
	if (strcmp(mode, "late") != 0)
		hold();
	if (strcmp(mode, "empty") == 0)
		release();
	pthread_barrier_wait(&held);
	pthread_barrier_wait(&unloaded);
	if (strcmp(mode, "late") == 0)
		pthread_setspecific(key, malloc(8)); /* LATE-SET */
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	mode = argv[2];
	bool clean = strcmp(mode, "clean") == 0;
	int flags = RTLD_NOW | (strcmp(mode, "nodelete") == 0 ? RTLD_NODELETE : 0);
	void *h = dlopen(argv[1], flags);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	key = ((pthread_key_t (*)(void))xdlsym(h, "plugin_start"))();
	hold = (void (*)(void))xdlsym(h, "plugin_hold");
	release = (void (*)(void))xdlsym(h, "plugin_release");
	void (*stop)(void) = (void (*)(void))xdlsym(h, "plugin_stop");
	pthread_barrier_init(&held, NULL, 2);
	pthread_barrier_init(&unloaded, NULL, 2);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_barrier_wait(&held);
	if (clean) {
		pthread_barrier_wait(&unloaded);
		pthread_join(t, NULL);
		stop();
	}
	dlclose(h); /* UNLOAD */
	if (!clean) {
		pthread_barrier_wait(&unloaded);
		pthread_join(t, NULL);
	}
	printf("joined\n");
	return 0;
}
