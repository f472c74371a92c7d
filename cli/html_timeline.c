/* One process's timeline as inline SVG, drawn here so that the page needs
 * no script to show it: a row per thread (a bar from create to finish), a
 * row per key (first use to delete), and a mark per finding at its moment
 * on the row of what it is about, linked to the finding in the list and
 * titled with its message (the browser shows it on hover).  A run with
 * more threads or keys than fit draws the ones findings name and folds the
 * rest into one row that plots how many were live: 10,000 threads cost a
 * path, not 10,000 elements. */
#include "html.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 1000
#define LABEL 190                       /* the left column, for names */
#define PLOT (WIDTH - LABEL - 12)
#define AXIS 26
#define ROW 16
#define BAR 10
#define FOLD_ROWS 3                     /* height of a folded row */
#define MAX_THREAD_ROWS 40
#define MAX_KEY_ROWS 24
#define LONGEST_ROWS 8                  /* of MAX_THREAD_ROWS, when they do not all fit */

enum row_type { ROW_HEADING, ROW_PROCESS, ROW_THREAD, ROW_THREADS, ROW_KEY, ROW_KEYS };

struct row {
	enum row_type type;
	size_t i;               /* thread or key index; the heading's text */
	double y;               /* top */
};

struct layout {
	const struct tsc_tl_proc *tp;
	const struct tsc_findings *fs;
	struct row *rows;
	size_t nrows, crows;
	double height;
	size_t *thread_row, *key_row;   /* by thread, by model key: a row */
	size_t threads_fold, keys_fold; /* the folded rows, or TSC_NONE */
	size_t process_row;
};

static double x_of(const struct layout *l, uint64_t t)
{
	uint64_t span = l->tp->end - l->tp->start;

	return LABEL + (span ? (double)(t - l->tp->start) * PLOT / (double)span : 0);
}

static size_t add_row(struct layout *l, enum row_type type, size_t i)
{
	TSC_GROW(l->rows, l->nrows, l->crows);
	l->rows[l->nrows] = (struct row){ type, i, l->height };
	l->height += type == ROW_THREADS || type == ROW_KEYS ? FOLD_ROWS * ROW : ROW;
	return l->nrows++;
}

static const char *const headings[] = { "threads", "keys" };

struct by_length {
	uint64_t length;
	size_t i;
};

