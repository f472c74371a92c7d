/* Bug: N fork children (argv[1], default 3) each leak a value from one
 * call site; the parent leaks one from another line of the same function
 * and one from another function.  Reports merge the children's into one
 * finding and keep the parent's two apart. */
#include "common.h"

#include <sys/wait.h>

static pthread_key_t key;

static void *worker_a(void *arg)
{
	if (arg)
		pthread_setspecific(key, xmalloc(16)); /* PARENT-SET */
	else
		pthread_setspecific(key, xmalloc(16)); /* CHILD-SET */
	return NULL;
}

static void *worker_b(void *arg)
{
	pthread_setspecific(key, xmalloc(16)); /* OTHER-SET */
	return arg;
}

static void run(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, arg) == 0)
		pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;

	pthread_key_create(&key, NULL);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			run(worker_a, NULL);
			exit(0);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	run(worker_a, &key);
	run(worker_b, NULL);
	return 0;
}
