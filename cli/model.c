/* The model's lookups and its release. */
#include "model.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

const char *const tsw_counter_names[TSW_COUNTER_COUNT] = {
#define TSW_COUNTER_NAME(name) #name,
	TSW_COUNTERS(TSW_COUNTER_NAME)
#undef TSW_COUNTER_NAME
};

const struct tsw_thread *tsw_thread_by_serial(const struct tsw_process *p, uint64_t serial)
{
	size_t i = tsw_idmap_get(&p->thread_ids, serial);

	return i == TSW_NONE ? NULL : &p->threads[i];
}

const char *tsw_exit_desc(const struct tsw_process *p, char *buf)
{
	switch (p->how) {
	case TSW_END_EXIT:
		snprintf(buf, TSW_EXIT_DESC_MAX, "exited %d", p->status);
		return buf;
	case TSW_END_SIGNAL:
		snprintf(buf, TSW_EXIT_DESC_MAX, "killed by signal %d", p->status);
		return buf;
	case TSW_END_EXEC:
		return "exec";
	case TSW_END_UNKNOWN:
	default:
		return "unknown";
	}
}

void tsw_record_free(struct tsw_record *r)
{
	for (size_t i = 0; i < r->nstacks; i++)
		free(r->stacks[i].label);
	free(r->stacks);
	free(r->name);
}

void tsw_process_free(struct tsw_process *p)
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
		tsw_record_free(&p->records[i]);
	free(p->modules);
	free(p->stacks);
	free(p->threads);
	free(p->keys);
	free(p->records);
	tsw_idmap_free(&p->module_ids);
	tsw_idmap_free(&p->stack_ids);
	tsw_idmap_free(&p->thread_ids);
	tsw_idmap_free(&p->key_ids);
	free(p->command);
	free(p->file);
}

void tsw_processes_free(struct tsw_processes *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		tsw_process_free(ps->v[i]);
		free(ps->v[i]);
	}
	free(ps->v);
	*ps = (struct tsw_processes){0};
}
