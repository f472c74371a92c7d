/* dlopen and dlclose: they change the module map, and a dlclose that
 * unmapped a module may leave keys with destructors in it (unload.c). */
#include <errno.h>

#include "tsw.h"

TSW_API void *dlopen(const char *file, int mode)
{
	void *h = TSW_REAL(dlopen)(file, mode);
	if (h && tsw_enter()) {
		int saved = errno;
		tsw_modules_refresh();
		errno = saved;
		tsw_leave();
	}
	return h;
}

/* Whether a module is gone is asked of the loader after the real dlclose:
 * it may keep the module (other references, RTLD_NODELETE, thread_local
 * objects of a live thread). */
TSW_API int dlclose(void *handle)
{
	uintptr_t pc = TSW_CALLER;
	int rc = TSW_REAL(dlclose)(handle);
	if (rc == 0 && tsw_enter()) {
		int saved = errno;
		tsw_modules_refresh();
		tsw_unload_check(tsw_stack_of(pc));
		errno = saved;
		tsw_leave();
	}
	return rc;
}
