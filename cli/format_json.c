/* The report as one JSON document, in the shape DESIGN.md promises. */
#include "format.h"
#include "json.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void frame(struct tsw_json *j, const struct tsw_frame *f)
{
	char addr[24];

	snprintf(addr, sizeof addr, "0x%" PRIx64, f->address);
	tsw_json_object(j, NULL);
	tsw_json_string(j, "address", addr);
	tsw_json_string(j, "module", f->module ? f->module->path : NULL);
	tsw_json_string(j, "function", f->function);
	tsw_json_string(j, "file", f->file);
	if (f->line)
		tsw_json_uint(j, "line", f->line);
	else
		tsw_json_null(j, "line");
	tsw_json_bool(j, "inlined", f->inlined);
	tsw_json_end(j);
}

/* JSON keys must be unique: a label seen before gets "_2", "_3", ... */
static char *stack_key(const struct tsw_finding *f, size_t i)
{
	size_t seen = 1;

	for (size_t k = 0; k < i; k++)
		seen += !strcmp(f->stacks[k].label, f->stacks[i].label);
	return seen == 1 ? tsw_strdup(f->stacks[i].label)
		: tsw_asprintf("%s_%zu", f->stacks[i].label, seen);
}

static void stacks(struct tsw_json *j, const struct tsw_finding *f)
{
	bool counted = false;

	tsw_json_object(j, "stacks");
	for (size_t i = 0; i < f->nstacks; i++) {
		const struct tsw_stack *s = tsw_finding_stack(f, i);
		char *key = stack_key(f, i);

		tsw_json_array(j, key);
		for (size_t k = 0; s && k < s->nframes; k++)
			frame(j, &s->frames[k]);
		tsw_json_end(j);
		free(key);
		counted |= f->stacks[i].count > 0;
	}
	tsw_json_end(j);
	if (!counted)
		return;
	tsw_json_object(j, "stack_counts");     /* key-exhaustion's top creators */
	for (size_t i = 0; i < f->nstacks; i++) {
		char *key = stack_key(f, i);

		if (f->stacks[i].count)
			tsw_json_uint(j, key, f->stacks[i].count);
		free(key);
	}
	tsw_json_end(j);
}

static void finding(struct tsw_json *j, const struct tsw_finding *f)
{
	tsw_json_object(j, NULL);
	tsw_json_string(j, "kind", tsw_kinds[f->kind].name);
	tsw_json_string(j, "severity", tsw_severity_names[f->severity]);
	tsw_json_uint(j, "count", f->count);
	tsw_json_uint(j, "pid", f->proc->pid);
	tsw_json_string(j, "message", f->message);
	tsw_json_array(j, "threads");
	for (size_t i = 0; i < f->nthreads; i++) {
		tsw_json_object(j, NULL);
		tsw_json_uint(j, "serial", f->threads[i].serial);
		tsw_json_string(j, "name", f->threads[i].name);
		tsw_json_end(j);
	}
	tsw_json_end(j);
	if (f->has_key)
		tsw_json_uint(j, "key", f->key);
	else
		tsw_json_null(j, "key");
	stacks(j, f);
	tsw_json_bool(j, "suppressed", f->suppressed_by != NULL);
	tsw_json_string(j, "fingerprint", f->fingerprint);
	tsw_json_array(j, "pids");
	for (size_t i = 0; i < f->npids; i++)
		tsw_json_uint(j, NULL, f->pids[i]);
	tsw_json_end(j);
	tsw_json_end(j);
}

static void process(struct tsw_json *j, const struct tsw_process *p)
{
	char exit[TSW_EXIT_DESC_MAX];

	tsw_json_object(j, NULL);
	tsw_json_uint(j, "pid", p->pid);
	tsw_json_uint(j, "ppid", p->ppid);
	tsw_json_string(j, "command", p->command);
	tsw_json_string(j, "exit", tsw_exit_desc(p, exit));
	tsw_json_bool(j, "complete", p->complete);
	tsw_json_string(j, "log", p->file);
	if (p->has_counters) {
		tsw_json_object(j, "counters");
		for (size_t c = 0; c < TSW_COUNTER_COUNT; c++)
			tsw_json_uint(j, tsw_counter_names[c], p->counters[c]);
		tsw_json_end(j);
	} else {
		tsw_json_null(j, "counters");
	}
	tsw_json_end(j);
}

void tsw_format_json(FILE *out, const struct tsw_view *v)
{
	struct tsw_json j;

	tsw_json_init(&j, out);
	tsw_json_object(&j, NULL);
	tsw_json_string(&j, "tool", "tsswatch");
	tsw_json_string(&j, "version", TSW_VERSION);
	tsw_json_array(&j, "processes");
	for (size_t i = 0; i < v->ps->n; i++)
		process(&j, v->ps->v[i]);
	tsw_json_end(&j);

	tsw_json_object(&j, "summary");
	tsw_json_uint(&j, "findings", v->sum.findings);
	tsw_json_uint(&j, "errors", v->sum.by_severity[TSW_SEV_ERROR]);
	tsw_json_uint(&j, "warnings", v->sum.by_severity[TSW_SEV_WARNING]);
	tsw_json_uint(&j, "infos", v->sum.by_severity[TSW_SEV_INFO]);
	tsw_json_object(&j, "by_kind");
	for (int k = 0; k < TSW_KIND_COUNT; k++)
		if (v->sum.by_kind[k])
			tsw_json_uint(&j, tsw_kinds[k].name, v->sum.by_kind[k]);
	tsw_json_end(&j);
	tsw_json_end(&j);

	tsw_json_array(&j, "findings");
	for (size_t i = 0; i < v->fs->n; i++)
		finding(&j, &v->fs->v[i]);
	tsw_json_end(&j);

	tsw_json_array(&j, "suppressions");
	for (size_t i = 0; i < v->ss->n; i++) {
		const struct tsw_suppression *s = &v->ss->v[i];

		tsw_json_object(&j, NULL);
		tsw_json_string(&j, "kind", s->kind < 0 ? "*" : tsw_kinds[s->kind].name);
		tsw_json_string(&j, "pattern", s->pattern);
		tsw_json_string(&j, "file", s->file);
		tsw_json_uint(&j, "line", s->line);
		tsw_json_uint(&j, "matched", s->matched);
		tsw_json_end(&j);
	}
	tsw_json_end(&j);
	tsw_json_end(&j);
}
