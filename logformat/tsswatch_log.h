/* The log that libtsswatch.so writes and `tsswatch report` reads.
 * Both sides compile against this header; tsswatch-log(5) documents it.
 *
 * A log is text, one record per line, each line written by one write(2) to
 * a file opened O_APPEND, so a killed process leaves every record before the
 * last one whole.  The first line is the signature and the format version:
 *
 *     tsswatch-log 2
 *
 * Every other line starts with a one-letter record type and a space; fields
 * are separated by single spaces.  Numbers are decimal, except addresses,
 * offsets and values, which are lowercase hexadecimal without "0x".  Strings
 * (paths, names, arguments) are percent-escaped: every byte <= 0x20, >= 0x7f
 * and '%' is written as %XX, so a string is one field and never empty ("-"
 * stands for an absent string; a real "-" is written %2d).
 *
 * Ids: a stack id, module id, thread serial or key id is a number > 0 that
 * is unique within one log; 0 means "none" or "unknown".  Records refer only
 * to ids defined by earlier lines.
 *
 * Times: from version 2 on, a record that marks a moment (its type is in
 * TSW_REC_TIMED: a thread created or finished, a key first used or deleted,
 * a finding, a module loaded or unloaded, the exit) ends with one more
 * field, "@" and the moment's CLOCK_MONOTONIC time in nanoseconds: the P
 * record's as it is, every other one's since the P record's, which keeps
 * the field short.  Records of different threads may reach the file
 * slightly out of time order.  Version 1 logs have no times.
 */
#ifndef TSSWATCH_LOG_H
#define TSSWATCH_LOG_H

#define TSW_LOG_SIGNATURE   "tsswatch-log"
#define TSW_LOG_VERSION     2   /* what the preload writes */
#define TSW_LOG_VERSION_MIN 1   /* oldest the CLI reads */
#define TSW_LOG_VERSION_TIMES 2 /* first with times (TSW_REC_TIMED) */
#define TSW_LOG_LINE_MAX    8192 /* no record is longer, newline included */
#define TSW_BUILD_ID_HEX_MAX 64  /* M's build-id field: at most 32 bytes */

/* Record types.  Fields follow in the order given.
 *
 * P pid ppid start_unix_ns exe arg0 arg1 ...
 *     The process: written once, right after the signature.
 * O name=value ...
 *     Options in force (one record, after P).
 * M module_id base path build_id
 *     A module (executable or shared object) mapped at `base`.  build_id:
 *     its GNU build-id note in hex ("-" when it has none), so a report can
 *     tell the file that ran from one rebuilt at the same path.  Logs
 *     written before the field was added lack it; the reader takes both.
 * U module_id
 *     The module was unloaded (dlclose); its id is never reused.
 * S stack_id module_id:offset ...
 *     A call stack, innermost frame first; frames inside tsswatch itself are
 *     already left out.  An address in no known module is written 0:address.
 * T serial parent_serial create_stack flags
 *     A thread is known.  flags: any of "j" joinable, "a" adopted (it
 *     existed before tsswatch saw its creation: the main thread or one
 *     created before the library initialised), "c" created by thrd_create;
 *     "-" for none.
 * I serial pthread_t tid
 *     The thread's system ids (pthread_t in hex, kernel TID in decimal).
 * E serial how name
 *     The thread finished (DESIGN.md's word).  how: returned, exit
 *     (pthread_exit), thrd_exit, cancelled, unknown (an adopted thread that
 *     did not leave by pthread_exit).  name as it was then.
 * N serial name
 *     A thread's name at process exit, for a thread that had not finished
 *     (the main thread, threads still running).
 * K key_id index destructor create_stack module_id
 *     A key (pthread_key_create or tss_create), written at its first use
 *     or finding.  key_id is tsswatch's own, never reused; index is the pthread_key_t that glibc
 *     gave and may reuse.  destructor: 1 or 0.  module_id: the module that
 *     called the create.
 * D key_id delete_stack
 *     The key was deleted.
 * F kind serial key_id value arg name label=stack_id ...
 *     A finding, found by the preload.  kind: one of the names below.
 *     serial: the thread it is about (0: none).  key_id: 0 when none.
 *     value: the value held (hex; 0 when none).  arg: a number whose
 *     meaning depends on the kind (below).  name: a string or "-".  Then
 *     the stacks that explain it, labelled, primary first; a label may
 *     repeat, and a stack may carry a count as label=stack_id*count.
 * R value how
 *     A value that tsd-leak, dtor-exhausted or dict-leak findings before
 *     this record name was not lost after all: how is "freed" (the program
 *     freed it later) or "reachable" (at exit, its address was still
 *     stored in a module's static data).
 *     Every such finding of this value before the record is void.
 * B module_id keys_created keys_live
 *     The key budget of one load of a module: keys created from it
 *     (the create's calling module) and how many of those were live then.
 *     Written at a key-exhaustion and at exit, for every module that
 *     created keys; the last B record of a module wins.
 * C name=value ...
 *     Counters, cumulative for the process (the last C record wins).
 * X how status
 *     The process ended normally: how is "exit" (status is the exit status)
 *     or "exec" (status 0; a new image follows in a new log).  A log with
 *     no X record is incomplete: the process was killed or crashed.
 */
