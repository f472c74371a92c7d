/* Turning the findings' stacks into functions, files and lines, in
 * process with elfutils' libdw: each module file read once, each address
 * asked once. */
#ifndef TSC_SYMBOLIZE_H
#define TSC_SYMBOLIZE_H

#include "report_findings.h"

struct tsc_symbols;

/* Fills the frames of every stack the findings refer to.  Frames inside
 * libtsswatch.so are left out.  The returned cache owns the names the
 * frames point to: free it after the report is written. */
struct tsc_symbols *tsc_symbolize(const struct tsc_findings *fs);
void tsc_symbols_free(struct tsc_symbols *syms);

#endif
