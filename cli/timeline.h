/* The timeline of each process, for the html and trace formats: threads
 * from create to finish, keys from first use to delete, and a mark for
 * every F record at its moment, tied to the finding it was merged into.
 * Only logs of format version 2 on have times; a process without them has
 * an empty timeline (has_times false). */
#ifndef TSC_TIMELINE_H
#define TSC_TIMELINE_H

#include "report_findings.h"

struct tsc_tl_thread {
	uint64_t serial;
	const char *name;       /* NULL: unknown */
	uint64_t start, end;    /* end: the process's end when not finished */
	bool finished;
	size_t marks;           /* how many marks are on it */
};

struct tsc_tl_key {
	size_t model;           /* index in the process's keys */
	uint64_t id, index;
	uint64_t start, end;    /* from first use; end: the process's end when not deleted */
	bool deleted;
};

struct tsc_tl_mark {
	uint64_t time;
	size_t thread;          /* index in threads, or TSC_NONE: about the process */
	size_t finding;         /* index in the findings */
	const struct tsc_record *r;
};

struct tsc_tl_proc {
	const struct tsc_process *p;
	bool has_times;
	uint64_t start, end;    /* the P record's time, and the X record's or the last */
	struct tsc_tl_thread *threads;  /* by serial */
	struct tsc_tl_key *keys;        /* by first use */
	struct tsc_tl_mark *marks;      /* by time */
	size_t nthreads, nkeys, nmarks;
};

struct tsc_timeline {
	struct tsc_tl_proc *v;  /* one per process, in report order */
	size_t n;
	uint64_t start, end;    /* over every process with times */
	bool any_times;
};

/* Builds the timelines of PS.  A mark is made for each F record of an
 * unsuppressed finding of FS. */
void tsc_timeline_build(struct tsc_timeline *tl, const struct tsc_processes *ps,
			const struct tsc_findings *fs);
void tsc_timeline_free(struct tsc_timeline *tl);

/* Where finding F points, as "function file:line" (allocated), from its
 * first frame outside the C runtime; NULL when no frame has a name. */
char *tsc_tl_first_frame(const struct tsc_finding *f);

/* A thread as reports name it: "#serial" or "#serial \"name\"" (allocated). */
char *tsc_tl_thread_label(uint64_t serial, const char *name);

#endif
