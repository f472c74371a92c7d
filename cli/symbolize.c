/* Turning the findings' stacks into frames: every address of every
 * stack collected, sorted, asked once per module file (symfile.c), then
 * each stack's frames filled from the answers. */
#include "symbolize.h"
#include "debuginfo.h"
#include "symfile.h"
#include "tsswatch_shared.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* One address of one module file, symbolized at most once.  Small: a
 * million-record report sorts about a million of them. */
struct entry {
	const char *path, *build_id;    /* build_id NULL: unknown */
	uint64_t offset;
	struct tsc_sym *syms;           /* innermost (inlined) first */
	uint32_t nsyms;
	uint8_t state;                  /* enum tsc_symfile_state */
};

struct tsc_symbols {
	struct entry *v;
	size_t n, cap;
};

static bool hidden(const struct tsc_module *m)
{
	return m->path && !strncmp(tsc_basename(m->path), TSW_SELF_MODULE, strlen(TSW_SELF_MODULE));
}

/* Modules are files: the same path and build-id, whichever process. */
static int cmp_module(const struct entry *a, const struct entry *b)
{
	int c;

	if (a->path == b->path && a->build_id == b->build_id)
		return 0;       /* the same module record: most comparisons */
	c = strcmp(a->path, b->path);

	if (c || a->build_id == b->build_id)
		return c;
	return !a->build_id ? -1 : !b->build_id ? 1 : strcmp(a->build_id, b->build_id);
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = cmp_module(a, b);

	return c ? c : (a->offset > b->offset) - (a->offset < b->offset);
}

/* Calls FN on every frame address of every stack the findings show. */
static void each_pc(const struct tsc_findings *fs, void (*fn)(void *, const struct tsc_process *,
							   struct tsc_stack *), void *arg)
{
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = 0; j < fs->v[i].nstacks; j++) {
			struct tsc_stack *s = tsc_finding_stack(&fs->v[i], j);

			if (s)
				fn(arg, fs->v[i].proc, s);
		}
}

static void collect(void *arg, const struct tsc_process *p, struct tsc_stack *s)
{
	struct tsc_symbols *syms = arg;

	for (size_t k = 0; k < s->npcs; k++) {
		const struct tsc_module *m;

		if (s->pcs[k].module == TSC_NONE)
			continue;
		m = &p->modules[s->pcs[k].module];
		if (!m->path || hidden(m))
			continue;
		TSC_GROW(syms->v, syms->n, syms->cap);
		syms->v[syms->n++] = (struct entry){ .path = m->path, .build_id = m->build_id,
						     .offset = s->pcs[k].offset };
	}
}

/* Symbolizes the N entries of one module file. */
static void symbolize_module(struct entry *e, size_t n)
{
	enum tsc_symfile_state state;
	struct tsc_symfile *sf = tsc_symfile_open(e->path, e->build_id, &state);

	for (size_t i = 0; i < n; i++) {
		size_t nsyms = 0, cap = 0;

		e[i].state = (uint8_t)state;
		if (!sf)
			continue;
		/* every frame is a return address: ask for the call instruction */
		tsc_symfile_lookup(sf, e[i].offset ? e[i].offset - 1 : 0, &e[i].syms, &nsyms, &cap);
		e[i].nsyms = (uint32_t)nsyms;
	}
	if (sf)
		tsc_symfile_close(sf);
}

static void resolve(void *arg, const struct tsc_process *p, struct tsc_stack *s)
{
	const struct tsc_symbols *syms = arg;
	size_t cap = 0;

	if (s->symbolized)
		return;
	s->symbolized = true;
	for (size_t k = 0; k < s->npcs; k++) {
		const struct tsc_pc *pc = &s->pcs[k];
		const struct tsc_module *m = pc->module == TSC_NONE ? NULL : &p->modules[pc->module];
		struct tsc_frame raw = { .address = pc->offset, .module = m, .offset = pc->offset };
		const struct entry *e = NULL;

		if (m && hidden(m))
			continue;
		if (m) {
			struct entry key = { .path = m->path, .build_id = m->build_id,
					     .offset = pc->offset };

			raw.address = m->base + pc->offset;
			e = m->path && syms->n ? bsearch(&key, syms->v, syms->n, sizeof key, cmp_entry) : NULL;
		}
		if (e)
			raw.module_note = e->state == TSC_SYMFILE_MISSING ? "module not found"
				: e->state == TSC_SYMFILE_CHANGED ? "module changed since the run" : NULL;
		for (size_t i = 0; i < (e && e->nsyms ? e->nsyms : 1); i++) {
			struct tsc_frame f = raw;

			if (e && e->nsyms) {
				f.function = e->syms[i].function;
				f.file = e->syms[i].file;
				f.line = e->syms[i].line;
				f.inlined = i + 1 < e->nsyms;
			}
			TSC_GROW(s->frames, s->nframes, cap);
			s->frames[s->nframes++] = f;
		}
	}
}

struct tsc_symbols *tsc_symbolize(const struct tsc_findings *fs)
{
	struct tsc_symbols *syms = tsc_calloc(1, sizeof *syms);
	size_t n = 0;

	each_pc(fs, collect, syms);
	if (syms->n)    /* v is NULL when there is nothing to ask */
		qsort(syms->v, syms->n, sizeof *syms->v, cmp_entry);
	for (size_t i = 0; i < syms->n; i++)     /* each address once */
		if (!n || cmp_entry(&syms->v[n - 1], &syms->v[i]))
			syms->v[n++] = syms->v[i];
	syms->n = n;

	for (size_t i = 0, j; i < syms->n; i = j) {
		for (j = i + 1; j < syms->n && !cmp_module(&syms->v[i], &syms->v[j]); j++)
			;
		symbolize_module(&syms->v[i], j - i);
	}
	tsc_debuginfo_end();
	each_pc(fs, resolve, syms);
	return syms;
}

void tsc_symbols_free(struct tsc_symbols *syms)
{
	for (size_t i = 0; i < syms->n; i++) {
		for (size_t k = 0; k < syms->v[i].nsyms; k++) {
			free(syms->v[i].syms[k].function);
			free(syms->v[i].syms[k].file);
		}
		free(syms->v[i].syms);
	}
	free(syms->v);
	free(syms);
}
