/* Helpers shared by the test programs. */
#ifndef TEST_COMMON_H
#define TEST_COMMON_H

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

static inline void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		abort();
	return p;
}

#endif
