/* Writing HTML and SVG text from what a log holds: every string from a log
 * (names, commands, paths, functions) goes through tsc_html_text, so none
 * can become markup. */
#ifndef TSC_HTML_H
#define TSC_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "timeline.h"

/* S as element text or a quoted attribute value: & < > " ' escaped,
 * control characters and bytes that are not UTF-8 as U+FFFD; at most MAX
 * characters, then an ellipsis (0: no limit).  NULL writes nothing. */
void tsc_html_text(FILE *out, const char *s, size_t max);

/* NS as a duration a person reads: "830 ns", "12.4 us", "3.05 ms", "1.2 s". */
void tsc_html_duration(FILE *out, uint64_t ns);

/* The SVG timeline of one process; finding indexes are FS's, marks link to
 * the elements with id "f" + index + 1. */
void tsc_html_timeline(FILE *out, const struct tsc_tl_proc *tp, const struct tsc_findings *fs);

#endif
