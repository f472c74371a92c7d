/* What tsswatch run is tried on:
 *   run_target exit N     exits with status N
 *   run_target signal N   kills itself with signal N
 *   run_target env        prints LD_PRELOAD and TSSWATCH_OPTIONS
 *   run_target leak       a thread ends holding a value in a key with no
 *                         destructor (tsd-leak), then exits 0
 *   run_target fork       the leak in a child process, the parent clean */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_key_t key;

static void *worker(void *arg)
{
	pthread_setspecific(key, arg);
	return NULL;
}

static void leak(void)
{
	pthread_t t;

	pthread_key_create(&key, NULL);
	pthread_create(&t, NULL, worker, malloc(16));
	pthread_join(t, NULL);
	pthread_key_delete(key);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;

	if (!strcmp(what, "exit"))
		return n;
	if (!strcmp(what, "signal"))
		raise(n);
	if (!strcmp(what, "env")) {
		printf("LD_PRELOAD=%s\n", getenv("LD_PRELOAD"));
		printf("TSSWATCH_OPTIONS=%s\n", getenv("TSSWATCH_OPTIONS"));
	}
	if (!strcmp(what, "leak"))
		leak();
	if (!strcmp(what, "fork")) {
		pid_t pid = fork();

		if (pid == 0) {
			leak();
			return 0;
		}
		waitpid(pid, NULL, 0);
	}
	return 0;
}
