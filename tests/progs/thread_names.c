/* Bug on purpose: five joinable threads never joined (thread-leak), each
 * named another way.  Each prints the kernel's name for itself as it ends,
 * which the report must repeat. */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "common.h"

static pthread_barrier_t renamed;
static pid_t tids[5];

static void say_name(int i)
{
	char name[16] = "";
	prctl(PR_GET_NAME, name);
	printf("%d %s\n", i, name);
	fflush(stdout);
	__atomic_store_n(&tids[i], gettid(), __ATOMIC_RELEASE);
}

static void *by_self(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "self-named");
	say_name(0);
	return NULL;
}

static void *by_main(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&renamed);
	say_name(1);
	return NULL;
}

static void *inherits(void *arg)
{
	(void)arg;
	say_name(3);
	return NULL;
}

static void *by_prctl(void *arg)
{
	pthread_t t;
	(void)arg;
	printf("prctl: %d\n", prctl(PR_SET_NAME, "prctl-named-and-cut"));
	pthread_create(&t, NULL, inherits, NULL);
	while (!__atomic_load_n(&tids[3], __ATOMIC_ACQUIRE))
		sched_yield();
	say_name(2);
	return NULL;
}

static void *too_long(void *arg)
{
	(void)arg;
	printf("too long: %d\n", pthread_setname_np(pthread_self(), "a-name-of-sixteen"));
	say_name(4);
	return NULL;
}

static void run(int i, void *(*fn)(void *), pthread_t *t)
{
	pthread_create(t, NULL, fn, NULL);
	if (fn == by_main) {
		printf("by main: %d\n", pthread_setname_np(*t, "by-main"));
		pthread_barrier_wait(&renamed);
	}
	while (!__atomic_load_n(&tids[i], __ATOMIC_ACQUIRE))
		sched_yield();
	wait_gone(tids[i]);
}

int main(void)
{
	pthread_t t[5];
	pthread_barrier_init(&renamed, NULL, 2);
	run(0, by_self, &t[0]);
	run(1, by_main, &t[1]);
	run(2, by_prctl, &t[2]);
	wait_gone(tids[3]);
	/* neither a rename the kernel refuses nor a vfork child's is main's:
	 * the next thread inherits main's own */
	int rc;
#ifdef __SANITIZE_ADDRESS__
	puts("bad pointer: skipped (ASan's prctl reads the name first)");
#else
	errno = 0;
	rc = prctl(PR_SET_NAME, (char *)1);
	printf("bad pointer: %d %s\n", rc, strerror(errno));
#endif
	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "vfork-child");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	run(4, too_long, &t[4]);
	/* an option prctl does not know: its result and errno, as without us */
	errno = 0;
	rc = prctl(-1, 0, 0, 0, 0);
	printf("bad option: %d %s\n", rc, strerror(errno));
	return 0;
}
