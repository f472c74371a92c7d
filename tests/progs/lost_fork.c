/* A fork child frees its copy of a value the parent's finished thread
 * dropped: that frees nothing of the parent's, whose tsd-leak stays.  With
 * "raw" the child comes from _Fork, which runs no atfork handler. */
#include "common.h"

#include <string.h>
#include <sys/wait.h>

static pthread_key_t key;
static void *handed;

static void *worker(void *arg)
{
	handed = xmalloc(56);
	pthread_setspecific(key, handed); /* DROPPED-SET */
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t;
	pthread_key_create(&key, NULL);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	void *mine = handed;
	handed = NULL;
	pid_t pid = argc > 1 && !strcmp(argv[1], "raw") ? _Fork() : fork();
	if (pid == 0) {
		free(mine);
		exit(0);
	}
	waitpid(pid, NULL, 0);
	pthread_key_delete(key);
	return 0;
}