static int cmp_longer(const void *pa, const void *pb)
{
	const struct by_length *a = pa, *b = pb;

	if (a->length != b->length)
		return a->length > b->length ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* When the threads do not all fit: the first (main), the longest-lived
 * (the pools, the workers), then those findings name, in serial order. */
static bool *threads_shown(const struct tsc_tl_proc *tp)
{
	bool *own = tsc_calloc(tp->nthreads + 1, sizeof *own);
	struct by_length *len = tsc_calloc(tp->nthreads + 1, sizeof *len);
	size_t shown = 0;

	if (tp->nthreads <= MAX_THREAD_ROWS) {
		for (size_t i = 0; i < tp->nthreads; i++)
			own[i] = true;
		free(len);
		return own;
	}
	for (size_t i = 0; i < tp->nthreads; i++)
		len[i] = (struct by_length){ tp->threads[i].end - tp->threads[i].start, i };
	qsort(len, tp->nthreads, sizeof *len, cmp_longer);
	own[0] = true;
	for (size_t i = 0; i < tp->nthreads && i < LONGEST_ROWS; i++)
		own[len[i].i] = true;
	for (size_t i = 0; i < tp->nthreads; i++)
		shown += own[i];
	for (size_t i = 0; i < tp->nthreads && shown < MAX_THREAD_ROWS - 1; i++)
		if (!own[i] && tp->threads[i].marks) {
			own[i] = true;
			shown++;
		}
	free(len);
	return own;
}

/* When the keys do not all fit: those findings name, then the first used. */
static bool *keys_shown(const struct tsc_tl_proc *tp, const bool *named)
{
	bool *own = tsc_calloc(tp->nkeys + 1, sizeof *own);
	size_t shown = 0;

	for (size_t i = 0; i < tp->nkeys; i++)
		if (tp->nkeys <= MAX_KEY_ROWS || (named[tp->keys[i].model] && shown < MAX_KEY_ROWS - 1))
			shown += own[i] = true;
	for (size_t i = 0; i < tp->nkeys && shown < MAX_KEY_ROWS - 1; i++)
		if (!own[i])
			shown += own[i] = true;
	return own;
}

static void lay_out(struct layout *l)
{
	const struct tsc_tl_proc *tp = l->tp;
	size_t nkeys_model = tp->p->nkeys, shown = 0;
	bool *key_named = tsc_calloc(nkeys_model + 1, sizeof *key_named);
	bool process_marks = false, *own;

	l->height = AXIS;
	l->thread_row = tsc_calloc(tp->nthreads + 1, sizeof *l->thread_row);
	l->key_row = tsc_calloc(nkeys_model + 1, sizeof *l->key_row);
	l->threads_fold = l->keys_fold = l->process_row = TSC_NONE;
	for (size_t i = 0; i < tp->nmarks; i++) {
		const struct tsc_record *r = tp->marks[i].r;

		if (r->key != TSC_NONE)
			key_named[r->key] = true;
		process_marks |= tp->marks[i].thread == TSC_NONE && r->key == TSC_NONE;
	}
	if (process_marks)
		l->process_row = add_row(l, ROW_PROCESS, 0);

	add_row(l, ROW_HEADING, 0);
	own = threads_shown(tp);
	for (size_t i = 0; i < tp->nthreads; i++) {
		l->thread_row[i] = own[i] ? add_row(l, ROW_THREAD, i) : TSC_NONE;
		shown += own[i];
	}
	free(own);
	if (shown < tp->nthreads)
		l->threads_fold = add_row(l, ROW_THREADS, 0);

	if (tp->nkeys)
		add_row(l, ROW_HEADING, 1);
	own = keys_shown(tp, key_named);
	shown = 0;
	for (size_t i = 0; i < tp->nkeys; i++) {
		l->key_row[tp->keys[i].model] = own[i] ? add_row(l, ROW_KEY, i) : TSC_NONE;
		shown += own[i];
	}
	free(own);
	if (shown < tp->nkeys)
		l->keys_fold = add_row(l, ROW_KEYS, 0);
	l->height += 4;
	free(key_named);
}

/* A tick every 1, 2 or 5 times a power of ten, about six of them. */
static void axis(FILE *out, const struct layout *l)
{
	uint64_t span = l->tp->end - l->tp->start, step = 1;

	while (step * 10 <= span / 6)
		step *= 10;
	if (step * 5 <= span / 6)
		step *= 5;
	else if (step * 2 <= span / 6)
		step *= 2;
	fputs("<g class=\"axis\">", out);
	for (uint64_t t = 0; span && t <= span; t += step) {
		double x = x_of(l, l->tp->start + t);

		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>", x, AXIS - 6, x,
			l->height);
		fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, AXIS - 10);
		tsc_html_duration(out, t);
		fputs("</text>", out);
	}
	fputs("</g>\n", out);
}

static void label(FILE *out, double y, const char *cls, const char *text)
{
	fprintf(out, "<text class=\"%s\" x=\"4\" y=\"%.1f\">", cls, y + ROW - 4);
	tsc_html_text(out, text, 30);
	fputs("</text>", out);
}

/* A bar from START to END, titled "WHAT: from +A to +B" (or "still there"). */
static void bar(FILE *out, const struct layout *l, double y, const char *cls, const char *what,
		uint64_t start, uint64_t end, const char *end_word)
{
	double x0 = x_of(l, start), x1 = x_of(l, end);

	fprintf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\">"
		"<title>", cls, x0, y + (ROW - BAR) / 2.0, x1 - x0 < 1.5 ? 1.5 : x1 - x0, BAR);
	tsc_html_text(out, what, 0);
	fputs(": +", out);
	tsc_html_duration(out, start - l->tp->start);
	fputs(" to ", out);
	if (end_word) {
		fputs(end_word, out);
	} else {
		fputc('+', out);
		tsc_html_duration(out, end - l->tp->start);
	}
	fputs("</title></rect>\n", out);
}

static int cmp_time(const void *pa, const void *pb)
{
	const uint64_t *a = pa, *b = pb;

	return (*a > *b) - (*a < *b);
}

/* The most of N intervals live at one moment (an end before a start at
 * the same time).  Sorts STARTS and ENDS. */
