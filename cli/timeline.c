/* Building each process's timeline from its log's times (timeline.h). */
#include "timeline.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>

/* Records merge into a finding by process, kind and primary stack
 * (findings.c): the same key finds a record's finding, unless that finding
 * was then merged into one of another process (merge.c). */
struct merge_key {
	uintptr_t proc;
	uint64_t kind, primary;
	size_t finding;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_key(const void *pa, const void *pb)
{
	const struct merge_key *a = pa, *b = pb;
	int c = cmp_u64(a->proc, b->proc);

	if (!c)
		c = cmp_u64(a->kind, b->kind);
	return c ? c : cmp_u64(a->primary, b->primary);
}

static uint64_t primary_of(const struct tsc_finding *f)
{
	if (!f->nstacks || f->stacks[0].stack == TSC_NONE)
		return 0;
	return f->proc->stacks[f->stacks[0].stack].id;
}

static struct merge_key *index_findings(const struct tsc_findings *fs, size_t *n)
{
	struct merge_key *keys = tsc_calloc(fs->n + 1, sizeof *keys);

	*n = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const struct tsc_finding *f = &fs->v[i];

		if (!f->suppressed_by)
			keys[(*n)++] = (struct merge_key){ (uintptr_t)f->proc, f->kind,
							   primary_of(f), i };
	}
	qsort(keys, *n, sizeof *keys, cmp_key);
	return keys;
}

static bool has_pid(const struct tsc_finding *f, uint64_t pid)
{
	for (size_t i = 0; i < f->npids; i++)
		if (f->pids[i] == pid)
			return true;
	return false;
}

/* The finding of another process that R's was merged into: the same kind
 * and a primary stack of the same frames, seen in P. */
static size_t merged_elsewhere(const struct tsc_findings *fs, const struct tsc_process *p,
			       const struct tsc_record *r)
{
	const struct tsc_stack *mine = r->nstacks && r->stacks[0].stack != TSC_NONE
		? &p->stacks[r->stacks[0].stack] : NULL;

	for (size_t i = 0; i < fs->n; i++) {
		const struct tsc_finding *f = &fs->v[i];
		const struct tsc_stack *theirs = f->nstacks ? tsc_finding_stack(f, 0) : NULL;
		size_t n = mine ? mine->nframes : 0, k = 0;

		if (f->suppressed_by || f->kind != r->kind || f->proc == p || !has_pid(f, p->pid) ||
		    n != (theirs ? theirs->nframes : 0))
			continue;
		while (k < n && !tsc_frame_cmp(&mine->frames[k], &theirs->frames[k]))
			k++;
		if (k == n)
			return i;
	}
	return TSC_NONE;
}

static int cmp_mark(const void *pa, const void *pb)
{
	const struct tsc_tl_mark *a = pa, *b = pb;
	int c = cmp_u64(a->time, b->time);

	return c ? c : cmp_u64((uintptr_t)a->r, (uintptr_t)b->r);
}

static int cmp_key_start(const void *pa, const void *pb)
{
	const struct tsc_tl_key *a = pa, *b = pb;
	int c = cmp_u64(a->start, b->start);

	return c ? c : cmp_u64(a->id, b->id);
}

static int cmp_serial(const void *pa, const void *pb)
{
	const struct tsc_tl_thread *a = pa, *b = pb;

	return cmp_u64(a->serial, b->serial);
}

/* A time inside the process's span: records of different threads reach
 * the log slightly out of order, and a version 1 log has none. */
static uint64_t clamp(const struct tsc_tl_proc *tp, uint64_t t, uint64_t none)
{
	if (!t)
		return none;
	return t < tp->start ? tp->start : t > tp->end ? tp->end : t;
}

/* An end before its start (records out of order, or a damaged log) is
 * taken as the start: no interval runs backwards. */
