/* tsswatch: tracked per-thread storage.
 *
 * A dictionary of named values private to the calling thread, keyed by a
 * thread serial that is never reused, so a new thread never sees a dead
 * thread's entries.  When a thread finishes, entries with a destructor are
 * destroyed and entries without one that still hold a value are reported as
 * dict-leak.  Link with -ltsswatch or run under LD_PRELOAD=libtsswatch.so.
 * See libtsswatch(3).
 */
#ifndef TSSWATCH_H
#define TSSWATCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* This thread's serial: never reused in a process; the main thread is 1. */
uint64_t tsswatch_thread_serial(void);

/* Sets NAME (copied) to VALUE; replaces an existing entry, running its old
 * destructor when the value changes.  0, EINVAL (NULL name) or ENOMEM. */
int tsswatch_set(const char *name, void *value, void (*destructor)(void *));

/* The value of NAME, or NULL when absent. */
void *tsswatch_get(const char *name);

/* Removes NAME, running its destructor: 0, or ENOENT when absent. */
int tsswatch_remove(const char *name);

/* Removes every entry of this thread, running destructors. */
void tsswatch_clear(void);

/* How many entries this thread holds. */
size_t tsswatch_count(void);

#ifdef __cplusplus
}
#endif
#endif
