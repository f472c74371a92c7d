/* The log parser: one memory buffer in, one struct tsc_process out.  It
 * never trusts the input: every field is checked and every id must have
 * been defined by an earlier line, so a damaged log is an error naming its
 * line, never a silently wrong report.  A last line without its newline is
 * what a killed process leaves: it is dropped and the process marked
 * incomplete. */
#include "kinds.h"
#include "model.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct field {
	const char *s;
	size_t n;
};

struct parser {
	const char *name;
	unsigned long line;
	char type;
	char *err;
	size_t errlen;
	struct tsc_process *p;
	struct field f[TSW_LOG_LINE_MAX / 2 + 1];
	size_t nf;              /* fields after the record type, the time left out */
	bool have_process;
	uint64_t version;       /* of the log's format */
	uint64_t time;          /* the record's time (version 2 on), else 0 */
	uint64_t start;         /* the P record's: other records' are since it */
};

/* Sets the error message (PREFIX, then the formatted text); returns -1. */
static int verr(struct parser *ps, const char *prefix, const char *fmt, va_list ap)
{
	int n = snprintf(ps->err, ps->errlen, "%s", prefix);

	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	return -1;
}

/* An error about the log as a whole: "NAME: ..." or "NAME:LINE: ...". */
static int fail(struct parser *ps, const char *fmt, ...) TSC_PRINTF(2, 3);
static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(ps, "", fmt, ap);
	va_end(ap);
	return -1;
}

/* An error in the current record. */
static int bad(struct parser *ps, const char *fmt, ...) TSC_PRINTF(2, 3);
static int bad(struct parser *ps, const char *fmt, ...)
{
	char prefix[64 + 4096];
	va_list ap;

	snprintf(prefix, sizeof prefix, "%s:%lu: bad %c record: ", ps->name, ps->line, ps->type);
	va_start(ap, fmt);
	verr(ps, prefix, fmt, ap);
	va_end(ap);
	return -1;
}

static bool field_is(const struct field *f, const char *s)
{
	return f->n == strlen(s) && !memcmp(f->s, s, f->n);
}

/* Whether every byte of F is in SET (fields are not NUL-terminated). */
static bool all_in(const struct field *f, const char *set)
{
	for (size_t i = 0; i < f->n; i++)
		if (!f->s[i] || !strchr(set, f->s[i]))
			return false;
	return true;
}

