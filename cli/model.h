/* What one log says about one process, as the parser builds it.  Records
 * refer to each other by ids; the model keeps indexes instead (TSC_NONE
 * for the log's id 0, "none").  Frames are filled in by the symbolizer. */
#ifndef TSC_MODEL_H
#define TSC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "id_index.h"
#include "tsswatch_log.h"

enum tsc_counter {
#define TSC_COUNTER_ENUM(name) TSC_COUNTER_##name,
	TSW_COUNTERS(TSC_COUNTER_ENUM)
#undef TSC_COUNTER_ENUM
	TSC_COUNTER_COUNT
};
extern const char *const tsc_counter_names[TSC_COUNTER_COUNT];

struct tsc_module {
	uint64_t base;          /* load bias: address = base + offset */
	char *path;             /* NULL when the log had none */
	char *build_id;         /* lowercase hex; NULL when unknown */
	bool unloaded;
	uint64_t loaded_ns, unloaded_ns;        /* times: 0 when unknown */
	bool has_budget;        /* a B record: keys created from it, and still live */
	uint64_t keys_created, keys_live;       /* as the last B record says */
	uint64_t keys_live_peak;                /* the most live any B record says */
};

struct tsc_pc {
	size_t module;          /* TSC_NONE: offset is an absolute address */
	uint64_t offset;
};

/* A frame as reports show it; inlined frames share their caller's address. */
struct tsc_frame {
	uint64_t address;
	const struct tsc_module *module;        /* NULL: in no known module */
	uint64_t offset;
	const char *function, *file;            /* NULL: unknown */
	unsigned long line;                     /* 0: unknown */
	const char *module_note;                /* "module changed since the run", ... */
	bool inlined;
};

struct tsc_stack {
	uint64_t id;
	struct tsc_pc *pcs;
	size_t npcs;
	struct tsc_frame *frames;       /* set by tsc_symbolize() */
	size_t nframes;
	bool symbolized;
};

struct tsc_thread {
	uint64_t serial;
	char *name;             /* from the E record; NULL: unknown */
	uint64_t created_ns, ended_ns;          /* T and E times; 0: unknown */
};

struct tsc_key {
	uint64_t index;         /* the pthread_key_t */
	bool destructor;
	uint64_t id;            /* the log's key id */
	size_t module;          /* the module that created it; TSC_NONE: unknown */
	uint64_t first_ns, deleted_ns;          /* K (first use) and D times; 0: unknown */
};

struct tsc_labeled_stack {
	char *label;
	size_t stack;           /* TSC_NONE: the log had no stack */
	uint64_t count;         /* the "*count" suffix; 0 when absent */
};

/* One F record. */
struct tsc_record {
	enum tsw_kind kind;
	size_t thread, key;     /* indexes, or TSC_NONE */
	uint64_t value, arg;
	char *name;
	struct tsc_labeled_stack *stacks;
	size_t nstacks;
	uint64_t primary;       /* id of the first stack, 0 when none */
	uint64_t time_ns;       /* when it was found; 0: unknown */
};

enum tsc_exit_how { TSC_END_UNKNOWN, TSC_END_EXIT, TSC_END_EXEC, TSC_END_SIGNAL };

struct tsc_process {
	char *file;             /* the log it came from */
	uint64_t pid, ppid;
	char *command;          /* arguments joined by spaces */
	enum tsc_exit_how how;
	int status;             /* exit status or signal */
	bool complete;          /* the log has an X record and no cut line */
	bool has_counters;      /* a C record: written at exit, so not if killed */
	bool has_times;         /* a version 2 log: records carry CLOCK_MONOTONIC times */
	uint64_t start_ns, end_ns, last_ns;     /* P, X and the latest record's times */
	uint64_t counters[TSC_COUNTER_COUNT];

	struct tsc_module *modules;
	struct tsc_stack *stacks;
	struct tsc_thread *threads;
	struct tsc_key *keys;
	struct tsc_record *records;
	size_t nmodules, nstacks, nthreads, nkeys, nrecords;
	size_t cmodules, cstacks, cthreads, ckeys, crecords;
	struct tsc_idmap module_ids, stack_ids, thread_ids, key_ids;
};

/* Parses a whole log held in memory.  NAME is used in messages only.
 * Returns 0, or -1 with a one-line message ("NAME:LINE: ...") in ERR. */
int tsc_parse_log(const char *buf, size_t len, const char *name,
		  struct tsc_process *p, char *err, size_t errlen);
void tsc_process_free(struct tsc_process *p);
void tsc_record_free(struct tsc_record *r);

/* How P ended, as reports say it: "exited N", "exec", "killed by signal N"
 * or "unknown"; BUF has room for TSC_EXIT_DESC_MAX bytes. */
#define TSC_EXIT_DESC_MAX 32
const char *tsc_exit_desc(const struct tsc_process *p, char *buf);

/* The thread with that serial, or NULL. */
const struct tsc_thread *tsc_thread_by_serial(const struct tsc_process *p, uint64_t serial);

/* Every process of a report, in the order their logs were given. */
struct tsc_processes {
	struct tsc_process **v;
	size_t n, cap;
};

/* Reads each PATH (a log, or a directory: its *.log files in name order).
 * Prints one line and returns -1 when any cannot be read or parsed. */
int tsc_load_logs(struct tsc_processes *ps, char *const *paths, size_t npaths);
void tsc_processes_free(struct tsc_processes *ps);

/* The *.log files in DIR as "DIR/NAME", sorted by name.  Returns how many,
 * or -1 (printed) when DIR cannot be read. */
int tsc_list_logs(const char *dir, char ***paths);
void tsc_free_list(char **list, int n);

#endif
