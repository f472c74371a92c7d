/* The key budget of a module, as a report says it: how many keys its
 * loads created and did not delete, and how many loads at that rate use
 * up the process's keys (a plugin that burns one key per reload ends the
 * process after 1024 reloads). */
#include "budget.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's PTHREAD_KEYS_MAX, of the machine the log came from */
#define KEYS_TOTAL 1024

struct budget { const char *path; uint64_t loads, created, live; };

/* UNTIL_NS: a key-exhaustion's time (0: at exit): only loads before it
 * count, with the keys live at their peak. */
static struct budget budget_of(const struct tsc_process *p, const char *path, uint64_t until_ns)
{
	struct budget b = { path, 0, 0, 0 };
	for (size_t m = 0; m < p->nmodules; m++) {
		const struct tsc_module *mod = &p->modules[m];
		if (!mod->path || strcmp(mod->path, path) ||
		    (until_ns && mod->loaded_ns && mod->loaded_ns > until_ns))
			continue;
		b.loads++;
		b.created += mod->keys_created;
		b.live += until_ns ? mod->keys_live_peak : mod->keys_live;
	}
	return b;
}

static char *describe(const struct budget *b)
{
	const char *base = strrchr(b->path, '/');
	base = base ? base + 1 : b->path;
	const char *s = b->created == 1 ? "" : "s";
	if (b->loads < 2 || !b->live)
		return tsc_asprintf("%s created %" PRIu64 " key%s, %" PRIu64 " of them not deleted",
				    base, b->created, s, b->live);
	uint64_t loads_to_end = (KEYS_TOTAL * b->loads + b->live - 1) / b->live;
	char rate[32];
	if (b->live % b->loads == 0)
		snprintf(rate, sizeof rate, "%" PRIu64, b->live / b->loads);
	else
		snprintf(rate, sizeof rate, "%.1f", (double)b->live / (double)b->loads);
	return tsc_asprintf("%s created %" PRIu64 " key%s in %" PRIu64 " loads, %" PRIu64
			    " of them not deleted: %s per load, so %" PRIu64 " loads use up the "
			    "process's %d keys", base, b->created, s, b->loads, b->live, rate,
			    loads_to_end, KEYS_TOTAL);
}

char *tsc_budget_of_module(const struct tsc_process *p, size_t module)
{
	if (module >= p->nmodules || !p->modules[module].path || !p->modules[module].has_budget)
		return NULL;
	struct budget b = budget_of(p, p->modules[module].path, 0);
	return describe(&b);
}

char *tsc_budget_top(const struct tsc_process *p, uint64_t time_ns)
{
	struct budget best = { NULL, 0, 0, 0 };
	for (size_t m = 0; m < p->nmodules; m++) {
		if (!p->modules[m].path || !p->modules[m].has_budget)
			continue;
		struct budget b = budget_of(p, p->modules[m].path, time_ns ? time_ns : UINT64_MAX);
		if (b.live > best.live)
			best = b;
	}
	return best.path ? describe(&best) : NULL;
}
