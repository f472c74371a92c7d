/* exec replaces the image without running exit handlers: before it goes,
 * the log says so (X exec), so the old image's log is complete and the new
 * image starts a log of its own.  If the exec fails, the process goes on
 * and a later X record says how it really ended.  glibc's exec functions
 * call execve internally, out of reach, so each is hooked. */
#include <stdarg.h>

#include "tsw.h"

#define MAX_ARGS 4096

static void before_exec(void)
{
	/* A vfork child shares its parent's memory: it must touch nothing. */
	if (!tsw_ready || getpid() != tsw_pid || !tsw_enter())
		return;
	int saved = errno;
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_EXIT);
	tsw_rec_str(&r, "exec");
	tsw_rec_dec(&r, 0);
	tsw_rec_end(&r);
	errno = saved;
	tsw_leave();
}

TSW_API int execve(const char *path, char *const argv[], char *const envp[])
{
	before_exec();
	return TSW_REAL(execve)(path, argv, envp);
}

TSW_API int execv(const char *path, char *const argv[])
{
	before_exec();
	return TSW_REAL(execv)(path, argv);
}

TSW_API int execvp(const char *file, char *const argv[])
{
	before_exec();
	return TSW_REAL(execvp)(file, argv);
}

TSW_API int execvpe(const char *file, char *const argv[], char *const envp[])
{
	before_exec();
	return TSW_REAL(execvpe)(file, argv, envp);
}

TSW_API int fexecve(int fd, char *const argv[], char *const envp[])
{
	before_exec();
	return TSW_REAL(fexecve)(fd, argv, envp);
}

/* The list forms: gather the arguments into ARGV; -1 (E2BIG) when there
 * are more than it holds.  AP is left after the terminating NULL. */
static int gather(char **argv, const char *first, va_list *ap)
{
	argv[0] = (char *)first;
	for (int n = 0; n < MAX_ARGS - 1; n++) {
		if (!argv[n])
			return 0;
		argv[n + 1] = va_arg(*ap, char *);
	}
	if (!argv[MAX_ARGS - 1])
		return 0;
	errno = E2BIG;
	return -1;
}

TSW_API int execl(const char *path, const char *arg, ...)
{
	char *argv[MAX_ARGS];
	va_list ap;
	va_start(ap, arg);
	int rc = gather(argv, arg, &ap);
	va_end(ap);
	return rc ? rc : execv(path, argv);
}

TSW_API int execlp(const char *file, const char *arg, ...)
{
	char *argv[MAX_ARGS];
	va_list ap;
	va_start(ap, arg);
	int rc = gather(argv, arg, &ap);
	va_end(ap);
	return rc ? rc : execvp(file, argv);
}

TSW_API int execle(const char *path, const char *arg, ...)
{
	char *argv[MAX_ARGS];
	va_list ap;
	va_start(ap, arg);
	int rc = gather(argv, arg, &ap);
	char *const *envp = rc ? NULL : va_arg(ap, char *const *);
	va_end(ap);
	return rc ? rc : execve(path, argv, envp);
}
