/* A host that unloads a C++ plugin while a thread holds one of its
 * thread_local objects: glibc keeps the plugin mapped (bug).  Clean twins:
 * a second reference is dropped while the thread holds it, and the last
 * one only after the thread ended ("clean"); the plugin's own handle is
 * closed while another plugin that needs it (argv[3]) stays ("needed"). */
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
	bool needed = strcmp(argv[2], "needed") == 0;
	void *user = needed && argc > 3 ? dlopen(argv[3], RTLD_NOW) : NULL;
	void *again = bug || needed ? NULL : dlopen(argv[1], RTLD_NOW);
	if (needed && !user) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
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
	if (user)
		dlclose(user);
	return 0;
}
