/* The finding kinds and severities as the reports describe them. */
#ifndef TSW_KINDS_H
#define TSW_KINDS_H

#include <stddef.h>

#include "tsswatch_log.h"

enum tsw_severity { TSW_SEV_ERROR, TSW_SEV_WARNING, TSW_SEV_INFO, TSW_SEV_COUNT };
extern const char *const tsw_severity_names[TSW_SEV_COUNT];

struct tsw_kind_info {
	const char *name;
	const char *severity;   /* the default, as TSW_KINDS spells it */
	const char *summary;    /* one line */
	const char *help;       /* what it means and what to do */
};
extern const struct tsw_kind_info tsw_kinds[TSW_KIND_COUNT];

/* The kind named by the N bytes at S, or -1. */
int tsw_kind_lookup(const char *s, size_t n);
/* The severity named S, or -1. */
int tsw_severity_lookup(const char *s);
enum tsw_severity tsw_kind_severity(enum tsw_kind kind);

#endif