static long most_live(uint64_t *starts, uint64_t *ends, size_t n)
{
	long live = 0, most = 0;

	qsort(starts, n, sizeof *starts, cmp_time);
	qsort(ends, n, sizeof *ends, cmp_time);
	for (size_t s = 0, e = 0; s < n;) {
		if (e < n && ends[e] < starts[s]) {
			live--;
			e++;
		} else {
			live++;
			s++;
			most = live > most ? live : most;
		}
	}
	return most;
}

/* How many of N intervals were live in each column, as one step path. */
static void folded(FILE *out, const struct layout *l, double y, uint64_t *starts,
		   uint64_t *ends, size_t n, const char *what)
{
	enum { COLS = PLOT / 2 };
	long live[COLS + 1] = {0}, max = 0, level = 0;
	uint64_t column = (l->tp->end - l->tp->start) / COLS;
	double base = y + FOLD_ROWS * ROW - 2, h = FOLD_ROWS * ROW - 6;
	char text[96];

	for (size_t i = 0; i < n; i++) {
		size_t a = (size_t)((x_of(l, starts[i]) - LABEL) / PLOT * (COLS - 1));
		size_t b = (size_t)((x_of(l, ends[i]) - LABEL) / PLOT * (COLS - 1));

		live[a]++;
		live[b + 1]--;
	}
	for (size_t c = 0; c < COLS; c++) {
		level += live[c];
		live[c] = level;
		max = level > max ? level : max;
	}
	fprintf(out, "<path class=\"fold\" d=\"M%d %.1f", LABEL, base);
	for (size_t c = 0; c < COLS; c++)
		if (!c || live[c] != live[c - 1])
			fprintf(out, "H%.1fV%.1f", LABEL + c * (double)PLOT / COLS,
				base - (max ? h * live[c] / max : 0));
	fprintf(out, "H%dV%.1fz\"><title>%zu more %s: how many were live in each ", LABEL + PLOT,
		base, n, what);
	tsc_html_duration(out, column);
	fprintf(out, " (up to %ld)</title></path>\n", max);
	snprintf(text, sizeof text, "%zu more %s", n, what);
	label(out, y, "fold-label", text);
	snprintf(text, sizeof text, "at most %ld live at once", most_live(starts, ends, n));
	label(out, y + ROW, "fold-label", text);
}

/* The threads (ROW_THREADS) or keys (ROW_KEYS) that have no row of their own. */
static void fold(FILE *out, const struct layout *l, double y, enum row_type type)
{
	const struct tsc_tl_proc *tp = l->tp;
	bool threads = type == ROW_THREADS;
	size_t total = threads ? tp->nthreads : tp->nkeys, n = 0;
	uint64_t *starts = tsc_calloc(total + 1, sizeof *starts);
	uint64_t *ends = tsc_calloc(total + 1, sizeof *ends);

	for (size_t i = 0; i < total; i++) {
		if (threads ? l->thread_row[i] != TSC_NONE : l->key_row[tp->keys[i].model] != TSC_NONE)
			continue;
		starts[n] = threads ? tp->threads[i].start : tp->keys[i].start;
		ends[n++] = threads ? tp->threads[i].end : tp->keys[i].end;
	}
	folded(out, l, y, starts, ends, n, threads ? "threads" : "keys");
	free(starts);
	free(ends);
}

static void draw_row(FILE *out, const struct layout *l, const struct row *r)
{
	const struct tsc_tl_proc *tp = l->tp;
	char *text;

	switch (r->type) {
	case ROW_HEADING:
		label(out, r->y, "heading", headings[r->i]);
		break;
	case ROW_PROCESS:
		label(out, r->y, "heading", "process");
		break;
	case ROW_THREAD: {
		const struct tsc_tl_thread *t = &tp->threads[r->i];

		text = tsc_tl_thread_label(t->serial, t->name);
		label(out, r->y, "name", text);
		bar(out, l, r->y, t->finished ? "thread" : "thread running", text, t->start, t->end,
		    t->finished ? NULL : "the end, unfinished");
		free(text);
		break;
	}
	case ROW_THREADS:
	case ROW_KEYS:
		fold(out, l, r->y, r->type);
		break;
	case ROW_KEY: {
		const struct tsc_tl_key *k = &tp->keys[r->i];

		text = tsc_asprintf("key %" PRIu64, k->index);
		label(out, r->y, "name", text);
		bar(out, l, r->y, k->deleted ? "key" : "key live", text, k->start, k->end,
		    k->deleted ? NULL : "the end, never deleted");
		free(text);
		break;
	}
	}
}

