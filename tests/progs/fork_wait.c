/* Forks once and waits: what redis's BGSAVE and rustc's linker run do. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(7);
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	printf("child status %d\n", WEXITSTATUS(status));
	return 0;
}
