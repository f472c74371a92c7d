/* The tracked storage dictionary of one thread (dict.c). */
#ifndef TSW_DICT_H
#define TSW_DICT_H

#include "tsw.h"

struct tsw_entry {
	uint64_t hash;            /* 0: empty */
	char *name;
	size_t name_size;         /* with its NUL */
	void *value;
	void (*destructor)(void *);
	uint32_t set_stack;
};

struct tsw_dict {
	struct tsw_entry *e;
	size_t cap, used;
};

/* At the end of T's life: reports entries without a destructor that hold a
 * value as dict-leak and, with RUN, destroys the others and empties the
 * dictionary.  True if any destructor ran (it may have set new values). */
bool tsw_dict_finish(struct tsw_thread *t, bool run);
void tsw_dict_free(struct tsw_thread *t);

#endif