/* Marks that would be drawn on one another (same finding, same row, less
 * than MARK_GAP apart; a mark is 10 wide) are drawn once, with their
 * count: a row holds at most PLOT / MARK_GAP marks of a finding. */
#define MARK_GAP 4
struct placed {
	size_t mark, row, finding;
	double x;
	size_t count;
};

static int cmp_placed(const void *pa, const void *pb)
{
	const struct placed *a = pa, *b = pb;

	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->finding != b->finding)
		return a->finding < b->finding ? -1 : 1;
	return (a->x > b->x) - (a->x < b->x);
}

static size_t row_of_mark(const struct layout *l, const struct tsc_tl_mark *m)
{
	if (m->thread != TSC_NONE)
		return l->thread_row[m->thread] != TSC_NONE ? l->thread_row[m->thread]
			: l->threads_fold;
	if (m->r->key != TSC_NONE)
		return l->key_row[m->r->key] != TSC_NONE ? l->key_row[m->r->key] : l->keys_fold;
	return l->process_row;
}

static void draw_mark(FILE *out, const struct layout *l, const struct placed *pl)
{
	const struct tsc_tl_mark *m = &l->tp->marks[pl->mark];
	const struct tsc_finding *f = &l->fs->v[m->finding];
	const struct row *r = &l->rows[pl->row];
	double y = r->y + ((r->type == ROW_THREADS || r->type == ROW_KEYS) ? FOLD_ROWS * ROW : ROW) / 2.0;
	char *message = tsc_message(l->tp->p, m->r), *frame = tsc_tl_first_frame(f);

	fprintf(out, "<a class=\"mark\" href=\"#f%zu\" data-f=\"%zu\"><path class=\"%s\" "
		"d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\"/><title>", m->finding + 1, m->finding + 1,
		tsc_severity_names[f->severity], pl->x, y - 5);
	fprintf(out, "%s (%s) at +", tsc_kinds[f->kind].name, tsc_severity_names[f->severity]);
	tsc_html_duration(out, m->time - l->tp->start);
	if (pl->count > 1)
		fprintf(out, ", %zu times here", pl->count);
	fputs(": ", out);
	tsc_html_text(out, message, 0);
	if (frame) {
		fputs(" \xe2\x80\x94 at ", out);
		tsc_html_text(out, frame, 0);
	}
	fputs("</title></a>\n", out);
	free(frame);
	free(message);
}

static void marks(FILE *out, const struct layout *l)
{
	const struct tsc_tl_proc *tp = l->tp;
	struct placed *pl = tsc_calloc(tp->nmarks + 1, sizeof *pl);
	size_t n = 0;

	for (size_t i = 0; i < tp->nmarks; i++) {
		size_t row = row_of_mark(l, &tp->marks[i]);

		if (row != TSC_NONE)
			pl[n++] = (struct placed){ i, row, tp->marks[i].finding,
						   x_of(l, tp->marks[i].time), 1 };
	}
	qsort(pl, n, sizeof *pl, cmp_placed);
	fputs("<g class=\"marks\">\n", out);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && pl[j].row == pl[i].row && pl[j].finding == pl[i].finding &&
			     pl[j].x - pl[i].x < MARK_GAP; j++)
			;
		pl[i].count = j - i;
		draw_mark(out, l, &pl[i]);
	}
	fputs("</g>\n", out);
	free(pl);
}

void tsc_html_timeline(FILE *out, const struct tsc_tl_proc *tp, const struct tsc_findings *fs)
{
	struct layout l = { .tp = tp, .fs = fs };

	lay_out(&l);
	fprintf(out, "<svg class=\"timeline\" data-pid=\"%" PRIu64 "\" viewBox=\"0 0 %d %.0f\" "
		"width=\"%d\" height=\"%.0f\" role=\"img\" aria-label=\"timeline of process %" PRIu64
		"\">\n", tp->p->pid, WIDTH, l.height, WIDTH,
		l.height, tp->p->pid);
	axis(out, &l);
	for (size_t i = 0; i < l.nrows; i++)
		draw_row(out, &l, &l.rows[i]);
	marks(out, &l);
	fputs("</svg>\n", out);
	free(l.rows);
	free(l.thread_row);
	free(l.key_row);
}
