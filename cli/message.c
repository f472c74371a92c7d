/* The one-line messages of the findings; tests and users rely on their
 * exact wording (see DESIGN.md). */
#include "budget.h"
#include "report_findings.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "#S \"NAME\"", or "#S" when the name is unknown. */
static char *thread_desc(uint64_t serial, const char *name)
{
	return name ? tsc_asprintf("#%" PRIu64 " \"%s\"", serial, name)
		    : tsc_asprintf("#%" PRIu64, serial);
}

static const char *serial_name(const struct tsc_process *p, uint64_t serial)
{
	const struct tsc_thread *t = tsc_thread_by_serial(p, serial);

	return t ? t->name : NULL;
}

static const char *ids_desc(const char *name)
{
	return name && !strcmp(name, "pthread_t+tid") ? "pthread_t and tid"
		: name ? name : "id";
}

char *tsc_message(const struct tsc_process *p, const struct tsc_record *r)
{
	const struct tsc_thread *t = r->thread == TSC_NONE ? NULL : &p->threads[r->thread];
	uint64_t serial = t ? t->serial : 0;
	const char *call = r->name ? r->name : "a call";
	char key[24] = "?";
	char *who, *old = NULL, *msg;

	if (r->key != TSC_NONE)
		snprintf(key, sizeof key, "%" PRIu64, p->keys[r->key].index);
	/* a running thread has no E record yet: its name travels in the F record */
	who = thread_desc(serial, r->kind == TSW_KIND_THREAD_RUNNING && r->name ? r->name
			  : t ? t->name : NULL);
	if (r->kind == TSW_KIND_STALE_THREAD || r->kind == TSW_KIND_RECYCLED_ID)
		old = thread_desc(r->arg, serial_name(p, r->arg));

	switch (r->kind) {
	case TSW_KIND_TSD_LEAK:
		msg = tsc_asprintf("thread %s finished holding 0x%" PRIx64 " in key %s, "
				   "which has no destructor", who, r->value, key);
		break;
	case TSW_KIND_DTOR_EXHAUSTED:
		msg = tsc_asprintf("thread %s still held 0x%" PRIx64 " in key %s after the "
				   "last destructor round: its destructor kept re-setting it",
				   who, r->value, key);
		break;
	case TSW_KIND_DELETE_LIVE:
		msg = tsc_asprintf("key %s was deleted while %" PRIu64 " thread%s still held "
				   "values: their destructors will never run", key, r->arg,
				   r->arg == 1 ? "" : "s");
		break;
	case TSW_KIND_STALE_KEY:
		msg = r->arg == 2
			? tsc_asprintf("%s used key %s after its index was recycled by a key "
				       "created elsewhere", call, key)
			: tsc_asprintf("%s used key %s after it was deleted", call, key);
		break;
	case TSW_KIND_KEY_EXHAUSTION:
		msg = tsc_asprintf("%s failed: every key is in use (%" PRIu64 " live)", call, r->arg);
		break;
	case TSW_KIND_KEY_LEAK:
		msg = tsc_asprintf("key %s was never deleted%s", key, r->arg == 1
				   ? " and the module that created it was unloaded" : "");
		break;
	case TSW_KIND_DANGLING_DESTRUCTOR:
		msg = r->arg
			? tsc_asprintf("the module holding key %s's destructor was unloaded while "
				       "%" PRIu64 " thread%s still held values: glibc will call "
				       "unmapped code when %s", key, r->arg, r->arg == 1 ? "" : "s",
				       r->arg == 1 ? "it ends" : "they end")
			: tsc_asprintf("thread %s set a value in key %s after the module holding "
				       "its destructor was unloaded: glibc will call unmapped code "
				       "when the thread ends", who, key);
		break;
	case TSW_KIND_FOREIGN_KEY:
		msg = tsc_asprintf("%s deleted key %s, which another module created and the "
				   "deleting module never received", call, key);
		break;
	case TSW_KIND_MODULE_PINNED:
		msg = tsc_asprintf("dlclose dropped the last reference to %s but it stays mapped: "
				   "%" PRIu64 " live thread%s (%s%s) hold%s its thread_local objects",
				   r->name ? r->name : "a module", r->arg, r->arg == 1 ? "" : "s",
				   r->arg == 1 ? "" : "among them ", who, r->arg == 1 ? "s" : "");
		break;
	case TSW_KIND_DICT_LEAK:
		msg = tsc_asprintf("thread %s finished holding 0x%" PRIx64 " in dictionary entry "
				   "\"%s\", which has no destructor", who, r->value,
				   r->name ? r->name : "");
		break;
	case TSW_KIND_THREAD_LEAK:
		msg = tsc_asprintf("thread %s finished but was never joined or detached", who);
		break;
	case TSW_KIND_STALE_THREAD:
		msg = r->arg
			? tsc_asprintf("%s was given the pthread_t of thread %s, which was "
				       "already joined or detached", call, old)
			: tsc_asprintf("%s was given a pthread_t that names no live or "
				       "unjoined thread", call);
		break;
	case TSW_KIND_RECYCLED_ID:
		msg = tsc_asprintf("thread %s got the %s of thread %s, which finished with "
				   "storage unreleased", who, ids_desc(r->name), old);
		break;
	case TSW_KIND_THREAD_RUNNING:
	default:
		msg = tsc_asprintf("thread %s was still running at process exit", who);
		break;
	}
	if (r->kind == TSW_KIND_KEY_LEAK || r->kind == TSW_KIND_KEY_EXHAUSTION) {
		char *budget = r->kind == TSW_KIND_KEY_EXHAUSTION ? tsc_budget_top(p, r->time_ns)
			: r->key != TSC_NONE ? tsc_budget_of_module(p, p->keys[r->key].module) : NULL;
		if (budget) {
			char *both = tsc_asprintf("%s; %s", msg, budget);
			free(msg);
			free(budget);
			msg = both;
		}
	}
	free(who);
	free(old);
	return msg;
}
