/* Forks ROUNDS times from a thread while WORKERS other threads are inside
 * the key functions: creating, setting and deleting keys, and starting
 * threads that set a value and end (their destructors run).  Under a
 * preloaded allocator this is where a fork meets the allocator's and
 * tsswatch's locks at once: a deadlock hangs the program, which the tests
 * run under timeout(1).
 *
 *   fork_busy MODE ROUNDS WORKERS
 *
 * MODE fork: each child allocates, creates a key, sets it, runs a thread
 * and exits 7 through exit(); vfork: each child execs this program, which
 * does the same; spawn: the same through posix_spawn; main: main forks
 * ROUNDS times with no thread at all (the smallest case).  Prints how many
 * children exited 7, and exits 0 only when all did. */
#include "common.h"
#include <spawn.h>
#include <stdatomic.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

enum { CHILD_STATUS = 7 };

static pthread_key_t shared_key;
static atomic_int stop;
static const char *self;

static void *set_and_end(void *arg)
{
	pthread_setspecific(shared_key, arg);   /* free() runs at its end */
	return NULL;
}

/* The machine's other users can run it out of threads or processes for a
 * moment: EAGAIN is tried again, for up to 10 s, since what this program
 * tests is deadlock, not the limits. */
static int again(int *tries)
{
	struct timespec ms = { 0, 1000000 };
	if (++*tries > 10000)
		return 0;
	nanosleep(&ms, NULL);
	return 1;
}

/* What a child does, after a fork or after an exec: its allocator and
 * tsswatch must both work in it. */
static int child_work(void)
{
	pthread_key_t k;
	pthread_t t;
	void *p = xmalloc(100);
	int err, tries = 0;
	memset(p, 1, 100);
	if (pthread_key_create(&k, free))
		return 1;
	pthread_setspecific(k, p);
	while ((err = pthread_create(&t, NULL, set_and_end, xmalloc(16))) == EAGAIN && again(&tries))
		;
	if (err || pthread_join(t, NULL)) {
		fprintf(stderr, "child %d: pthread_create: %s\n", (int)getpid(), strerror(err));
		return 2;
	}
	free(p);
	pthread_setspecific(k, NULL);
	pthread_key_delete(k);
	return CHILD_STATUS;
}

static void *key_worker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		pthread_key_t k;
		if (pthread_key_create(&k, free))
			continue;
		pthread_setspecific(k, xmalloc(32));
		free(pthread_getspecific(k));
		pthread_setspecific(k, NULL);
		pthread_key_delete(k);
	}
	return NULL;
}

static void *thread_worker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		pthread_t t;
		if (pthread_create(&t, NULL, set_and_end, xmalloc(24)) == 0)
			pthread_join(t, NULL);
	}
	return NULL;
}

/* vfork, and exec ARGS in the child, which touches nothing else. */
static pid_t vfork_exec(char **args)
{
	pid_t pid = vfork();
	if (pid == 0) {
		execv(self, args);
		_exit(127);
	}
	return pid;
}

/* One child by MODE; returns its exit status, or -1. */
static int one_child(const char *mode)
{
	char *args[] = { (char *)self, "child", NULL };
	pid_t pid;
	int st, err, tries = 0;
	if (strcmp(mode, "spawn") == 0) {
		while ((err = posix_spawn(&pid, self, NULL, NULL, args, environ)) == EAGAIN && again(&tries))
			;
		if (err)
			pid = -1;
	} else if (strcmp(mode, "vfork") == 0) {
		while ((pid = vfork_exec(args)) < 0 && (err = errno) == EAGAIN && again(&tries))
			;
	} else {
		while ((pid = fork()) < 0 && (err = errno) == EAGAIN && again(&tries))
			;
		if (pid == 0)
			exit(child_work());
	}
	if (pid < 0) {
		fprintf(stderr, "%s: %s\n", mode, strerror(err));
		return -1;
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != CHILD_STATUS)
		fprintf(stderr, "child %d: status %#x\n", (int)pid, st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

struct forker_arg {
	const char *mode;
	int rounds, good;
};

static void *forker(void *arg)
{
	struct forker_arg *f = arg;
	pthread_setspecific(shared_key, xmalloc(8));
	for (int i = 0; i < f->rounds; i++)
		f->good += one_child(f->mode) == CHILD_STATUS;
	return NULL;
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (pthread_key_create(&shared_key, free))
		return 3;
	if (argc == 2 && strcmp(argv[1], "child") == 0) {
		int st = child_work();
		pthread_key_delete(shared_key);
		return st;
	}
	if (argc != 4)
		return 2;
	struct forker_arg f = { argv[1], atoi(argv[2]), 0 };
	int workers = atoi(argv[3]);
	if (strcmp(f.mode, "main") == 0) {
		forker(&f);
		free(pthread_getspecific(shared_key));
		pthread_setspecific(shared_key, NULL);
	} else {
		pthread_t w[64], ft;
		if (workers < 0 || workers > 64)
			return 2;
		for (int i = 0; i < workers; i++)
			pthread_create(&w[i], NULL, i % 2 ? thread_worker : key_worker, NULL);
		pthread_create(&ft, NULL, forker, &f);
		pthread_join(ft, NULL);
		atomic_store(&stop, 1);
		for (int i = 0; i < workers; i++)
			pthread_join(w[i], NULL);
	}
	pthread_key_delete(shared_key);
	printf("children exited %d: %d of %d\n", CHILD_STATUS, f.good, f.rounds);
	return f.good == f.rounds ? 0 : 1;
}
