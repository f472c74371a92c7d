/* Thread names, as they change: pthread_setname_np and prctl(PR_SET_NAME)
 * are the calls that rename a thread, so its record knows its name when
 * it ends without asking the kernel (a system call per thread). */
#include <errno.h>
#include <stdarg.h>
#include <sys/prctl.h>

#include "tsw.h"

/* A thread's own new name needs no lock: it is kept even when the rename
 * comes from a signal handler that interrupted tsswatch. */
static void renamed(pthread_t thread, const char *name)
{
	if (!tsw_ready || tsw_in_vfork_child() || tsw_thread_renamed_self(thread, name))
		return;
	struct tsw_guard g = TSW_GUARD_INIT;
	if (tsw_guard_enter(&g))
		tsw_thread_renamed(thread, name);
	tsw_guard_leave(&g);
}

TSW_API int pthread_setname_np(pthread_t thread, const char *name)
{
	int rc = TSW_REAL(pthread_setname_np)(thread, name);
	if (rc == 0)
		renamed(thread, name);
	return rc;
}

/* glibc's prctl reads four more words whatever the option: so do we. */
TSW_API int prctl(int option, ...)
{
	va_list ap;
	va_start(ap, option);
	unsigned long a2 = va_arg(ap, unsigned long), a3 = va_arg(ap, unsigned long),
		      a4 = va_arg(ap, unsigned long), a5 = va_arg(ap, unsigned long);
	va_end(ap);
	int rc = TSW_REAL(prctl)(option, a2, a3, a4, a5);
	if (option == PR_SET_NAME && rc == 0)
		renamed(pthread_self(), (const char *)a2);
	return rc;
}
