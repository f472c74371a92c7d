/* Finding a module's separate debug file, as gdb does: by build-id under
 * each debug directory, by .gnu_debuglink beside the module and under the
 * debug directories, and, only when DEBUGINFOD_URLS is set, from a
 * debuginfod server, within a time limit. */
#ifndef TSC_DEBUGINFO_H
#define TSC_DEBUGINFO_H

#include <elfutils/libdwfl.h>

/* The callbacks a Dwfl of the symbolizer is begun with. */
const Dwfl_Callbacks *tsc_debuginfo_callbacks(void);

/* Ends the debuginfod session, if one was begun; called once the report's
 * addresses are all symbolized. */
void tsc_debuginfo_end(void);

#endif
