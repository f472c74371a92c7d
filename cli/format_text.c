/* The report for a person: findings grouped by kind, most severe first,
 * then the processes, the suppressions used and one summary line. */
#include "format.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static const char *const sev_color[TSC_SEV_COUNT] = { "\033[1;31m", "\033[1;33m", "\033[1;36m" };
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* "key_create" -> "key created", "top_creator" -> "top creator" */
static void print_label(FILE *out, const char *label)
{
	size_t n = strlen(label);
	bool created = n > 7 && !strcmp(label + n - 7, "_create");

	for (const char *s = label; *s; s++)
		fputc(*s == '_' ? ' ' : *s, out);
	if (created)
		fputc('d', out);
}

static void print_frame(FILE *out, size_t i, const struct tsc_frame *f)
{
	const char *module = f->module ? f->module->path : NULL;

	fprintf(out, "    #%zu 0x%" PRIx64, i, f->address);
	if (f->function) {
		fprintf(out, " in %s", f->function);
		if (f->file && f->line)
			fprintf(out, " %s:%lu", f->file, f->line);
		else if (f->file)
			fprintf(out, " %s", f->file);
		if (module)
			fprintf(out, " (%s)", module);
	} else if (f->module) {
		fprintf(out, " (%s+0x%" PRIx64 ")", module ? module : "?", f->offset);
	}
	if (f->module_note)
		fprintf(out, " [%s]", f->module_note);
	fputs(f->inlined ? " [inlined]\n" : "\n", out);
}

static void print_thread(FILE *out, const struct tsc_thread_ref *t)
{
	fprintf(out, "#%" PRIu64, t->serial);
	if (t->name)
		fprintf(out, " \"%s\"", t->name);
}

static void print_finding(FILE *out, const struct tsc_finding *f, bool color)
{
	fprintf(out, "%s%s: %s%s, %" PRIu64 " occurrence%s%s%s\n", color ? sev_color[f->severity] : "",
		tsc_kinds[f->kind].name, tsc_severity_names[f->severity], color ? RESET : "",
		f->count, plural(f->count), f->baseline ? ", " : "",
		f->baseline ? tsc_baseline_state_names[f->baseline] : "");
	fprintf(out, "  %s%s%s\n", color ? BOLD : "", f->message, color ? RESET : "");
	if (f->npids == 1) {
		fprintf(out, "  pid %" PRIu64, f->proc->pid);
	} else {
		fprintf(out, "  in %zu processes: pids", f->npids);
		for (size_t i = 0; i < f->npids; i++)
			fprintf(out, "%s %" PRIu64, i ? "," : "", f->pids[i]);
	}
	for (size_t i = 0; i < f->nthreads; i++) {
		if (!i && f->npids > 1)
			fprintf(out, "; threads of pid %" PRIu64 " ", f->proc->pid);
		else
			fputs(i ? ", " : "; threads ", out);
		print_thread(out, &f->threads[i]);
	}
	if (f->has_key)
		fprintf(out, "; key %" PRIu64, f->key);
	fprintf(out, "; fingerprint %s\n", f->fingerprint);
	for (size_t i = 0; i < f->nstacks; i++) {
		const struct tsc_stack *s = tsc_finding_stack(f, i);

		fputs("  ", out);
		print_label(out, f->stacks[i].label);
		if (f->stacks[i].count)
			fprintf(out, " (%" PRIu64 " times)", f->stacks[i].count);
		fputs(s && s->nframes ? ":\n" : ": no frames recorded\n", out);
		for (size_t k = 0; s && k < s->nframes; k++)
			print_frame(out, k, &s->frames[k]);
	}
	fputc('\n', out);
}

