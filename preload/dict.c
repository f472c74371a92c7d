/* The tracked storage dictionary: named values private to a thread, found
 * through the thread's own record (tsw_self), so no call takes a lock or
 * searches a shared map.  Linear probing with backward-shift removal; names
 * are copied into memory of our own. */
#include <errno.h>
#include <string.h>

#include "dict.h"
#include "thread_record.h"
#include "tsswatch.h"

static uint64_t hash_name(const char *s, size_t *size)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *p = s;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	*size = (size_t)(p - s) + 1;
	return h ? h : 1;
}

static struct tsw_entry *find(struct tsw_dict *d, const char *name, uint64_t h, size_t size)
{
	if (!d || !d->cap)
		return NULL;
	for (size_t i = h & (d->cap - 1);; i = (i + 1) & (d->cap - 1)) {
		struct tsw_entry *e = &d->e[i];
		if (!e->hash)
			return NULL;
		if (e->hash == h && e->name_size == size && memcmp(e->name, name, size) == 0)
			return e;
	}
}

static bool grow(struct tsw_dict *d)
{
	size_t cap = d->cap ? d->cap * 2 : 16;
	struct tsw_entry *e = tsw_alloc(cap * sizeof *e);
	if (!e)
		return false;
	for (size_t i = 0; i < d->cap; i++) {
		if (!d->e[i].hash)
			continue;
		size_t j = d->e[i].hash & (cap - 1);
		while (e[j].hash)
			j = (j + 1) & (cap - 1);
		e[j] = d->e[i];
	}
	tsw_free(d->e, d->cap * sizeof *e);
	d->e = e;
	d->cap = cap;
	return true;
}

/* Takes entry E out (its fields stay in *out) keeping every probe chain
 * whole: later entries of the chain move back. */
static void take(struct tsw_dict *d, struct tsw_entry *e, struct tsw_entry *out)
{
	*out = *e;
	size_t i = (size_t)(e - d->e), mask = d->cap - 1;
	for (size_t j = (i + 1) & mask; d->e[j].hash; j = (j + 1) & mask) {
		size_t home = d->e[j].hash & mask;
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			d->e[i] = d->e[j];
			i = j;
		}
	}
	memset(&d->e[i], 0, sizeof d->e[i]);
	d->used--;
}

/* Takes out any one entry; false when the dictionary is empty.  Callers
 * empty it one entry at a time because destructors may use it. */
static bool take_any(struct tsw_dict *d, struct tsw_entry *out)
{
	for (size_t i = 0; d && d->used && i < d->cap; i++)
		if (d->e[i].hash) {
			take(d, &d->e[i], out);
			return true;
		}
	return false;
}

/* Frees the entry's name and runs its destructor.  Freeing takes our
 * allocator's lock, so it is done inside the recursion guard (a signal
 * handler's tsswatch_set cannot then wait on it); the host's destructor
 * runs outside, and the caller's guard is as it was after. */
static void destroy(struct tsw_thread *t, struct tsw_entry *out)
{
	struct tsw_guard g;
	tsw_guard_hold(&g);
	tsw_free(out->name, out->name_size);
	tsw_guard_leave(&g);
	if (out->destructor && out->value) {
		tsw_thread_count_dtor_call(t);
		tsw_guard_release(&g);
		out->destructor(out->value);
		tsw_guard_leave(&g);
	}
}

static struct tsw_dict *my_dict(bool create)
{
	struct tsw_thread *t = tsw_self_or_adopt();
	if (!t)
		return NULL;
	if (!t->dict && create)
		tsw_thread_set_dict(t, tsw_alloc(sizeof *t->dict));
	return t->dict;
}

TSW_API uint64_t tsswatch_thread_serial(void)
{
	struct tsw_thread *t = tsw_self_record();
	if (TSW_UNLIKELY(!t)) {
		struct tsw_guard g = TSW_GUARD_INIT;
		if (tsw_guard_enter(&g))
			t = tsw_self_or_adopt();
		tsw_guard_leave(&g);
	}
	return t ? t->serial : 0;
}

/* An entry new, or going from NULL to a value or back: it may take
 * memory and the set's stack, so inside the recursion guard. */
