/* Helpers shared by the test programs. */
#ifndef TEST_COMMON_H
#define TEST_COMMON_H

#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Waits until thread TID has ended completely (every destructor round run)
 * without joining it: its /proc entry goes when the kernel reaps it. */
static inline void wait_gone(pid_t tid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d", (int)tid);
	while (access(path, F_OK) == 0)
		sched_yield();
}

/* A plugin's symbol, or the program ends saying why. */
static inline void *xdlsym(void *handle, const char *name)
{
	void *f = dlsym(handle, name);
	if (!f) {
		fprintf(stderr, "%s\n", dlerror());
		exit(1);
	}
	return f;
}

static inline void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		abort();
	return p;
}

/* A thread that does nothing. */
static inline void *nothing(void *arg)
{
	return arg;
}

/* With an argument: a first thread comes and goes before the key is
 * created, so tsswatch has taken its own key (at the highest index) by
 * then. */
static inline void thread_before_key(int argc)
{
	pthread_t t;
	if (argc > 1 && pthread_create(&t, NULL, nothing, NULL) == 0)
		pthread_join(t, NULL);
}

#endif
