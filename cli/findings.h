/* Findings as reports show them: F records of one process with the same
 * kind and primary stack merged into one, counted, with its message. */
#ifndef TSW_FINDINGS_H
#define TSW_FINDINGS_H

#include "kinds.h"
#include "model.h"

struct tsw_suppression;

struct tsw_thread_ref {
	uint64_t serial;
	const char *name;       /* NULL: unknown */
};

struct tsw_finding {
	enum tsw_kind kind;
	enum tsw_severity severity;
	uint64_t count;
	const struct tsw_process *proc;
	char *message;
	struct tsw_thread_ref *threads;         /* distinct, by serial */
	size_t nthreads;
	bool has_key;
	uint64_t key;                           /* the key's index */
	const struct tsw_labeled_stack *stacks; /* of the first record merged */
	size_t nstacks;
	const struct tsw_suppression *suppressed_by;
	uint64_t *pids;         /* every process it was seen in; proc's first */
	size_t npids;
	char fingerprint[17];   /* 16 hex digits, set by tsw_findings_merge() */
};

struct tsw_findings {
	struct tsw_finding *v;  /* most severe first, then by kind, process */
	size_t n;
};

void tsw_findings_build(struct tsw_findings *fs, const struct tsw_processes *ps);
void tsw_findings_free(struct tsw_findings *fs);

/* After symbolizing: merges findings of the same kind and severity whose
 * primary stacks symbolize to the same frames (across processes too),
 * summing counts and listing pids, and gives each its fingerprint. */
void tsw_findings_merge(struct tsw_findings *fs);

/* The I-th stack of F, or NULL when the log had none. */
struct tsw_stack *tsw_finding_stack(const struct tsw_finding *f, size_t i);

/* Whether F is in the C runtime (libc, libpthread, the dynamic loader),
 * which is never where a finding should point. */
bool tsw_frame_in_runtime(const struct tsw_frame *f);
/* The first frame of F's stacks (primary first) outside the runtime that
 * has a file and line (NEED_LINE) or else a function; NULL when none. */
const struct tsw_frame *tsw_first_user_frame(const struct tsw_finding *f, bool need_line);

/* The message of one F record (allocated). */
char *tsw_message(const struct tsw_process *p, const struct tsw_record *r);

#endif
