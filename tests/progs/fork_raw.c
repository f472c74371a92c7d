/* A child made by _Fork (no atfork handler runs) that renames itself, then
 * uses keys, while the parent has threads holding values.  The first call
 * that starts the child's log keeps errno: else the child exits 3. */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "common.h"

pid_t _Fork(void);

static pthread_key_t key;
static pthread_barrier_t held, done;

static void *worker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, xmalloc(8));
	pthread_barrier_wait(&held);
	pthread_barrier_wait(&done);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	pthread_key_create(&key, free);
	pthread_barrier_init(&held, NULL, 3);
	pthread_barrier_init(&done, NULL, 3);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	pthread_barrier_wait(&held);
	pid_t pid = _Fork();
	if (pid == 0) {
		pthread_key_t k;
		prctl(PR_SET_NAME, "raw-child");
		errno = 4242;
		pthread_key_create(&k, NULL);
		int kept = errno == 4242;
		pthread_key_delete(k);
		exit(kept ? 0 : 3);
	}
	int status;
	waitpid(pid, &status, 0);
	pthread_barrier_wait(&done);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(key);
	printf("child: %d\n", WEXITSTATUS(status));
	return 0;
}
