/* One finding per bug: findings whose primary stacks symbolize to the same
 * frames are merged, across processes too (a test suite's 40 processes with
 * one helper's bug give one finding with count 40), and each gets a
 * fingerprint that names the bug without addresses, pids or lines. */
#include "report_findings.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* NULL sorts first; two NULLs are equal. */
static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* A frame with a function is compared by function, file and line; one
 * without, by module and offset, so two unknown places never compare equal
 * unless they are the same instruction. */
int tsc_frame_cmp(const struct tsc_frame *a, const struct tsc_frame *b)
{
	int c = (a->function != NULL) - (b->function != NULL);

	if (c)
		return c;
	if (a->function) {
		if (!(c = strcmp(a->function, b->function)) && !(c = cmp_str(a->file, b->file))
		    && !(c = cmp_u64(a->line, b->line)))
			c = (a->inlined > b->inlined) - (a->inlined < b->inlined);
		return c;
	}
	c = (a->module != NULL) - (b->module != NULL);
	if (!c && a->module)
		c = cmp_str(a->module->path, b->module->path);
	if (!c)
		c = a->module ? cmp_u64(a->offset, b->offset) : cmp_u64(a->address, b->address);
	return c;
}

static const struct tsc_stack *primary(const struct tsc_finding *f)
{
	return f->nstacks ? tsc_finding_stack(f, 0) : NULL;
}

static int cmp_bug(const struct tsc_finding *a, const struct tsc_finding *b)
{
	const struct tsc_stack *sa = primary(a), *sb = primary(b);
	size_t na = sa ? sa->nframes : 0, nb = sb ? sb->nframes : 0;
	int c = cmp_u64(a->kind, b->kind);

	if (!c)
		c = cmp_u64(a->severity, b->severity);
	for (size_t i = 0; !c && i < na && i < nb; i++)
		c = tsc_frame_cmp(&sa->frames[i], &sb->frames[i]);
	return c ? c : cmp_u64(na, nb);
}

struct slot {
	struct tsc_finding *f;
	size_t index;           /* in report order */
};

static int cmp_slot(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;
	int c = cmp_bug(a->f, b->f);

	return c ? c : cmp_u64(a->index, b->index);
}

static void add_pid(struct tsc_finding *f, uint64_t pid)
{
	for (size_t i = 0; i < f->npids; i++)
		if (f->pids[i] == pid)
			return;
	f->pids = tsc_reallocarray(f->pids, f->npids + 1, sizeof *f->pids);
	f->pids[f->npids++] = pid;
}

static void add_thread(struct tsc_finding *f, const struct tsc_thread_ref *t)
{
	size_t i = 0;

	while (i < f->nthreads && f->threads[i].serial < t->serial)
		i++;
	if (i < f->nthreads && f->threads[i].serial == t->serial)
		return;
	f->threads = tsc_reallocarray(f->threads, f->nthreads + 1, sizeof *f->threads);
	memmove(&f->threads[i + 1], &f->threads[i], (f->nthreads - i) * sizeof *f->threads);
	f->threads[i] = *t;
	f->nthreads++;
}

/* Folds FROM into INTO (the earlier in report order).  Threads are named
 * by serial, which means something only within a process: the merged
 * finding keeps those of its first process. */
static void fold(struct tsc_finding *into, struct tsc_finding *from)
{
	into->count += from->count;
	for (size_t i = 0; i < from->npids; i++)
		add_pid(into, from->pids[i]);
	if (from->proc == into->proc)
		for (size_t i = 0; i < from->nthreads; i++)
			add_thread(into, &from->threads[i]);
	free(from->message);
	free(from->threads);
	free(from->pids);
	from->count = 0;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The kind and, for each frame of the primary stack outside the C runtime
 * (whose names depend on whether debug info is installed), its function or
 * else its module, and its file's base name: no address, offset or line. */
static void fingerprint(struct tsc_finding *f)
{
	const struct tsc_stack *s = primary(f);
	uint64_t h = fnv1a(0xcbf29ce484222325ULL, tsc_kinds[f->kind].name);

	for (size_t k = 0; s && k < s->nframes; k++) {
		const struct tsc_frame *fr = &s->frames[k];

		if (tsc_frame_in_runtime(fr))
			continue;
		h = fnv1a(h, "\n");
		if (fr->function)
			h = fnv1a(h, fr->function);
		else if (fr->module && fr->module->path)
			h = fnv1a(h, tsc_basename(fr->module->path));
		h = fnv1a(h, ":");
		if (fr->file)
			h = fnv1a(h, tsc_basename(fr->file));
	}
	snprintf(f->fingerprint, sizeof f->fingerprint, "%016" PRIx64, h);
}

void tsc_findings_merge(struct tsc_findings *fs)
{
	struct slot *slots = tsc_calloc(fs->n ? fs->n : 1, sizeof *slots);
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		slots[i] = (struct slot){ &fs->v[i], i };
	qsort(slots, fs->n, sizeof *slots, cmp_slot);
	for (size_t i = 0, j; i < fs->n; i = j)
		for (j = i + 1; j < fs->n && !cmp_bug(slots[i].f, slots[j].f); j++)
			fold(slots[i].f, slots[j].f);
	free(slots);

	for (size_t i = 0; i < fs->n; i++)     /* keeps the report order */
		if (fs->v[i].count) {
			fs->v[n] = fs->v[i];
			fingerprint(&fs->v[n++]);
		}
	fs->n = n;
}
