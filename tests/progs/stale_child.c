/* Bug on purpose: a fork child sets a key its parent had used and deleted
 * before the fork.  The child's log must name the key for the finding. */
#include <sys/wait.h>
#include "common.h"

int main(void)
{
	pthread_key_t key;
	pthread_key_create(&key, NULL);   /* KEY-CREATE */
	pthread_setspecific(key, &key);
	pthread_setspecific(key, NULL);
	pthread_key_delete(key);          /* KEY-DELETE */
	pid_t pid = fork();
	if (pid == 0) {
		printf("child set: %d\n", pthread_setspecific(key, &key));   /* STALE-SET */
		exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("child exited %d\n", WEXITSTATUS(status));
	return 0;
}
