/* Merging F records into findings and ordering them for the reports. */
#include "report_findings.h"
#include "util.h"

#include <stdlib.h>

struct ref {
	size_t proc, rec;
	const struct tsc_record *r;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* Records that merge end up next to each other, in log order. */
static int cmp_merge(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;
	int c = cmp_u64(a->proc, b->proc);

	if (!c)
		c = cmp_u64(a->r->kind, b->r->kind);
	if (!c)
		c = cmp_u64(a->r->primary, b->r->primary);
	return c ? c : cmp_u64(a->rec, b->rec);
}

static bool same_finding(const struct ref *a, const struct ref *b)
{
	return a->proc == b->proc && a->r->kind == b->r->kind && a->r->primary == b->r->primary;
}

static void add_thread(struct tsc_finding *f, size_t *cap, uint64_t serial, const char *name)
{
	for (size_t i = 0; i < f->nthreads; i++)
		if (f->threads[i].serial == serial)
			return;
	TSC_GROW(f->threads, f->nthreads, *cap);
	f->threads[f->nthreads++] = (struct tsc_thread_ref){ serial, name };
}

static int cmp_thread(const void *pa, const void *pb)
{
	const struct tsc_thread_ref *a = pa, *b = pb;

	return cmp_u64(a->serial, b->serial);
}

/* The threads a record is about: its own, and for the id kinds the old one. */
static void add_threads(struct tsc_finding *f, size_t *cap, const struct tsc_process *p,
			const struct tsc_record *r)
{
	if (r->thread != TSC_NONE) {
		const struct tsc_thread *t = &p->threads[r->thread];

		add_thread(f, cap, t->serial, r->kind == TSW_KIND_THREAD_RUNNING && r->name
			   ? r->name : t->name);
	}
	if ((r->kind == TSW_KIND_STALE_THREAD || r->kind == TSW_KIND_RECYCLED_ID) && r->arg) {
		const struct tsc_thread *old = tsc_thread_by_serial(p, r->arg);

		add_thread(f, cap, r->arg, old ? old->name : NULL);
	}
}

static struct tsc_finding make(const struct tsc_processes *ps, const struct ref *group, size_t n)
{
	const struct tsc_process *p = ps->v[group->proc];
	const struct tsc_record *r = group->r;
	struct tsc_finding f = {
		.kind = r->kind,
		.severity = r->kind == TSW_KIND_KEY_LEAK && TSW_KEY_LEAK_IS_ERROR(r->arg)
			? TSC_SEV_ERROR : tsc_kind_severity(r->kind),
		.count = n,
		.proc = p,
		.message = tsc_message(p, r),
		.has_key = r->key != TSC_NONE,
		.key = r->key != TSC_NONE ? p->keys[r->key].index : 0,
		.stacks = r->stacks,
		.nstacks = r->nstacks,
		.pids = tsc_calloc(1, sizeof(uint64_t)),
		.npids = 1,
	};
	size_t cap = 0;

	f.pids[0] = p->pid;
	for (size_t i = 0; i < n; i++)
		add_threads(&f, &cap, p, group[i].r);
	if (f.nthreads > 1)     /* qsort wants a non-NULL array, even empty */
		qsort(f.threads, f.nthreads, sizeof *f.threads, cmp_thread);
	return f;
}

/* Report order: most severe first, grouped by kind, then by process and
 * the order the log found them in (the first record of each). */
struct ordered {
	struct tsc_finding f;
	struct ref first;
};

static int cmp_report(const void *pa, const void *pb)
{
	const struct ordered *a = pa, *b = pb;
	int c = cmp_u64(a->f.severity, b->f.severity);

	if (!c)
		c = cmp_u64(a->f.kind, b->f.kind);
	if (!c)
		c = cmp_u64(a->first.proc, b->first.proc);
	return c ? c : cmp_u64(a->first.rec, b->first.rec);
}

void tsc_findings_build(struct tsc_findings *fs, const struct tsc_processes *ps)
{
	struct ref *refs;
	struct ordered *out;
	size_t nrefs = 0, n = 0;

	for (size_t i = 0; i < ps->n; i++)
		nrefs += ps->v[i]->nrecords;
	refs = tsc_calloc(nrefs, sizeof *refs);
	for (size_t i = 0; i < ps->n; i++)
		for (size_t j = 0; j < ps->v[i]->nrecords; j++)
			refs[n++] = (struct ref){ i, j, &ps->v[i]->records[j] };
	qsort(refs, nrefs, sizeof *refs, cmp_merge);

	out = tsc_calloc(nrefs, sizeof *out);
	n = 0;
	for (size_t i = 0, j; i < nrefs; i = j) {
		for (j = i + 1; j < nrefs && same_finding(&refs[i], &refs[j]); j++)
			;
		out[n++] = (struct ordered){ make(ps, &refs[i], j - i), refs[i] };
	}
	qsort(out, n, sizeof *out, cmp_report);

	fs->v = tsc_calloc(n, sizeof *fs->v);
	for (fs->n = 0; fs->n < n; fs->n++)
		fs->v[fs->n] = out[fs->n].f;
	free(out);
	free(refs);
}

void tsc_findings_free(struct tsc_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].message);
		free(fs->v[i].threads);
		free(fs->v[i].pids);
	}
	free(fs->v);
	*fs = (struct tsc_findings){0};
}

struct tsc_stack *tsc_finding_stack(const struct tsc_finding *f, size_t i)
{
	size_t s = f->stacks[i].stack;

	return s == TSC_NONE ? NULL : &f->proc->stacks[s];
}