__attribute__((noinline)) static int set_slow(const char *name, uint64_t h, size_t size,
					       void *value, void (*destructor)(void *),
					       uintptr_t pc)
{
	struct tsw_guard g = TSW_GUARD_INIT;
	if (!tsw_guard_enter(&g))
		return ENOMEM;      /* inside tsswatch itself (a signal handler): no memory to take */
	int rc = 0;
	struct tsw_dict *d = my_dict(true);
	struct tsw_entry *e = find(d, name, h, size);
	struct tsw_entry old = { 0 };
	if (e) {
		old = *e;
		e->value = value;
		e->destructor = destructor;
		if (value)
			e->set_stack = tsw_stack_of(pc);
	} else if (!d || ((d->used + 1) * 4 > d->cap * 3 && !grow(d))) {
		rc = ENOMEM;
	} else {
		char *copy = tsw_alloc(size);
		if (!copy) {
			rc = ENOMEM;
		} else {
			memcpy(copy, name, size);
			size_t i = h & (d->cap - 1);
			while (d->e[i].hash)
				i = (i + 1) & (d->cap - 1);
			d->e[i] = (struct tsw_entry){ h, copy, size, value, destructor,
						      value ? tsw_stack_of(pc) : 0 };
			d->used++;
		}
	}
	tsw_guard_leave(&g);
	if (old.destructor && old.value) {
		tsw_thread_count_dtor_call(tsw_self);
		old.destructor(old.value);   /* the dictionary is whole again */
	}
	return rc;
}

TSW_API int tsswatch_set(const char *name, void *value, void (*destructor)(void *))
{
	if (!name)
		return EINVAL;
	size_t size;
	uint64_t h = hash_name(name, &size);
	struct tsw_thread *t = tsw_self_record();
	struct tsw_entry *e = t ? find(t->dict, name, h, size) : NULL;
	/* The common case: an entry set again, the same value or one value for
	 * another.  No memory, no stack (the set that made it non-NULL
	 * stands), so no guard. */
	if (e && (e->value == value || (e->value && value))) {
		struct tsw_entry old = *e;
		e->value = value;
		e->destructor = destructor;
		if (old.value != value && old.destructor) {
			tsw_thread_count_dtor_call(t);
			old.destructor(old.value);
		}
		return 0;
	}
	return set_slow(name, h, size, value, destructor, TSW_CALLER);
}

TSW_API void *tsswatch_get(const char *name)
{
	struct tsw_thread *t = tsw_self_record();
	if (!name || !t)
		return NULL;
	size_t size;
	uint64_t h = hash_name(name, &size);
	struct tsw_entry *e = find(t->dict, name, h, size);
	return e ? e->value : NULL;
}

TSW_API int tsswatch_remove(const char *name)
{
	struct tsw_thread *t = tsw_self_record();
	if (!name || !t)
		return ENOENT;
	size_t size;
	uint64_t h = hash_name(name, &size);
	struct tsw_entry *e = find(t->dict, name, h, size), out;
	if (!e)
		return ENOENT;
	take(t->dict, e, &out);
	destroy(t, &out);
	return 0;
}

TSW_API void tsswatch_clear(void)
{
	struct tsw_thread *t = tsw_self_record();
	if (!t || !t->dict)
		return;
	struct tsw_entry out;
	while (take_any(t->dict, &out))
		destroy(t, &out);
}

TSW_API size_t tsswatch_count(void)
{
	struct tsw_thread *t = tsw_self_record();
	if (!t || !t->dict)
		return 0;
	return t->dict->used;
}

static void report_leak(struct tsw_thread *t, const struct tsw_entry *e)
{
	tsw_thread_mark_leaked(t);
	struct tsw_stack_ref st[] = { { "set", e->set_stack, 0 },
				      { "thread_create", t->create_stack, 0 } };
	tsw_lost_finding(TSW_KIND_DICT_LEAK, t->serial, 0, (uintptr_t)e->value, e->name, st, 2);
}

bool tsw_dict_finish(struct tsw_thread *t, bool run)
{
	struct tsw_dict *d = t->dict;
	bool ran = false;
	if (!d)
		return false;
	if (!run) {
		for (size_t i = 0; i < d->cap; i++)
			if (d->e[i].hash && d->e[i].value && !d->e[i].destructor)
				report_leak(t, &d->e[i]);
		return false;
	}
	struct tsw_entry out;
	while (take_any(d, &out)) {
		if (out.value && !out.destructor)
			report_leak(t, &out);
		ran |= out.destructor && out.value;
		destroy(t, &out);
	}
	return ran;
}

void tsw_dict_free(struct tsw_thread *t)
{
	struct tsw_dict *d = t->dict;
	if (!d)
		return;
	for (size_t i = 0; i < d->cap; i++)
		if (d->e[i].hash)
			tsw_free(d->e[i].name, d->e[i].name_size);
	tsw_free(d->e, d->cap * sizeof *d->e);
	tsw_free(d, sizeof *d);
	tsw_thread_set_dict(t, NULL);
}