static bool parse_number(const struct field *f, int base, uint64_t *out)
{
	uint64_t v = 0;

	*out = 0;            /* set even on failure: callers need not be read as unset */
	if (!f->n)
		return false;
	for (size_t i = 0; i < f->n; i++) {
		char c = f->s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static int dec(struct parser *ps, const struct field *f, const char *what, uint64_t *out)
{
	if (!parse_number(f, 10, out))
		return bad(ps, "%s '%.*s' is not a decimal number", what, (int)f->n, f->s);
	return 0;
}

static int hex(struct parser *ps, const struct field *f, const char *what, uint64_t *out)
{
	if (!parse_number(f, 16, out))
		return bad(ps, "%s '%.*s' is not a hexadecimal number", what, (int)f->n, f->s);
	return 0;
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A percent-escaped string; "-" is absent (NULL).  %00 would cut the
 * C string short, so it is refused like any broken escape. */
static int str(struct parser *ps, const struct field *f, char **out)
{
	char *s, *d;

	*out = NULL;
	if (field_is(f, "-"))
		return 0;
	s = d = tsc_calloc(f->n + 1, 1);
	for (size_t j = 0; j < f->n; j++) {
		unsigned char c = f->s[j];

		if (c == '%') {
			int hi = j + 2 < f->n ? hexdigit(f->s[j + 1]) : -1;
			int lo = hi >= 0 ? hexdigit(f->s[j + 2]) : -1;

			if (lo < 0 || (hi | lo) == 0) {
				free(s);
				return bad(ps, "bad escape in '%.*s'", (int)f->n, f->s);
			}
			c = hi << 4 | lo;
			j += 2;
		} else if (c < 0x20 || c == 0x7f) {
			free(s);
			return bad(ps, "unescaped control character in '%.*s'", (int)f->n, f->s);
		}
		*d++ = c;
	}
	*out = s;
	return 0;
}

/* A reference to an id defined earlier; 0 gives TSC_NONE when allowed. */
static int ref(struct parser *ps, const struct field *f, const struct tsc_idmap *m,
	       const char *what, bool none_ok, size_t *out)
{
	uint64_t id;

	if (dec(ps, f, what, &id))
		return -1;
	if (!id && none_ok) {
		*out = TSC_NONE;
		return 0;
	}
	*out = tsc_idmap_get(m, id);
	if (*out == TSC_NONE)
		return bad(ps, "%s %llu is not defined", what, (unsigned long long)id);
	return 0;
}

/* The record's first field: a new id, > 0 and not defined before. */
static int define(struct parser *ps, struct tsc_idmap *m, const char *what,
		  uint64_t *id, size_t index)
{
	if (dec(ps, &ps->f[0], what, id))
		return -1;
	if (!*id)
		return bad(ps, "%s 0 is not allowed", what);
	if (tsc_idmap_add(m, *id, index))
		return bad(ps, "%s %llu is defined twice", what, (unsigned long long)*id);
	return 0;
}

static int nfields(struct parser *ps, size_t min, size_t max)
{
	if (ps->nf < min || ps->nf > max)
		return bad(ps, "%zu fields, expected %zu%s", ps->nf, min,
			   max > min ? " or more" : "");
	return 0;
}

/* Splits F at the first SEP into A and B; false when SEP is missing. */
static bool split(const struct field *f, char sep, struct field *a, struct field *b)
{
	const char *at = memchr(f->s, sep, f->n);

	if (!at)
		return false;
	*a = (struct field){ f->s, at - f->s };
	*b = (struct field){ at + 1, f->n - a->n - 1 };
	return true;
}

static int rec_process(struct parser *ps)
{
	struct tsc_process *p = ps->p;
	uint64_t start;

	if (ps->have_process)
		return bad(ps, "the process is described twice");
	ps->have_process = true;
	if (nfields(ps, 4, SIZE_MAX) || dec(ps, &ps->f[0], "pid", &p->pid) ||
	    dec(ps, &ps->f[1], "ppid", &p->ppid) ||
	    dec(ps, &ps->f[2], "start time", &start) || str(ps, &ps->f[3], &p->command))
		return -1;
	p->has_times = ps->version >= TSW_LOG_VERSION_TIMES;
	p->start_ns = ps->time;
	/* the arguments, when there are any, say more than the executable */
	for (size_t i = 4; i < ps->nf; i++) {
		char *arg, *joined;

		if (str(ps, &ps->f[i], &arg))
			return -1;
		joined = i == 4 ? tsc_strdup(arg ? arg : "-")
			: tsc_asprintf("%s %s", p->command, arg ? arg : "-");
		free(arg);
		free(p->command);
		p->command = joined;
	}
	return 0;
}

static int rec_module(struct parser *ps)
{
	struct tsc_process *p = ps->p;
	struct tsc_module m = {0};
	uint64_t id;

	if (nfields(ps, 3, 4) || hex(ps, &ps->f[1], "base", &m.base) ||
	    define(ps, &p->module_ids, "module", &id, p->nmodules) ||
	    str(ps, &ps->f[2], &m.path))
		return -1;
	m.loaded_ns = ps->time;
	/* the build-id: absent from logs written before it was added */
	if (ps->nf == 4 && !field_is(&ps->f[3], "-")) {
		if (ps->f[3].n % 2 || ps->f[3].n > TSW_BUILD_ID_HEX_MAX ||
		    !all_in(&ps->f[3], "0123456789abcdef")) {
			free(m.path);
			return bad(ps, "build-id '%.*s' is not hexadecimal bytes",
				   (int)ps->f[3].n, ps->f[3].s);
		}
		m.build_id = tsc_calloc(ps->f[3].n + 1, 1);
		memcpy(m.build_id, ps->f[3].s, ps->f[3].n);
	}
	TSC_GROW(p->modules, p->nmodules, p->cmodules);
	p->modules[p->nmodules++] = m;
	return 0;
}

static int rec_unload(struct parser *ps)
{
	size_t m;

	if (nfields(ps, 1, 1) || ref(ps, &ps->f[0], &ps->p->module_ids, "module", false, &m))
		return -1;
	ps->p->modules[m].unloaded = true;
	ps->p->modules[m].unloaded_ns = ps->time;
	return 0;
}

static int rec_stack(struct parser *ps)
{
	struct tsc_process *p = ps->p;
	struct tsc_stack s = {0};

	if (nfields(ps, 1, SIZE_MAX))
		return -1;
	s.pcs = tsc_calloc(ps->nf - 1, sizeof *s.pcs);
	for (size_t i = 1; i < ps->nf; i++) {
		struct tsc_pc *pc = &s.pcs[s.npcs++];
		struct field mod, off;

		if (!split(&ps->f[i], ':', &mod, &off)) {
			free(s.pcs);
			return bad(ps, "frame '%.*s' is not module:offset",
				   (int)ps->f[i].n, ps->f[i].s);
		}
		if (ref(ps, &mod, &p->module_ids, "module", true, &pc->module) ||
		    hex(ps, &off, "offset", &pc->offset)) {
			free(s.pcs);
			return -1;
		}
	}
	if (define(ps, &p->stack_ids, "stack", &s.id, p->nstacks)) {
		free(s.pcs);
		return -1;
	}
	TSC_GROW(p->stacks, p->nstacks, p->cstacks);
	p->stacks[p->nstacks++] = s;
	return 0;
}

static int rec_thread(struct parser *ps)
{
	struct tsc_process *p = ps->p;
	const struct field *flags = &ps->f[3];
	size_t parent, stack;
	uint64_t serial;

	if (nfields(ps, 4, 4) ||
	    ref(ps, &ps->f[1], &p->thread_ids, "parent thread", true, &parent) ||
	    ref(ps, &ps->f[2], &p->stack_ids, "stack", true, &stack))
		return -1;
	if (!field_is(flags, "-") && !all_in(flags, TSW_THREAD_FLAGS))
		return bad(ps, "flags '%.*s' are not '-' or any of '" TSW_THREAD_FLAGS "'",
			   (int)flags->n, flags->s);
	if (define(ps, &p->thread_ids, "thread", &serial, p->nthreads))
		return -1;
	TSC_GROW(p->threads, p->nthreads, p->cthreads);
	p->threads[p->nthreads++] = (struct tsc_thread){ .serial = serial, .created_ns = ps->time };
	return 0;
}

static int rec_ids(struct parser *ps)
{
	uint64_t id;
	size_t t;

	return nfields(ps, 3, 3) ||
	       ref(ps, &ps->f[0], &ps->p->thread_ids, "thread", false, &t) ||
	       hex(ps, &ps->f[1], "pthread_t", &id) || dec(ps, &ps->f[2], "tid", &id) ? -1 : 0;
}

static int rec_end(struct parser *ps)
{
	static const char *const hows[] = { TSW_END_RETURNED, TSW_END_EXIT, TSW_END_THRD_EXIT,
					    TSW_END_CANCELLED, TSW_END_UNKNOWN };
	size_t i, how, nhows = sizeof hows / sizeof *hows;
	char *name;

	if (nfields(ps, 3, 3) || ref(ps, &ps->f[0], &ps->p->thread_ids, "thread", false, &i))
		return -1;
	for (how = 0; how < nhows && !field_is(&ps->f[1], hows[how]); how++)
		;
	if (how == nhows)
		return bad(ps, "'%.*s' is not how a thread ends", (int)ps->f[1].n, ps->f[1].s);
	if (str(ps, &ps->f[2], &name))
		return -1;
	free(ps->p->threads[i].name);
	ps->p->threads[i].name = name;
	ps->p->threads[i].ended_ns = ps->time;
	return 0;
}

/* A thread's name at process exit, for one that had not finished. */
static int rec_name(struct parser *ps)
{
	size_t i;
	char *name;

	if (nfields(ps, 2, 2) || ref(ps, &ps->f[0], &ps->p->thread_ids, "thread", false, &i) ||
	    str(ps, &ps->f[1], &name))
		return -1;
	free(ps->p->threads[i].name);
	ps->p->threads[i].name = name;
	return 0;
}

static int rec_key(struct parser *ps)
{
	struct tsc_process *p = ps->p;
	struct tsc_key k = {0};
	uint64_t id, dtor;
	size_t stack, module;

	if (nfields(ps, 5, 5) || dec(ps, &ps->f[1], "index", &k.index) ||
	    dec(ps, &ps->f[2], "destructor", &dtor) ||
	    ref(ps, &ps->f[3], &p->stack_ids, "stack", true, &stack) ||
	    ref(ps, &ps->f[4], &p->module_ids, "module", true, &module))
		return -1;
	if (dtor > 1)
		return bad(ps, "destructor must be 0 or 1");
	if (define(ps, &p->key_ids, "key", &id, p->nkeys))
		return -1;
	k.destructor = dtor;
	k.id = id;
	k.module = module;
	k.first_ns = ps->time;
	TSC_GROW(p->keys, p->nkeys, p->ckeys);
	p->keys[p->nkeys++] = k;
	return 0;
}

static int rec_delete(struct parser *ps)
{
	size_t key, stack;

	if (nfields(ps, 2, 2) || ref(ps, &ps->f[0], &ps->p->key_ids, "key", false, &key) ||
	    ref(ps, &ps->f[1], &ps->p->stack_ids, "stack", true, &stack))
		return -1;
	ps->p->keys[key].deleted_ns = ps->time;
	return 0;
}

/* label=stack_id or label=stack_id*count */
static int labeled_stack(struct parser *ps, const struct field *f, struct tsc_labeled_stack *ls)
{
	struct field label, rest, id, count;

	if (!split(f, '=', &label, &rest) || !label.n ||
	    !all_in(&label, "abcdefghijklmnopqrstuvwxyz0123456789_"))
		return bad(ps, "'%.*s' is not label=stack", (int)f->n, f->s);
	if (!split(&rest, '*', &id, &count))
		id = rest;
	else if (dec(ps, &count, "count", &ls->count))
		return -1;
	if (ref(ps, &id, &ps->p->stack_ids, "stack", true, &ls->stack))
		return -1;
	ls->label = tsc_calloc(label.n + 1, 1);
	memcpy(ls->label, label.s, label.n);
	return 0;
}

static int rec_finding(struct parser *ps)
{
	struct tsc_process *p = ps->p;
	struct tsc_record r = {0};
	int kind;

	if (nfields(ps, 6, SIZE_MAX))
		return -1;
	kind = tsc_kind_lookup(ps->f[0].s, ps->f[0].n);
	if (kind < 0)
		return bad(ps, "unknown finding kind '%.*s'", (int)ps->f[0].n, ps->f[0].s);
	r.kind = kind;
	r.time_ns = ps->time;
	if (ref(ps, &ps->f[1], &p->thread_ids, "thread", true, &r.thread) ||
	    ref(ps, &ps->f[2], &p->key_ids, "key", true, &r.key) ||
	    hex(ps, &ps->f[3], "value", &r.value) || dec(ps, &ps->f[4], "arg", &r.arg) ||
	    str(ps, &ps->f[5], &r.name))
		return -1;
	r.stacks = tsc_calloc(ps->nf - 6, sizeof *r.stacks);
	for (size_t i = 6; i < ps->nf; i++) {
		if (labeled_stack(ps, &ps->f[i], &r.stacks[r.nstacks])) {
			tsc_record_free(&r);
			return -1;
		}
		r.nstacks++;
	}
	if (r.nstacks && r.stacks[0].stack != TSC_NONE)
		r.primary = p->stacks[r.stacks[0].stack].id;
	TSC_GROW(p->records, p->nrecords, p->crecords);
	p->records[p->nrecords++] = r;
	return 0;
}

/* A value the leak findings before it named was freed later or still
 * referenced at exit: those findings are void. */
static int rec_not_lost(struct parser *ps)
{
	struct tsc_process *p = ps->p;
	uint64_t value;
	size_t n = 0;

	if (nfields(ps, 2, 2) || hex(ps, &ps->f[0], "value", &value))
		return -1;
	if (!field_is(&ps->f[1], "freed") && !field_is(&ps->f[1], "reachable"))
		return bad(ps, "'%.*s' is neither freed nor reachable", (int)ps->f[1].n,
			   ps->f[1].s);
	for (size_t i = 0; i < p->nrecords; i++) {
		struct tsc_record *r = &p->records[i];
		bool leak = r->kind == TSW_KIND_TSD_LEAK || r->kind == TSW_KIND_DTOR_EXHAUSTED ||
			    r->kind == TSW_KIND_DICT_LEAK;

		if (leak && r->value == value)
			tsc_record_free(r);
		else
			p->records[n++] = *r;
	}
	p->nrecords = n;
	return 0;
}

/* B module_id keys_created keys_live: the last one of a module wins. */
static int rec_budget(struct parser *ps)
{
	size_t m;
	uint64_t created, live;

	if (nfields(ps, 3, 3) || ref(ps, &ps->f[0], &ps->p->module_ids, "module", false, &m) ||
	    dec(ps, &ps->f[1], "keys created", &created) || dec(ps, &ps->f[2], "keys live", &live))
		return -1;
	ps->p->modules[m].has_budget = true;
	ps->p->modules[m].keys_created = created;
	ps->p->modules[m].keys_live = live;
	if (live > ps->p->modules[m].keys_live_peak)
		ps->p->modules[m].keys_live_peak = live;
	return 0;
}

/* Cumulative: each C record replaces the previous one. */
static int rec_counters(struct parser *ps)
{
	uint64_t values[TSC_COUNTER_COUNT] = {0};

	for (size_t i = 0; i < ps->nf; i++) {
		struct field name, value;
		uint64_t v;

		if (!split(&ps->f[i], '=', &name, &value))
			return bad(ps, "'%.*s' is not name=value", (int)ps->f[i].n, ps->f[i].s);
		if (dec(ps, &value, "counter", &v))
			return -1;
		for (size_t c = 0; c < TSC_COUNTER_COUNT; c++)
			if (field_is(&name, tsc_counter_names[c]))
				values[c] = v;
	}
	memcpy(ps->p->counters, values, sizeof values);
	ps->p->has_counters = true;
	return 0;
}

static int rec_exit(struct parser *ps)
{
	struct tsc_process *p = ps->p;
	uint64_t status;

	if (nfields(ps, 2, 2) || dec(ps, &ps->f[1], "status", &status))
		return -1;
	if (field_is(&ps->f[0], TSW_EXIT_EXIT) && status <= 255)
		p->how = TSC_END_EXIT;
	else if (field_is(&ps->f[0], TSW_EXIT_EXEC) && status == 0)
		p->how = TSC_END_EXEC;
	else
		return bad(ps, "'%.*s %.*s' is not how a process ends", (int)ps->f[0].n,
			   ps->f[0].s, (int)ps->f[1].n, ps->f[1].s);
	p->status = status;
	p->complete = true;
	p->end_ns = ps->time;
	return 0;
}

/* Options in force: informative only, the findings already reflect them. */
static int rec_options(struct parser *ps)
{
	struct field name, value;

	for (size_t i = 0; i < ps->nf; i++)
		if (!split(&ps->f[i], '=', &name, &value))
			return bad(ps, "'%.*s' is not name=value", (int)ps->f[i].n, ps->f[i].s);
	return 0;
}

/* From version 2 on, a timed record's last field is "@" and its time:
 * the P record's as it is, the others' since the P record's. */
static int record_time(struct parser *ps)
{
	const struct field *last = ps->nf ? &ps->f[ps->nf - 1] : NULL;
	struct field digits;

	if (!last || last->s[0] != '@')
		return bad(ps, "no @time at its end");
	digits = (struct field){ last->s + 1, last->n - 1 };
	if (dec(ps, &digits, "time", &ps->time))
		return -1;
	if (ps->type == TSW_REC_PROCESS)
		ps->start = ps->time;
	else if (ps->time > UINT64_MAX - ps->start)
		return bad(ps, "time %llu is out of range", (unsigned long long)ps->time);
	else
		ps->time += ps->start;
	ps->nf--;
	if (ps->time > ps->p->last_ns)
		ps->p->last_ns = ps->time;
	return 0;
}

static int record(struct parser *ps, const char *line, size_t n)
{
	static int (*const parse[128])(struct parser *) = {
		[TSW_REC_PROCESS] = rec_process, [TSW_REC_OPTIONS] = rec_options,
		[TSW_REC_MODULE] = rec_module,   [TSW_REC_UNLOAD] = rec_unload,
		[TSW_REC_STACK] = rec_stack,     [TSW_REC_THREAD] = rec_thread,
		[TSW_REC_IDS] = rec_ids,         [TSW_REC_END] = rec_end,
		[TSW_REC_KEY] = rec_key,         [TSW_REC_DELETE] = rec_delete,
		[TSW_REC_FINDING] = rec_finding, [TSW_REC_COUNTERS] = rec_counters,
		[TSW_REC_EXIT] = rec_exit,       [TSW_REC_NAME] = rec_name,
		[TSW_REC_NOT_LOST] = rec_not_lost,
		[TSW_REC_BUDGET] = rec_budget,
	};
	unsigned char type = n ? line[0] : 0;

	ps->type = type < 128 && parse[type] ? type : '?';
	if (ps->type == '?' || (n > 1 && line[1] != ' '))
		return fail(ps, "%s:%lu: not a tsswatch record", ps->name, ps->line);
	if (!ps->have_process && type != TSW_REC_PROCESS)
		return bad(ps, "the process (P record) must come first");
	ps->nf = 0;
	for (size_t i = 2; i <= n && n > 1; ) {
		const char *sp = memchr(line + i, ' ', n - i);
		size_t end = sp ? (size_t)(sp - line) : n;

		if (end == i)
			return bad(ps, "empty field");
		ps->f[ps->nf++] = (struct field){ line + i, end - i };
		i = end + 1;
	}
	ps->time = 0;
	if (ps->version >= TSW_LOG_VERSION_TIMES && type && strchr(TSW_REC_TIMED, type) &&
	    record_time(ps))
		return -1;
	return parse[type](ps);
}

static int signature(struct parser *ps, const char *line, size_t n)
{
	const size_t siglen = strlen(TSW_LOG_SIGNATURE " ");
	struct field version = { line + siglen, n - siglen };
	uint64_t v;

	if (n <= siglen || memcmp(line, TSW_LOG_SIGNATURE " ", siglen) ||
	    !all_in(&version, "0123456789"))
		return fail(ps, "%s: not a tsswatch log", ps->name);
	if (!parse_number(&version, 10, &v) || v > TSW_LOG_VERSION)
		return fail(ps, "%s: log format version %.*s is newer than this tsswatch reads (%d)",
			    ps->name, (int)version.n, version.s, TSW_LOG_VERSION);
	if (v < TSW_LOG_VERSION_MIN)
		return fail(ps, "%s: log format version %.*s is older than this tsswatch reads (%d)",
			    ps->name, (int)version.n, version.s, TSW_LOG_VERSION_MIN);
	ps->version = v;
	return 0;
}

int tsc_parse_log(const char *buf, size_t len, const char *name,
		  struct tsc_process *p, char *err, size_t errlen)
{
	struct parser *ps = tsc_calloc(1, sizeof *ps);
	size_t pos = 0;
	int ret = 0;

	*p = (struct tsc_process){ .file = tsc_strdup(name) };
	*ps = (struct parser){ .name = name, .err = err, .errlen = errlen, .p = p };
	while (pos < len && !ret) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		ps->line++;
		if (!nl && ps->line > 1) {      /* cut short: the process was killed */
			p->complete = false;
			break;
		}
		if (n + 1 > TSW_LOG_LINE_MAX)
			ret = fail(ps, "%s:%lu: line longer than %d bytes", name, ps->line,
				   TSW_LOG_LINE_MAX);
		else
			ret = ps->line == 1 ? signature(ps, line, n) : record(ps, line, n);
		pos += n + 1;
	}
	if (!ps->line && !ret)
		ret = fail(ps, "%s: not a tsswatch log", name);
	free(ps);
	return ret;
}
