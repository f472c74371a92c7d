/* The timeline as Chrome trace-event JSON, which Perfetto (ui.perfetto.dev)
 * and chrome://tracing open: a process per pid, a track per thread from
 * its create to its finish, each key from its first use to its delete as
 * an async slice, and each finding as an instant event on the thread it is
 * about.  Times are microseconds from the earliest process's start. */
#include "format.h"
#include "json.h"
#include "timeline.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum ev_type { EV_THREAD, EV_KEY_BEGIN, EV_MARK, EV_KEY_END };

struct event {
	uint64_t ts;
	enum ev_type type;      /* also the order of events at the same time */
	size_t proc, i;
};

struct trace {
	struct tsc_json j;
	const struct tsc_view *v;
	struct tsc_timeline tl;
	uint64_t *tid_base;     /* per process: serials map to tid_base + serial */
	uint64_t *key_base;     /* per process: async ids, unique over the trace */
};

static int cmp_event(const void *pa, const void *pb)
{
	const struct event *a = pa, *b = pb;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->proc != b->proc)
		return a->proc < b->proc ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

static void head(struct trace *t, const char *ph, size_t proc, const char *name)
{
	tsc_json_object(&t->j, NULL);
	tsc_json_string(&t->j, "ph", ph);
	tsc_json_string(&t->j, "name", name);
	tsc_json_uint(&t->j, "pid", t->tl.v[proc].p->pid);
}

static void metadata(struct trace *t)
{
	for (size_t i = 0; i < t->tl.n; i++) {
		const struct tsc_tl_proc *tp = &t->tl.v[i];
		char *name = tsc_asprintf("%s (pid %llu)", tp->p->command ? tp->p->command : "?",
					  (unsigned long long)tp->p->pid);

		head(t, "M", i, "process_name");
		tsc_json_object(&t->j, "args");
		tsc_json_string(&t->j, "name", name);
		tsc_json_end(&t->j);
		tsc_json_end(&t->j);
		free(name);
		for (size_t k = 0; k < tp->nthreads; k++) {
			const struct tsc_tl_thread *th = &tp->threads[k];
			char *label = tsc_tl_thread_label(th->serial, th->name);

			head(t, "M", i, "thread_name");
			tsc_json_uint(&t->j, "tid", t->tid_base[i] + th->serial);
			tsc_json_object(&t->j, "args");
			tsc_json_string(&t->j, "name", label);
			tsc_json_end(&t->j);
			tsc_json_end(&t->j);
			head(t, "M", i, "thread_sort_index");
			tsc_json_uint(&t->j, "tid", t->tid_base[i] + th->serial);
			tsc_json_object(&t->j, "args");
			tsc_json_uint(&t->j, "sort_index", th->serial);
			tsc_json_end(&t->j);
			tsc_json_end(&t->j);
			free(label);
		}
	}
}

static void thread_event(struct trace *t, const struct event *e)
{
	const struct tsc_tl_proc *tp = &t->tl.v[e->proc];
	const struct tsc_tl_thread *th = &tp->threads[e->i];
	char *label = tsc_tl_thread_label(th->serial, th->name);

	head(t, "X", e->proc, label);
	tsc_json_string(&t->j, "cat", "thread");
	tsc_json_uint(&t->j, "tid", t->tid_base[e->proc] + th->serial);
	tsc_json_micros(&t->j, "ts", th->start - t->tl.start);
	tsc_json_micros(&t->j, "dur", th->end - th->start);
	tsc_json_object(&t->j, "args");
	tsc_json_uint(&t->j, "serial", th->serial);
	tsc_json_string(&t->j, "name", th->name);
	tsc_json_bool(&t->j, "finished", th->finished);
	tsc_json_end(&t->j);
	tsc_json_end(&t->j);
	free(label);
}

static void key_event(struct trace *t, const struct event *e)
{
	const struct tsc_tl_key *k = &t->tl.v[e->proc].keys[e->i];
	char *name = tsc_asprintf("key %llu", (unsigned long long)k->index);
	char *id = tsc_asprintf("0x%llx", (unsigned long long)(t->key_base[e->proc] + k->id));
	bool begin = e->type == EV_KEY_BEGIN;

	head(t, begin ? "b" : "e", e->proc, name);
	tsc_json_string(&t->j, "cat", "key");
	tsc_json_string(&t->j, "id", id);
	tsc_json_micros(&t->j, "ts", e->ts - t->tl.start);
	if (begin) {
		tsc_json_object(&t->j, "args");
		tsc_json_uint(&t->j, "index", k->index);
		tsc_json_bool(&t->j, "deleted", k->deleted);
		tsc_json_end(&t->j);
	}
	tsc_json_end(&t->j);
	free(id);
	free(name);
}

