/* Linked with atfork_lib: forks once; the child returns at once. */
#include <sys/wait.h>
#include "common.h"

int main(void)
{
	pid_t pid = fork();
	if (pid == 0)
		return 0;
	int status;
	waitpid(pid, &status, 0);
	printf("child: %d\n", WEXITSTATUS(status));
	return 0;
}
