/* Turning the findings' stacks into functions, files and lines with
 * addr2line(1): one process per module, each address asked once. */
#ifndef TSW_SYMBOLIZE_H
#define TSW_SYMBOLIZE_H

#include "findings.h"

struct tsw_symbols;

/* Fills the frames of every stack the findings refer to.  Frames inside
 * libtsswatch.so are left out.  The returned cache owns the names the
 * frames point to: free it after the report is written. */
struct tsw_symbols *tsw_symbolize(const struct tsw_findings *fs);
void tsw_symbols_free(struct tsw_symbols *syms);

#endif
