/* --baseline FILE: the findings of an earlier run's JSON report, by
 * fingerprint.  This run's findings that it holds are unchanged and never
 * fail the check; the others are new; what it holds that this run did not
 * find is absent (SARIF says so, for code scanning to close). */
#ifndef TSC_BASELINE_H
#define TSC_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "report_findings.h"

struct tsc_baseline_entry {
	char *fingerprint;
	char *kind, *severity, *message;        /* as the report said them; NULL: absent */
	char *file;             /* where it pointed: the first frame outside the */
	unsigned long line;     /* runtime with a file and line; NULL, 0: none */
	bool seen;              /* this run has it */
};

struct tsc_baseline {
	const char *path;       /* NULL: no --baseline */
	struct tsc_baseline_entry *v;   /* one per fingerprint, in the report's order */
	size_t n, cap;
};

/* Reads PATH; prints one line naming it and returns -1 when it cannot be
 * read or is not a tsswatch JSON report with fingerprints. */
int tsc_baseline_load(struct tsc_baseline *b, const char *path);
/* Parses the report in TEXT[0..LEN) (PATH names it in errors). */
int tsc_baseline_parse(struct tsc_baseline *b, const char *path, const char *text, size_t len);
void tsc_baseline_free(struct tsc_baseline *b);

/* Marks every finding of FS new or unchanged, and every entry of B seen or
 * not.  Without a baseline, findings stay TSC_BASELINE_NONE. */
void tsc_baseline_apply(struct tsc_baseline *b, struct tsc_findings *fs);

extern const char *const tsc_baseline_state_names[];    /* NULL, "new", "unchanged" */

#endif
