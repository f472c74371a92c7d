#include "symbolize.h"
#include "tsswatch_shared.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* One function of an address; several when addr2line -i finds inlining. */
struct sym {
	char *function, *file;          /* NULL: unknown */
	unsigned long line;
};

/* One address of one module, symbolized at most once. */
struct entry {
	const char *path;
	uint64_t offset;
	struct sym *syms;               /* innermost (inlined) first */
	size_t nsyms, cap;
};

struct tsc_symbols {
	struct entry *v;
	size_t n, cap;
};

static bool hidden(const struct tsc_module *m)
{
	return m->path && !strncmp(tsc_basename(m->path), TSW_SELF_MODULE, strlen(TSW_SELF_MODULE));
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

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
		syms->v[syms->n++] = (struct entry){ .path = m->path, .offset = s->pcs[k].offset };
	}
}

/* addr2line's "file:line" or "file:line (discriminator N)"; "??" and
 * line 0 or "?" are unknown. */
static void add_sym(struct entry *e, const char *function, char *location)
{
	struct sym sym = {0};
	char *colon, *disc = strstr(location, " (discriminator");

	if (disc)
		*disc = '\0';
	colon = strrchr(location, ':');
	if (colon) {
		*colon = '\0';
		sym.line = strtoul(colon + 1, NULL, 10);
	}
	if (strcmp(location, "??") && *location)
		sym.file = tsc_strdup(location);
	if (strcmp(function, "??"))
		sym.function = tsc_strdup(function);
	TSC_GROW(e->syms, e->nsyms, e->cap);
	e->syms[e->nsyms++] = sym;
}

/* With -a, each address is echoed as "0x..." before its function/location
 * pairs; an echo that does not match what we asked ends the parse, leaving
 * the rest unknown rather than misattributed. */
static void parse_output(FILE *out, struct entry *e, size_t n)
{
	struct entry *cur = NULL;
	char *line = NULL, *function = NULL;
	size_t cap = 0, next = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, out)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!function && !strncmp(line, "0x", 2)) {
			uint64_t addr = strtoull(line, NULL, 16);

			if (next == n || addr != (e[next].offset ? e[next].offset - 1 : 0))
				break;
			cur = &e[next++];
		} else if (!cur) {
			break;
		} else if (!function) {
			function = tsc_strdup(line);
		} else {
			add_sym(cur, function, line);
			free(function);
			function = NULL;
		}
	}
	free(function);
	free(line);
}

static bool warned;

static void run_addr2line(const char *path, struct entry *e, size_t n)
{
	char *argv[] = { "addr2line", "-a", "-f", "-C", "-i", "-e", (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	FILE *in = tmpfile(), *out = NULL;
	int fds[2] = { -1, -1 }, err;
	pid_t pid;

	if (!in || pipe2(fds, O_CLOEXEC)) {
		err = errno;
		goto fail;
	}
	/* every frame is a return address: ask for the call instruction */
	for (size_t i = 0; i < n; i++)
		fprintf(in, "%" PRIx64 "\n", e[i].offset ? e[i].offset - 1 : 0);
	if (fflush(in) || fseek(in, 0, SEEK_SET)) {
		err = errno;
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fileno(in), 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	err = posix_spawnp(&pid, "addr2line", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	fds[1] = -1;
	if (err)
		goto fail;
	out = fdopen(fds[0], "r");
	if (out) {
		parse_output(out, e, n);
		fclose(out);
	} else {
		close(fds[0]);
	}
	fds[0] = -1;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	fclose(in);
	return;
fail:
	if (!warned)
		tsc_error("warning: cannot run addr2line: %s; frames are not symbolized",
			  strerror(err));
	warned = true;
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (in)
		fclose(in);
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
			struct entry key = { .path = m->path, .offset = pc->offset };

			raw.address = m->base + pc->offset;
			e = m->path && syms->n ? bsearch(&key, syms->v, syms->n, sizeof key, cmp_entry) : NULL;
		}
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
		for (j = i + 1; j < syms->n && !strcmp(syms->v[i].path, syms->v[j].path); j++)
			;
		/* a module that is gone since the run keeps its raw offsets */
		if (!access(syms->v[i].path, R_OK))
			run_addr2line(syms->v[i].path, &syms->v[i], j - i);
	}
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
