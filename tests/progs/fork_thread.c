/* fork from a thread (not main) while two other threads hold values in a
 * key.  The child creates and joins threads of its own (they may get the
 * pthread_t of the parent's threads, which the child never saw end) and
 * exits; the parent then releases its threads and everyone ends clean.
 * Prints what the child saw, then the child's pid and exit status. */
#include "common.h"
#include <string.h>
#include <sys/wait.h>

enum { HOLDERS = 2, CHILD_THREADS = 4 };

static pthread_key_t key;
static pthread_barrier_t holding;
static int release[2];

static void *holder(void *arg)
{
	char c;
	pthread_setspecific(key, arg);          /* destructor frees it */
	pthread_barrier_wait(&holding);
	if (read(release[0], &c, 1) != 1)
		abort();
	return NULL;
}

static void *child_worker(void *arg)
{
	pthread_setspecific(key, arg);
	return NULL;
}

static void *forker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, xmalloc(8));   /* the child keeps this one */
	pthread_barrier_wait(&holding);
	pid_t pid = fork();                     /* FORK */
	if (pid == 0) {
		pthread_t t[CHILD_THREADS];
		int same = pthread_getspecific(key) != NULL;
		for (int i = 0; i < CHILD_THREADS; i++)
			pthread_create(&t[i], NULL, child_worker, xmalloc(8));
		for (int i = 0; i < CHILD_THREADS; i++)
			pthread_join(t[i], NULL);
		printf("child kept its value: %d\n", same);
		fflush(stdout);
		exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	printf("child %d status: %d\n", (int)pid, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return NULL;
}

int main(void)
{
	pthread_t h[HOLDERS], f;
	if (pipe(release))
		return 1;
	pthread_key_create(&key, free);
	pthread_barrier_init(&holding, NULL, HOLDERS + 2);
	for (int i = 0; i < HOLDERS; i++)
		pthread_create(&h[i], NULL, holder, xmalloc(8));
	pthread_create(&f, NULL, forker, NULL);
	pthread_barrier_wait(&holding);
	pthread_join(f, NULL);
	if (write(release[1], "xx", 2) != 2)
		return 1;
	for (int i = 0; i < HOLDERS; i++)
		pthread_join(h[i], NULL);
	pthread_key_delete(key);
	return 0;
}
