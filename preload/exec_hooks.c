/* exec replaces the image without running exit handlers: before it goes,
 * the log says so (X exec), so the old image's log is complete and the new
 * image starts a log of its own.  If the exec fails, the process goes on
 * and a later X record says how it really ended.  glibc's exec functions
 * call execve internally, out of reach, so each is hooked. */
#include <stdarg.h>

#include "tsw.h"

static void before_exec(void)
{
	struct tsw_guard g = TSW_GUARD_INIT;
	if (!tsw_ready || tsw_in_vfork_child() || !tsw_guard_enter(&g))
		return;
	TSW_REC(r, TSW_BUF_SMALL);
	tsw_rec_start(&r, TSW_REC_EXIT);
	tsw_rec_str(&r, TSW_EXIT_EXEC);
	tsw_rec_dec(&r, 0);
	tsw_rec_end(&r);
	tsw_guard_leave(&g);
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

/* The list forms: their arguments, gathered into an array of our own
 * memory sized to the call (a thread's stack may be small), and freed if
 * the exec fails; *AP is left past the terminating NULL (execle's envp
 * follows).  NULL (errno ENOMEM) when there is no memory. */
static char **gather(const char *first, va_list *ap, size_t *size)
{
	va_list count;
	size_t n = 1;
	va_copy(count, *ap);
	if (first)
		while (va_arg(count, char *))
			n++;
	va_end(count);
	*size = (n + 1) * sizeof(char *);
	char **argv = tsw_alloc(*size);        /* zeroed: argv[n] is NULL */
	for (size_t i = 1; first && i <= n; i++) {
		char *a = va_arg(*ap, char *);
		if (argv)
			argv[i] = a;
	}
	if (!argv) {
		errno = ENOMEM;
		return NULL;
	}
	argv[0] = (char *)first;
	return argv;
}

/* Runs EXEC on the gathered ARGV; frees it when the exec fails. */
static int exec_list(int (*exec)(const char *, char *const[]), const char *path, char **argv,
		     size_t size)
{
	if (!argv)
		return -1;
	int rc = exec(path, argv);
	tsw_free(argv, size);
	return rc;
}

TSW_API int execl(const char *path, const char *arg, ...)
{
	size_t size;
	va_list ap;
	va_start(ap, arg);
	char **argv = gather(arg, &ap, &size);
	va_end(ap);
	return exec_list(execv, path, argv, size);
}

TSW_API int execlp(const char *file, const char *arg, ...)
{
	size_t size;
	va_list ap;
	va_start(ap, arg);
	char **argv = gather(arg, &ap, &size);
	va_end(ap);
	return exec_list(execvp, file, argv, size);
}

TSW_API int execle(const char *path, const char *arg, ...)
{
	size_t size;
	va_list ap;
	va_start(ap, arg);
	char **argv = gather(arg, &ap, &size);
	char *const *envp = va_arg(ap, char *const *);
	va_end(ap);
	if (!argv)
		return -1;
	int rc = execve(path, argv, envp);
	tsw_free(argv, size);
	return rc;
}
