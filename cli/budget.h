/* The key budget of the modules of a process (B records). */
#ifndef TSC_BUDGET_H
#define TSC_BUDGET_H

#include "model.h"

/* "NAME created N keys in L loads, K of them not deleted: ..." for the
 * module at index MODULE (summed over every load of its file), at exit;
 * NULL when the log has no budget for it. */
char *tsc_budget_of_module(const struct tsc_process *p, size_t module);
/* The same for the module whose loads held the most keys live at their
 * peak, counting its loads up to TIME_NS (a key-exhaustion's; 0: unknown). */
char *tsc_budget_top(const struct tsc_process *p, uint64_t time_ns);

#endif
