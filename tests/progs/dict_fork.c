/* The dictionary in a fork child: the forking thread's entries come along
 * (as its key values do), and the child's changes stay its own. */
#include <sys/wait.h>
#include <tsswatch.h>
#include "common.h"

static int freed;
static void count_free(void *p) { free(p); freed++; }

static void *worker(void *arg)
{
	(void)arg;
	tsswatch_set("conn", xmalloc(8), count_free);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = tsswatch_get("conn") != NULL && tsswatch_count() == 1 &&
			 tsswatch_set("child", xmalloc(4), count_free) == 0 &&
			 tsswatch_remove("conn") == 0 && freed == 1 && tsswatch_count() == 1;
		tsswatch_clear();
		_exit(ok && freed == 2 ? 0 : 1);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("child: %s, parent still has conn: %s\n",
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "FAILED",
	       tsswatch_get("conn") && tsswatch_count() == 1 && freed == 0 ? "yes" : "no");
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("freed at thread end: %d\n", freed);
	return 0;
}