static void mark_event(struct trace *t, const struct event *e)
{
	const struct tsc_tl_proc *tp = &t->tl.v[e->proc];
	const struct tsc_tl_mark *m = &tp->marks[e->i];
	const struct tsc_finding *f = &t->v->fs->v[m->finding];
	char *message = tsc_message(tp->p, m->r), *frame = tsc_tl_first_frame(f);
	/* a finding about no thread (a key's, the process's) goes on the first */
	uint64_t serial = m->thread != TSC_NONE ? tp->threads[m->thread].serial
		: tp->nthreads ? tp->threads[0].serial : 0;

	head(t, "i", e->proc, tsc_kinds[f->kind].name);
	tsc_json_string(&t->j, "cat", "finding");
	tsc_json_string(&t->j, "s", m->thread != TSC_NONE ? "t" : "p");
	tsc_json_uint(&t->j, "tid", t->tid_base[e->proc] + serial);
	tsc_json_micros(&t->j, "ts", e->ts - t->tl.start);
	tsc_json_object(&t->j, "args");
	tsc_json_string(&t->j, "severity", tsc_severity_names[f->severity]);
	tsc_json_string(&t->j, "message", message);
	tsc_json_string(&t->j, "frame", frame);
	tsc_json_uint(&t->j, "finding", m->finding + 1);
	tsc_json_end(&t->j);
	tsc_json_end(&t->j);
	free(frame);
	free(message);
}

static struct event *collect(const struct trace *t, size_t *n)
{
	size_t cap = 0;
	struct event *ev = NULL;

	*n = 0;
	for (size_t p = 0; p < t->tl.n; p++) {
		const struct tsc_tl_proc *tp = &t->tl.v[p];

		for (size_t i = 0; i < tp->nthreads; i++) {
			TSC_GROW(ev, *n, cap);
			ev[(*n)++] = (struct event){ tp->threads[i].start, EV_THREAD, p, i };
		}
		for (size_t i = 0; i < tp->nkeys; i++) {
			TSC_GROW(ev, *n, cap);
			ev[(*n)++] = (struct event){ tp->keys[i].start, EV_KEY_BEGIN, p, i };
			TSC_GROW(ev, *n, cap);
			ev[(*n)++] = (struct event){ tp->keys[i].end, EV_KEY_END, p, i };
		}
		for (size_t i = 0; i < tp->nmarks; i++) {
			TSC_GROW(ev, *n, cap);
			ev[(*n)++] = (struct event){ tp->marks[i].time, EV_MARK, p, i };
		}
	}
	if (*n)
		qsort(ev, *n, sizeof *ev, cmp_event);
	return ev;
}

void tsc_format_trace(FILE *out, const struct tsc_view *v)
{
	static void (*const write_event[])(struct trace *, const struct event *) = {
		[EV_THREAD] = thread_event, [EV_KEY_BEGIN] = key_event,
		[EV_MARK] = mark_event, [EV_KEY_END] = key_event,
	};
	struct trace t = { .v = v };
	struct event *ev;
	size_t n;
	uint64_t tids = 0, keys = 0;

	tsc_timeline_build(&t.tl, v->ps, v->fs);
	t.tid_base = tsc_calloc(t.tl.n + 1, sizeof *t.tid_base);
	t.key_base = tsc_calloc(t.tl.n + 1, sizeof *t.key_base);
	for (size_t i = 0; i < t.tl.n; i++) {
		const struct tsc_tl_proc *tp = &t.tl.v[i];

		t.tid_base[i] = tids;
		t.key_base[i] = keys;
		tids += tp->nthreads ? tp->threads[tp->nthreads - 1].serial : 0;
		keys += tp->p->nkeys ? tp->p->keys[tp->p->nkeys - 1].id : 0;
	}
	ev = collect(&t, &n);

	tsc_json_init(&t.j, out);
	tsc_json_object(&t.j, NULL);
	tsc_json_array(&t.j, "traceEvents");
	metadata(&t);
	for (size_t i = 0; i < n; i++)
		write_event[ev[i].type](&t, &ev[i]);
	tsc_json_end(&t.j);
	tsc_json_string(&t.j, "displayTimeUnit", "ns");
	tsc_json_object(&t.j, "otherData");
	tsc_json_string(&t.j, "tool", "tsswatch");
	tsc_json_string(&t.j, "version", TSW_VERSION);
	tsc_json_bool(&t.j, "timeline", t.tl.any_times);
	tsc_json_uint(&t.j, "findings", v->sum.findings);
	tsc_json_end(&t.j);
	tsc_json_end(&t.j);

	free(ev);
	free(t.key_base);
	free(t.tid_base);
	tsc_timeline_free(&t.tl);
}
