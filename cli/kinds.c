#include "kinds.h"

#include <string.h>

const char *const tsc_severity_names[TSC_SEV_COUNT] = { "error", "warning", "info" };

/* Names and severities come from the log format's table; the words are ours. */
#define TSC_KIND_INFO(id, kname, ksev) \
	[TSW_KIND_##id].name = kname, [TSW_KIND_##id].severity = ksev,
const struct tsc_kind_info tsc_kinds[TSW_KIND_COUNT] = {
	TSW_KINDS(TSC_KIND_INFO)
	[TSW_KIND_TSD_LEAK].summary =
		"A thread finished holding a value in a key with no destructor",
	[TSW_KIND_TSD_LEAK].help =
		"The thread ended while a pthread or C11 key that has no destructor still "
		"held a non-NULL value for it: nothing will ever free that value. Release "
		"it before the thread ends, or give the key a destructor.",
	[TSW_KIND_DTOR_EXHAUSTED].summary =
		"A key's destructor kept re-setting its value",
	[TSW_KIND_DTOR_EXHAUSTED].help =
		"After the last destructor round the key still held a value: its destructor "
		"(or another one) set it again every round, so the value is dropped.",
	[TSW_KIND_DELETE_LIVE].summary =
		"A key was deleted while threads still held values in it",
	[TSW_KIND_DELETE_LIVE].help =
		"pthread_key_delete and tss_delete run no destructors: the values that "
		"threads still held in the key are leaked. Release them before deleting.",
	[TSW_KIND_STALE_KEY].summary =
		"A key was used after it was deleted",
	[TSW_KIND_STALE_KEY].help =
		"A deleted key was passed to setspecific or getspecific. Its index may "
		"already name a key created elsewhere, whose values this call now reads "
		"or overwrites.",
	[TSW_KIND_KEY_EXHAUSTION].summary =
		"Creating a key failed because every key was in use",
	[TSW_KIND_KEY_EXHAUSTION].help =
		"The process ran out of keys (PTHREAD_KEYS_MAX). The stacks show the "
		"failing create and the places that created the most keys.",
	[TSW_KIND_KEY_LEAK].summary =
		"A key was never deleted",
	[TSW_KIND_KEY_LEAK].help =
		"The key lived until the process exited. When the module that created it "
		"was unloaded first (an error), the key and its destructor outlive the "
		"code they point into.",
	[TSW_KIND_DANGLING_DESTRUCTOR].summary =
		"A module holding a key's destructor was unloaded while a thread held a value",
	[TSW_KIND_DANGLING_DESTRUCTOR].help =
		"dlclose unmapped the module that holds a live key's destructor while a "
		"thread held a value in the key (or one was set after): when that thread "
		"ends, glibc calls the destructor, which is no longer mapped, and the "
		"process crashes in __nptl_deallocate_tsd. Delete the key (after its values "
		"are released) before the module is unloaded, or keep the module loaded.",
	[TSW_KIND_FOREIGN_KEY].summary =
		"A module deleted a key that another module created",
	[TSW_KIND_FOREIGN_KEY].help =
		"The deleting module never created, was handed or used this key: it most "
		"likely deleted the index held by an uninitialised (zero) variable, as a "
		"library's cleanup does when its init never ran. The key's owner now uses "
		"a deleted key. Delete only keys the module created.",
	[TSW_KIND_DICT_LEAK].summary =
		"A thread finished holding a dictionary entry with no destructor",
	[TSW_KIND_DICT_LEAK].help =
		"A tsswatch_set entry without a destructor still held a non-NULL value "
		"when its thread finished: nothing will free it.",
	[TSW_KIND_THREAD_LEAK].summary =
		"A joinable thread was never joined or detached",
	[TSW_KIND_THREAD_LEAK].help =
		"The thread finished but nobody joined or detached it, so its stack and "
		"descriptor stay allocated until the process exits.",
	[TSW_KIND_STALE_THREAD].summary =
		"pthread_join or pthread_detach was given a stale pthread_t",
	[TSW_KIND_STALE_THREAD].help =
		"The pthread_t named a thread that was already joined or detached; the "
		"system may have given the same value to a new thread, which the call "
		"now joins or detaches by mistake.",
	[TSW_KIND_RECYCLED_ID].summary =
		"A new thread got the id of a thread that left storage behind",
	[TSW_KIND_RECYCLED_ID].help =
		"The system reused a pthread_t or TID of a thread that finished with "
		"storage unreleased: anything keyed by that id passes to the new thread.",
	[TSW_KIND_THREAD_RUNNING].summary =
		"A thread was still running at process exit",
	[TSW_KIND_THREAD_RUNNING].help =
		"The thread never finished, so its storage was never released; usually "
		"harmless for worker pools, worth a look otherwise.",
	[TSW_KIND_MODULE_PINNED].summary =
		"dlclose left a module mapped because a thread holds its thread_local objects",
	[TSW_KIND_MODULE_PINNED].help =
		"The last reference to the module was dropped, but a live thread still holds "
		"one of its C++ thread_local objects, so glibc keeps it mapped until that "
		"thread ends: a dlopen meanwhile gets the old image with its old state. End "
		"or stop using the threads before unloading, or reload only when they ended.",
};
#undef TSC_KIND_INFO

int tsc_kind_lookup(const char *s, size_t n)
{
	for (int k = 0; k < TSW_KIND_COUNT; k++)
		if (strlen(tsc_kinds[k].name) == n && !memcmp(tsc_kinds[k].name, s, n))
			return k;
	return -1;
}

int tsc_severity_lookup(const char *s)
{
	for (int i = 0; i < TSC_SEV_COUNT; i++)
		if (!strcmp(tsc_severity_names[i], s))
			return i;
	return -1;
}

enum tsc_severity tsc_kind_severity(enum tsw_kind kind)
{
	return tsc_severity_lookup(tsc_kinds[kind].severity);
}