static uint64_t later(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static void build_proc(struct tsc_tl_proc *tp, const struct tsc_process *p,
		       const struct tsc_findings *fs, const struct merge_key *keys, size_t nkeys)
{
	*tp = (struct tsc_tl_proc){ .p = p, .has_times = p->has_times };
	if (!p->has_times)
		return;
	tp->start = p->start_ns;
	tp->end = p->end_ns > p->last_ns ? p->end_ns : p->last_ns;
	if (tp->end < tp->start)
		tp->end = tp->start;

	tp->threads = tsc_calloc(p->nthreads + 1, sizeof *tp->threads);
	for (size_t i = 0; i < p->nthreads; i++) {
		const struct tsc_thread *t = &p->threads[i];
		uint64_t start = clamp(tp, t->created_ns, tp->start);

		tp->threads[tp->nthreads++] = (struct tsc_tl_thread){
			.serial = t->serial, .name = t->name, .start = start,
			.end = later(start, clamp(tp, t->ended_ns, tp->end)),
			.finished = t->ended_ns != 0,
		};
	}
	qsort(tp->threads, tp->nthreads, sizeof *tp->threads, cmp_serial);

	tp->keys = tsc_calloc(p->nkeys + 1, sizeof *tp->keys);
	for (size_t i = 0; i < p->nkeys; i++) {
		const struct tsc_key *k = &p->keys[i];
		uint64_t start = clamp(tp, k->first_ns, tp->start);

		tp->keys[tp->nkeys++] = (struct tsc_tl_key){
			.model = i, .id = k->id, .index = k->index, .start = start,
			.end = later(start, clamp(tp, k->deleted_ns, tp->end)),
			.deleted = k->deleted_ns != 0,
		};
	}
	qsort(tp->keys, tp->nkeys, sizeof *tp->keys, cmp_key_start);

	tp->marks = tsc_calloc(p->nrecords + 1, sizeof *tp->marks);
	for (size_t i = 0; i < p->nrecords; i++) {
		const struct tsc_record *r = &p->records[i];
		struct merge_key want = { (uintptr_t)p, r->kind, r->primary, 0 };
		const struct merge_key *k = bsearch(&want, keys, nkeys, sizeof *keys, cmp_key);
		struct tsc_tl_mark *m = &tp->marks[tp->nmarks];
		size_t finding = k ? k->finding : merged_elsewhere(fs, p, r);

		if (finding == TSC_NONE)
			continue;
		*m = (struct tsc_tl_mark){ .time = clamp(tp, r->time_ns, tp->end),
					   .thread = TSC_NONE, .finding = finding, .r = r };
		if (r->thread != TSC_NONE) {
			struct tsc_tl_thread want_t = { .serial = p->threads[r->thread].serial };
			struct tsc_tl_thread *t = bsearch(&want_t, tp->threads, tp->nthreads,
							  sizeof *tp->threads, cmp_serial);

			m->thread = (size_t)(t - tp->threads);
			t->marks++;
		}
		tp->nmarks++;
	}
	qsort(tp->marks, tp->nmarks, sizeof *tp->marks, cmp_mark);
}

void tsc_timeline_build(struct tsc_timeline *tl, const struct tsc_processes *ps,
			const struct tsc_findings *fs)
{
	size_t nkeys;
	struct merge_key *keys = index_findings(fs, &nkeys);

	*tl = (struct tsc_timeline){ .v = tsc_calloc(ps->n + 1, sizeof *tl->v), .n = ps->n };
	for (size_t i = 0; i < ps->n; i++) {
		struct tsc_tl_proc *tp = &tl->v[i];

		build_proc(tp, ps->v[i], fs, keys, nkeys);
		if (!tp->has_times)
			continue;
		if (!tl->any_times || tp->start < tl->start)
			tl->start = tp->start;
		if (!tl->any_times || tp->end > tl->end)
			tl->end = tp->end;
		tl->any_times = true;
	}
	free(keys);
}

void tsc_timeline_free(struct tsc_timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		free(tl->v[i].threads);
		free(tl->v[i].keys);
		free(tl->v[i].marks);
	}
	free(tl->v);
	*tl = (struct tsc_timeline){0};
}

char *tsc_tl_first_frame(const struct tsc_finding *f)
{
	const struct tsc_frame *fr = tsc_first_user_frame(f, true);

	if (!fr)
		fr = tsc_first_user_frame(f, false);
	if (!fr)
		return NULL;
	if (fr->file && fr->line)
		return tsc_asprintf("%s %s:%lu", fr->function ? fr->function : "??", fr->file,
				    fr->line);
	return tsc_strdup(fr->function);
}

char *tsc_tl_thread_label(uint64_t serial, const char *name)
{
	if (!name)
		return tsc_asprintf("#%llu", (unsigned long long)serial);
	return tsc_asprintf("#%llu \"%s\"", (unsigned long long)serial, name);
}