#define TSW_REC_PROCESS  'P'
#define TSW_REC_OPTIONS  'O'
#define TSW_REC_MODULE   'M'
#define TSW_REC_UNLOAD   'U'
#define TSW_REC_STACK    'S'
#define TSW_REC_THREAD   'T'
#define TSW_REC_IDS      'I'
#define TSW_REC_END      'E'
#define TSW_REC_NAME     'N'
#define TSW_REC_KEY      'K'
#define TSW_REC_DELETE   'D'
#define TSW_REC_FINDING  'F'
#define TSW_REC_COUNTERS 'C'
#define TSW_REC_NOT_LOST 'R'
#define TSW_REC_BUDGET   'B'
#define TSW_REC_EXIT     'X'
#define TSW_REC_TIMED    "PMUTEKDFX"    /* the records that end with @time */

/* The words of T, E and X records. */
#define TSW_THREAD_JOINABLE 'j'
#define TSW_THREAD_ADOPTED  'a'
#define TSW_THREAD_C11      'c'
#define TSW_THREAD_FLAGS    "jac"
#define TSW_END_RETURNED    "returned"
#define TSW_END_EXIT        "exit"
#define TSW_END_THRD_EXIT   "thrd_exit"
#define TSW_END_CANCELLED   "cancelled"
#define TSW_END_UNKNOWN     "unknown"
#define TSW_EXIT_EXIT       "exit"
#define TSW_EXIT_EXEC       "exec"

/* Finding kinds, in the order reports list them, with arg and stacks:
 *   tsd-leak        arg 0; set, key_create, thread_create
 *   dtor-exhausted  arg 0; set, key_create, thread_create
 *   delete-live     arg: how many threads held a value; delete, key_create, set
 *   stale-key       arg: 1 the key was deleted, 2 its index was recycled by
 *                   another create site; name: the call (pthread_setspecific,
 *                   ...); use, key_create, delete
 *   key-exhaustion  arg: keys live; name: the call; create, top_creator*count ...
 *   key-leak        arg: 1 when the creating module was unloaded, which
 *                   makes it an error (TSW_KEY_LEAK_IS_ERROR); key_create
 *   dangling-destructor  arg: how many threads held a value (0: a value was
 *                   set after the unload); dlclose, key_create, set
 *   foreign-key     arg 0; name: the call (pthread_key_delete, tss_delete);
 *                   delete, key_create
 *   dict-leak       name: the entry's name; value; set, thread_create
 *   thread-leak     thread_create
 *   stale-thread    arg: serial of the old thread (0 unknown); name: the
 *                   call; call, thread_create (the old thread's)
 *   recycled-id     arg: serial of the old thread; name: pthread_t, tid or
 *                   pthread_t+tid; thread_create, old_thread_create
 *   thread-running  thread_create
 *   module-pinned   arg: how many live threads hold its thread_local
 *                   objects; serial: one of them; name: the module's path;
 *                   dlclose, thread_create
 */
#define TSW_KINDS(X) \
	X(TSD_LEAK,       "tsd-leak",       "error")   \
	X(DTOR_EXHAUSTED, "dtor-exhausted", "error")   \
	X(DELETE_LIVE,    "delete-live",    "error")   \
	X(STALE_KEY,      "stale-key",      "error")   \
	X(KEY_EXHAUSTION, "key-exhaustion", "error")   \
	X(KEY_LEAK,       "key-leak",       "warning") \
	X(DANGLING_DESTRUCTOR, "dangling-destructor", "error") \
	X(FOREIGN_KEY,    "foreign-key",    "error")   \
	X(DICT_LEAK,      "dict-leak",      "error")   \
	X(THREAD_LEAK,    "thread-leak",    "error")   \
	X(STALE_THREAD,   "stale-thread",   "error")   \
	X(RECYCLED_ID,    "recycled-id",    "warning") \
	X(THREAD_RUNNING, "thread-running", "info")    \
	X(MODULE_PINNED,  "module-pinned",  "warning")

/* The one finding whose severity is not its kind's: a key-leak whose
 * creating module was unloaded (F's arg 1) is an error. */
#define TSW_KEY_LEAK_IS_ERROR(arg) ((arg) == 1)

enum tsw_kind {
#define TSW_KIND_ENUM(id, name, severity) TSW_KIND_##id,
	TSW_KINDS(TSW_KIND_ENUM)
#undef TSW_KIND_ENUM
	TSW_KIND_COUNT
};

/* Counters of the C record, in the order written. */
#define TSW_COUNTERS(X) \
	X(threads_created)  \
	X(threads_joined)   \
	X(threads_detached) \
	X(threads_peak_live) \
	X(keys_created)     \
	X(keys_deleted)     \
	X(keys_peak_live)   \
	X(values_set)       \
	X(destructor_calls) \
	X(pthread_t_recycles) \
	X(tid_recycles)

#endif
