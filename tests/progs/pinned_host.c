/* A host that unloads a C++ plugin while a thread holds one of its
 * thread_local objects: glibc keeps the plugin mapped (bug).  Clean twin:
 * a second reference is dropped while the thread holds it, and the last
 * one only after the thread ended. */
#include <link.h>
#include <stdbool.h>
#include <string.h>
#include "common.h"

static pthread_barrier_t touched, closed;
static int (*touch)(void);

static void *worker(void *arg)
{
	(void)arg;
	touch();
	pthread_barrier_wait(&touched);
	pthread_barrier_wait(&closed);
	return NULL;
}

static int find(struct dl_phdr_info *info, size_t size, void *name)
{
	(void)size;
	return info->dlpi_name && strcmp(info->dlpi_name, name) == 0;
}

/* Whether the loader still has PATH mapped (not by dlopen, which would
 * take a reference). */
static bool mapped(const char *path)
{
	return dl_iterate_phdr(find, (void *)path) != 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	bool bug = strcmp(argv[2], "bug") == 0;
	void *h = dlopen(argv[1], RTLD_NOW);
	void *again = bug ? NULL : dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	touch = (int (*)(void))xdlsym(h, "plugin_touch");
	pthread_barrier_init(&touched, NULL, 2);
	pthread_barrier_init(&closed, NULL, 2);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* WORKER */
	pthread_barrier_wait(&touched);
	dlclose(h); /* UNLOAD */
	printf("after dlclose: %s\n", mapped(argv[1]) ? "mapped" : "unmapped");
	pthread_barrier_wait(&closed);
	pthread_join(t, NULL);
	if (again)
		dlclose(again);
	return 0;
}
