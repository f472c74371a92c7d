/* Starts PROGRAM ARG... twice: by vfork+execv and by posix_spawn, and
 * waits for both.  Prints the two children's exit statuses. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int st1, st2;
	pid_t pid;

	if (argc < 2)
		return 2;
	pid = vfork();                          /* VFORK */
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	waitpid(pid, &st1, 0);
	if (posix_spawn(&pid, argv[1], NULL, NULL, argv + 1, environ)) /* SPAWN */
		return 3;
	waitpid(pid, &st2, 0);
	printf("vfork child: %d, posix_spawn child: %d\n", WEXITSTATUS(st1), WEXITSTATUS(st2));
	return 0;
}
