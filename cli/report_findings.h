/* Findings as reports show them: F records of one process with the same
 * kind and primary stack merged into one, counted, with its message. */
#ifndef TSC_REPORT_FINDINGS_H
#define TSC_REPORT_FINDINGS_H

#include "kinds.h"
#include "model.h"

struct tsc_suppression;

struct tsc_thread_ref {
	uint64_t serial;
	const char *name;       /* NULL: unknown */
};

/* What --baseline makes of a finding; NONE without one. */
enum tsc_baseline_state { TSC_BASELINE_NONE, TSC_BASELINE_NEW, TSC_BASELINE_UNCHANGED };

struct tsc_finding {
	enum tsw_kind kind;
	enum tsc_severity severity;
	uint64_t count;
	const struct tsc_process *proc;
	char *message;
	struct tsc_thread_ref *threads;         /* distinct, by serial */
	size_t nthreads;
	bool has_key;
	uint64_t key;                           /* the key's index */
	const struct tsc_labeled_stack *stacks; /* of the first record merged */
	size_t nstacks;
	const struct tsc_suppression *suppressed_by;
	uint64_t *pids;         /* every process it was seen in; proc's first */
	size_t npids;
	char fingerprint[17];   /* 16 hex digits, set by tsc_findings_merge() */
	enum tsc_baseline_state baseline;
};

struct tsc_findings {
	struct tsc_finding *v;  /* most severe first, then by kind, process */
	size_t n;
};

void tsc_findings_build(struct tsc_findings *fs, const struct tsc_processes *ps);
void tsc_findings_free(struct tsc_findings *fs);

/* After symbolizing: merges findings of the same kind and severity whose
 * primary stacks symbolize to the same frames (across processes too),
 * summing counts and listing pids, and gives each its fingerprint. */
void tsc_findings_merge(struct tsc_findings *fs);
/* How merging orders frames: 0 when A and B are the same place. */
int tsc_frame_cmp(const struct tsc_frame *a, const struct tsc_frame *b);

/* The I-th stack of F, or NULL when the log had none. */
struct tsc_stack *tsc_finding_stack(const struct tsc_finding *f, size_t i);

/* Whether F is in the C runtime (libc, libpthread, the dynamic loader),
 * which is never where a finding should point; the same asked of a module's
 * path (NULL: no). */
bool tsc_frame_in_runtime(const struct tsc_frame *f);
bool tsc_module_in_runtime(const char *path);
/* The first frame of F's stacks (primary first) outside the runtime that
 * has a file and line (NEED_LINE) or else a function; NULL when none. */
const struct tsc_frame *tsc_first_user_frame(const struct tsc_finding *f, bool need_line);

/* The message of one F record (allocated). */
char *tsc_message(const struct tsc_process *p, const struct tsc_record *r);

#endif
