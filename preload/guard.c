/* The recursion guard: see tsw.h. */
#include "tsw.h"

__thread volatile int tsw_busy;
volatile int tsw_ready;

bool tsw_enter(void)
{
	if (TSW_UNLIKELY(!tsw_ready)) {
		if (tsw_busy)
			return false;
		tsw_init();             /* a hook that runs before our constructor */
		if (!tsw_ready)
			return false;
	}
	if (tsw_busy)
		return false;
	tsw_busy = 1;
	/* The first entry in a fork child resets what the parent's other
	 * threads may have held, before any lock is taken. */
	if (TSW_UNLIKELY(tsw_in_new_process()))
		tsw_forked();
	return true;
}

void tsw_leave(void)
{
	tsw_busy = 0;
}
