/* dlopen and dlclose: they change the module map; a dlclose that unmapped
 * a module may leave keys with destructors in it (unload.c), and one that
 * did not may have been kept by thread_local objects (tls_dtors.c). */
#include <errno.h>

#include "tsw.h"

TSW_API void *dlopen(const char *file, int mode)
{
	void *h = TSW_REAL(dlopen)(file, mode);
	struct tsw_guard g = TSW_GUARD_INIT;
	if (h && tsw_guard_enter(&g)) {
		tsw_modules_refresh();
		tsw_pin_opened(h, mode);
	}
	tsw_guard_leave(&g);
	return h;
}

/* Whether a module is gone is asked of the loader after the real dlclose:
 * it may keep the module (other references, RTLD_NODELETE, thread_local
 * objects of a live thread). */
TSW_API int dlclose(void *handle)
{
	uintptr_t pc = TSW_CALLER;
	uint32_t last = 0;
	struct tsw_guard g = TSW_GUARD_INIT;
	if (tsw_guard_enter(&g))
		last = tsw_pin_closing(handle);
	tsw_guard_leave(&g);
	int rc = TSW_REAL(dlclose)(handle);
	if (rc == 0 && tsw_guard_enter(&g)) {
		tsw_modules_refresh();
		uint32_t stack = tsw_stack_of(pc);
		tsw_unload_check(stack);
		if (last)
			tsw_pin_closed(last, stack);
	}
	tsw_guard_leave(&g);
	return rc;
}
