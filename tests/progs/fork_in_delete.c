/* A fork while another thread is inside pthread_key_delete (held there by
 * libdelete_pause.so): in the child that delete never happens, so the key
 * is still the child's to set, clear and delete.  Built -rdynamic, so the
 * shim finds inside_delete(). */
#include <semaphore.h>
#include <sys/wait.h>
#include "common.h"

static pthread_key_t key;
static sem_t inside, forked;
static int holding;        /* set by the deleter, before its delete */

void inside_delete(void);
void inside_delete(void)
{
	if (!holding)
		return;
	sem_post(&inside);
	sem_wait(&forked);
}

static void *deleter(void *arg)
{
	holding = 1;
	pthread_key_delete(key);
	return arg;
}

int main(void)
{
	pthread_t t;
	sem_init(&inside, 0, 0);
	sem_init(&forked, 0, 0);
	pthread_key_create(&key, free);
	pthread_create(&t, NULL, deleter, NULL);
	sem_wait(&inside);
	pid_t pid = fork();
	if (pid == 0) {
		holding = 0;
		int set = pthread_setspecific(key, xmalloc(8));
		void *p = pthread_getspecific(key);
		int cleared = pthread_setspecific(key, NULL);
		free(p);
		int deleted = pthread_key_delete(key);
		printf("child: set %d, cleared %d, deleted %d\n", set, cleared, deleted);
		exit(0);
	}
	sem_post(&forked);
	pthread_join(t, NULL);
	int status;
	waitpid(pid, &status, 0);
	printf("child exited %d\n", WEXITSTATUS(status));
	return 0;
}
