/* The model's lookups and its release. */
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

const char *const tsc_counter_names[TSC_COUNTER_COUNT] = {
#define TSC_COUNTER_NAME(name) #name,
	TSW_COUNTERS(TSC_COUNTER_NAME)
#undef TSC_COUNTER_NAME
};

const struct tsc_thread *tsc_thread_by_serial(const struct tsc_process *p, uint64_t serial)
{
	size_t i = tsc_idmap_get(&p->thread_ids, serial);

	return i == TSC_NONE ? NULL : &p->threads[i];
}

const char *tsc_exit_desc(const struct tsc_process *p, char *buf)
{
	switch (p->how) {
	case TSC_END_EXIT:
		snprintf(buf, TSC_EXIT_DESC_MAX, "exited %d", p->status);
		return buf;
	case TSC_END_SIGNAL:
		snprintf(buf, TSC_EXIT_DESC_MAX, "killed by signal %d", p->status);
		return buf;
	case TSC_END_EXEC:
		return "exec";
	case TSC_END_UNKNOWN:
	default:
		return "unknown";
	}
}

void tsc_record_free(struct tsc_record *r)
{
	for (size_t i = 0; i < r->nstacks; i++)
		free(r->stacks[i].label);
	free(r->stacks);
	free(r->name);
}

void tsc_process_free(struct tsc_process *p)
{
	for (size_t i = 0; i < p->nmodules; i++) {
		free(p->modules[i].path);
		free(p->modules[i].build_id);
	}
	for (size_t i = 0; i < p->nstacks; i++) {
		free(p->stacks[i].pcs);
		free(p->stacks[i].frames);
	}
	for (size_t i = 0; i < p->nthreads; i++)
		free(p->threads[i].name);
	for (size_t i = 0; i < p->nrecords; i++)
		tsc_record_free(&p->records[i]);
	free(p->modules);
	free(p->stacks);
	free(p->threads);
	free(p->keys);
	free(p->records);
	tsc_idmap_free(&p->module_ids);
	tsc_idmap_free(&p->stack_ids);
	tsc_idmap_free(&p->thread_ids);
	tsc_idmap_free(&p->key_ids);
	free(p->command);
	free(p->file);
}

void tsc_processes_free(struct tsc_processes *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		tsc_process_free(ps->v[i]);
		free(ps->v[i]);
	}
	free(ps->v);
	*ps = (struct tsc_processes){0};
}
