/* The report as one JSON document, in the shape DESIGN.md promises. */
#include "format.h"
#include "json.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void frame(struct tsc_json *j, const struct tsc_frame *f)
{
	char addr[24];

	snprintf(addr, sizeof addr, "0x%" PRIx64, f->address);
	tsc_json_object(j, NULL);
	tsc_json_string(j, "address", addr);
	tsc_json_string(j, "module", f->module ? f->module->path : NULL);
	tsc_json_string(j, "function", f->function);
	tsc_json_string(j, "file", f->file);
	if (f->line)
		tsc_json_uint(j, "line", f->line);
	else
		tsc_json_null(j, "line");
	tsc_json_bool(j, "inlined", f->inlined);
	if (f->module_note)     /* only then: most frames have none */
		tsc_json_string(j, "module_note", f->module_note);
	tsc_json_end(j);
}

/* JSON keys must be unique: a label seen before gets "_2", "_3", ... */
static char *stack_key(const struct tsc_finding *f, size_t i)
{
	size_t seen = 1;

	for (size_t k = 0; k < i; k++)
		seen += !strcmp(f->stacks[k].label, f->stacks[i].label);
	return seen == 1 ? tsc_strdup(f->stacks[i].label)
		: tsc_asprintf("%s_%zu", f->stacks[i].label, seen);
}

static void stacks(struct tsc_json *j, const struct tsc_finding *f)
{
	bool counted = false;

	tsc_json_object(j, "stacks");
	for (size_t i = 0; i < f->nstacks; i++) {
		const struct tsc_stack *s = tsc_finding_stack(f, i);
		char *key = stack_key(f, i);

		tsc_json_array(j, key);
		for (size_t k = 0; s && k < s->nframes; k++)
			frame(j, &s->frames[k]);
		tsc_json_end(j);
		free(key);
		counted |= f->stacks[i].count > 0;
	}
	tsc_json_end(j);
	if (!counted)
		return;
	tsc_json_object(j, "stack_counts");     /* key-exhaustion's top creators */
	for (size_t i = 0; i < f->nstacks; i++) {
		char *key = stack_key(f, i);

		if (f->stacks[i].count)
			tsc_json_uint(j, key, f->stacks[i].count);
		free(key);
	}
	tsc_json_end(j);
}

static void finding(struct tsc_json *j, const struct tsc_finding *f)
{
	tsc_json_object(j, NULL);
	tsc_json_string(j, "kind", tsc_kinds[f->kind].name);
	tsc_json_string(j, "severity", tsc_severity_names[f->severity]);
	tsc_json_uint(j, "count", f->count);
	tsc_json_uint(j, "pid", f->proc->pid);
	tsc_json_string(j, "message", f->message);
	tsc_json_array(j, "threads");
	for (size_t i = 0; i < f->nthreads; i++) {
		tsc_json_object(j, NULL);
		tsc_json_uint(j, "serial", f->threads[i].serial);
		tsc_json_string(j, "name", f->threads[i].name);
		tsc_json_end(j);
	}
	tsc_json_end(j);
	if (f->has_key)
		tsc_json_uint(j, "key", f->key);
	else
		tsc_json_null(j, "key");
	stacks(j, f);
	tsc_json_bool(j, "suppressed", f->suppressed_by != NULL);
	tsc_json_string(j, "fingerprint", f->fingerprint);
	if (f->baseline)
		tsc_json_string(j, "baseline", tsc_baseline_state_names[f->baseline]);
	tsc_json_array(j, "pids");
	for (size_t i = 0; i < f->npids; i++)
		tsc_json_uint(j, NULL, f->pids[i]);
	tsc_json_end(j);
	tsc_json_end(j);
}

static void process(struct tsc_json *j, const struct tsc_process *p)
{
	char exit[TSC_EXIT_DESC_MAX];

	tsc_json_object(j, NULL);
	tsc_json_uint(j, "pid", p->pid);
	tsc_json_uint(j, "ppid", p->ppid);
	tsc_json_string(j, "command", p->command);
	tsc_json_string(j, "exit", tsc_exit_desc(p, exit));
	tsc_json_bool(j, "complete", p->complete);
	tsc_json_string(j, "log", p->file);
	if (p->has_counters) {
		tsc_json_object(j, "counters");
		for (size_t c = 0; c < TSC_COUNTER_COUNT; c++)
			tsc_json_uint(j, tsc_counter_names[c], p->counters[c]);
		tsc_json_end(j);
	} else {
		tsc_json_null(j, "counters");
	}
	tsc_json_end(j);
}

void tsc_format_json(FILE *out, const struct tsc_view *v)
{
	struct tsc_json j;

	tsc_json_init(&j, out);
	tsc_json_object(&j, NULL);
	tsc_json_string(&j, "tool", "tsswatch");
	tsc_json_string(&j, "version", TSW_VERSION);
	tsc_json_array(&j, "processes");
	for (size_t i = 0; i < v->ps->n; i++)
		process(&j, v->ps->v[i]);
	tsc_json_end(&j);

	tsc_json_object(&j, "summary");
	tsc_json_uint(&j, "findings", v->sum.findings);
	tsc_json_uint(&j, "errors", v->sum.by_severity[TSC_SEV_ERROR]);
	tsc_json_uint(&j, "warnings", v->sum.by_severity[TSC_SEV_WARNING]);
	tsc_json_uint(&j, "infos", v->sum.by_severity[TSC_SEV_INFO]);
	tsc_json_object(&j, "by_kind");
	for (int k = 0; k < TSW_KIND_COUNT; k++)
		if (v->sum.by_kind[k])
			tsc_json_uint(&j, tsc_kinds[k].name, v->sum.by_kind[k]);
	tsc_json_end(&j);
	tsc_json_end(&j);

	tsc_json_array(&j, "findings");
	for (size_t i = 0; i < v->fs->n; i++)
		finding(&j, &v->fs->v[i]);
	tsc_json_end(&j);

	tsc_json_array(&j, "suppressions");
	for (size_t i = 0; i < v->ss->n; i++) {
		const struct tsc_suppression *s = &v->ss->v[i];

		tsc_json_object(&j, NULL);
		tsc_json_string(&j, "kind", s->kind < 0 ? "*" : tsc_kinds[s->kind].name);
		tsc_json_string(&j, "pattern", s->pattern);
		tsc_json_string(&j, "file", s->file);
		tsc_json_uint(&j, "line", s->line);
		tsc_json_uint(&j, "matched", s->matched);
		tsc_json_end(&j);
	}
	tsc_json_end(&j);
	tsc_json_end(&j);
}
