/* The finding kinds and severities as the reports describe them. */
#ifndef TSC_KINDS_H
#define TSC_KINDS_H

#include <stddef.h>

#include "tsswatch_log.h"

enum tsc_severity { TSC_SEV_ERROR, TSC_SEV_WARNING, TSC_SEV_INFO, TSC_SEV_COUNT };
extern const char *const tsc_severity_names[TSC_SEV_COUNT];

struct tsc_kind_info {
	const char *name;
	const char *severity;   /* the default, as TSW_KINDS spells it */
	const char *summary;    /* one line */
	const char *help;       /* what it means and what to do */
};
extern const struct tsc_kind_info tsc_kinds[TSW_KIND_COUNT];

/* The kind named by the N bytes at S, or -1. */
int tsc_kind_lookup(const char *s, size_t n);
/* The severity named S, or -1. */
int tsc_severity_lookup(const char *s);
enum tsc_severity tsc_kind_severity(enum tsw_kind kind);

#endif