static void print_process(FILE *out, const struct tsc_process *p, int depth)
{
	char exit[TSC_EXIT_DESC_MAX];

	fprintf(out, "%*sprocess %" PRIu64 " (ppid %" PRIu64 ") %s: %s, %s\n%*s ", 2 * depth, "",
		p->pid, p->ppid, p->command ? p->command : "?", tsc_exit_desc(p, exit),
		p->complete ? "complete" : "incomplete", 2 * depth, "");
	if (!p->has_counters) {
		fputs(" counters unknown: the process did not reach its exit\n", out);
		return;
	}
	for (size_t c = 0; c < TSC_COUNTER_COUNT; c++)
		fprintf(out, " %s %" PRIu64 "%s", tsc_counter_names[c], p->counters[c],
			c + 1 < TSC_COUNTER_COUNT ? "," : "\n");
}

static bool has_pid(const struct tsc_processes *ps, uint64_t pid)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->v[i]->pid == pid)
			return true;
	return false;
}

/* The process tree: each process under the one whose pid is its ppid (the
 * images of one pid, as after exec, side by side), children indented. */
static void print_tree(FILE *out, const struct tsc_processes *ps, bool *done, uint64_t ppid,
		       int depth)
{
	for (size_t i = 0; i < ps->n; i++) {
		const struct tsc_process *p = ps->v[i];
		bool root = depth == 0 ? !has_pid(ps, p->ppid) : p->ppid == ppid;
		if (done[i] || !root || (depth && p->pid == ppid))
			continue;
		for (size_t j = i; j < ps->n; j++)      /* every image of this pid */
			if (!done[j] && ps->v[j]->pid == p->pid) {
				done[j] = true;
				print_process(out, ps->v[j], depth);
			}
		print_tree(out, ps, done, p->pid, depth + 1);
	}
}

void tsc_format_text(FILE *out, const struct tsc_view *v)
{
	const struct tsc_summary *s = &v->sum;

	if (!v->quiet) {
		/* with a baseline, what is new comes first */
		for (int pass = v->baseline ? 0 : 1; pass < 2; pass++)
			for (size_t i = 0; i < v->fs->n; i++) {
				const struct tsc_finding *f = &v->fs->v[i];

				if (!f->suppressed_by && (pass || f->baseline == TSC_BASELINE_NEW)
				    && (!pass || f->baseline != TSC_BASELINE_NEW))
					print_finding(out, f, v->color);
			}
		bool *done = tsc_calloc(v->ps->n ? v->ps->n : 1, sizeof *done);
		print_tree(out, v->ps, done, 0, 0);
		for (size_t i = 0; i < v->ps->n; i++)   /* any left by a ppid cycle */
			if (!done[i])
				print_process(out, v->ps->v[i], 0);
		free(done);
		for (size_t i = 0; i < v->ss->n; i++) {
			const struct tsc_suppression *sup = &v->ss->v[i];

			fprintf(out, "suppression %s:%s (%s:%lu) matched %" PRIu64 "\n",
				sup->kind < 0 ? "*" : tsc_kinds[sup->kind].name, sup->pattern,
				sup->file, sup->line, sup->matched);
		}
	}
	if (v->gen_suppressions)
		tsc_suppressions_generate(out, v->fs);
	fprintf(out, "tsswatch: %" PRIu64 " finding%s (%" PRIu64 " error%s, %" PRIu64 " warning%s, %"
		PRIu64 " info%s) in %zu process%s", s->findings, plural(s->findings),
		s->by_severity[TSC_SEV_ERROR], plural(s->by_severity[TSC_SEV_ERROR]),
		s->by_severity[TSC_SEV_WARNING], plural(s->by_severity[TSC_SEV_WARNING]),
		s->by_severity[TSC_SEV_INFO], plural(s->by_severity[TSC_SEV_INFO]), v->ps->n,
		v->ps->n == 1 ? "" : "es");
	if (v->baseline) {
		size_t gone = 0;

		for (size_t i = 0; i < v->baseline->n; i++)
			gone += !v->baseline->v[i].seen;
		fprintf(out, "; %" PRIu64 " new, %" PRIu64 " unchanged from the baseline, %zu of "
			"its %zu gone", s->by_baseline[TSC_BASELINE_NEW],
			s->by_baseline[TSC_BASELINE_UNCHANGED], gone, v->baseline->n);
	}
	fputc('\n', out);
}
