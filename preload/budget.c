/* The key budget: how many keys each load of a module created, and how
 * many of those are still live, so a report can say "this plugin leaves
 * one key per load; 1024 loads use up the process's keys".  A load is a
 * module id (a module dlopened again after its unload gets a new one).
 * Written as B records at a key-exhaustion and at exit.
 *
 * A create counts with a relaxed increment, not a locked one: creates
 * take no locked instruction (keys.c), so two threads creating keys from
 * one module at the same moment may count one. */
#include "keys.h"

uint32_t tsw_budget_created[TSW_MODULES_MAX + 1];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void tsw_budget_log(void)
{
	static uint32_t live[TSW_MODULES_MAX + 1];    /* under LOCK: too large for a stack */
	pthread_mutex_lock(&lock);
	for (uint32_t m = 0; m <= TSW_MODULES_MAX; m++)
		live[m] = 0;
	for (unsigned i = 0; i < TSW_KEYS_MAX; i++) {
		const struct tsw_key *k = &tsw_keys[i];
		if (__atomic_load_n(&k->state, __ATOMIC_ACQUIRE) == TSW_KEY_LIVE && !k->inherited &&
		    k->module <= TSW_MODULES_MAX)
			live[k->module]++;
	}
	for (uint32_t m = 1; m <= TSW_MODULES_MAX; m++) {
		uint32_t created = __atomic_load_n(&tsw_budget_created[m], __ATOMIC_RELAXED);
		if (!created && !live[m])
			continue;
		TSW_REC(r, TSW_BUF_SMALL);
		tsw_rec_start(&r, TSW_REC_BUDGET);
		tsw_rec_dec(&r, m);
		tsw_rec_dec(&r, created);
		tsw_rec_dec(&r, live[m]);
		tsw_rec_end(&r);
	}
	pthread_mutex_unlock(&lock);
}

/* The child counts its own creates; the keys it inherited are its
 * parent's (key-leak says the same). */
void tsw_budget_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
	for (uint32_t m = 0; m <= TSW_MODULES_MAX; m++)
		tsw_budget_created[m] = 0;
}
