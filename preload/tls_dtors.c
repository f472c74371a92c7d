/* module-pinned: a dlclose that dropped a module's last reference while a
 * live thread holds one of its C++ thread_local objects.  glibc counts a
 * module's live thread_local destructors (__cxa_thread_atexit_impl, which
 * libstdc++'s __cxa_thread_atexit calls) and keeps the module mapped
 * until they have run: the host believes it unloaded the plugin, and its
 * next dlopen gets the old image with its old state.
 *
 * Followed here: every registration (its module, by the dso_symbol glibc
 * is given, noted in its thread's record), and every handle our dlopen
 * returned with how often it was opened.  The dlclose that brings a handle's count to
 * zero, after which the loader still has the module mapped, is reported
 * when a live thread registered a destructor in it, unless
 * - the module was opened with RTLD_NODELETE (then it stays anyway), or
 * - another loaded module needs it (DT_NEEDED): then it stays anyway, or
 * - we did not see every open of it (a handle our dlopen never returned).
 */
#include <link.h>
#include <string.h>

#include "thread_record.h"

#define HANDLES_MAX 256
#define TLS_MODULES 4       /* as many as struct tsw_thread remembers */

struct handle { void *h; uint32_t module; uint32_t opens; bool nodelete; };

static struct handle handles[HANDLES_MAX];   /* under LOCK */
static int nhandles;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int any_reg;             /* some thread_local destructor was registered */

/* Whether T holds thread_local objects of MODULE.  Registry lock held. */
static bool holds(const struct tsw_thread *t, uint32_t module)
{
	for (int i = 0; i < TLS_MODULES; i++)
		if (__atomic_load_n(&t->tls_module[i], __ATOMIC_RELAXED) == module)
			return true;
	return false;
}

/* A thread's objects of a fifth module are not remembered: a dlclose of
 * that module is then not reported (a missed finding, never a false one). */
static void note_reg(struct tsw_thread *t, uintptr_t dso, uint32_t module)
{
	for (int i = 0; i < TLS_MODULES; i++) {
		if (t->tls_module[i] == module)
			return;
		if (!t->tls_module[i]) {
			tsw_thread_pin(t, i, dso, module);
			break;
		}
	}
	__atomic_store_n(&any_reg, 1, __ATOMIC_RELAXED);
}

/* Forwarded first: glibc counts it in the module as without us.  A
 * module already noted by its dso_symbol costs no look-up. */
TSW_API int __cxa_thread_atexit_impl(void (*func)(void *), void *obj, void *dso_symbol)
{
	int rc = TSW_REAL(__cxa_thread_atexit_impl)(func, obj, dso_symbol);
	struct tsw_thread *t = tsw_self_record();
	if (rc != 0 || !dso_symbol)
		return rc;
	for (int i = 0; t && i < TLS_MODULES; i++)
		if (t->tls_dso[i] == (uintptr_t)dso_symbol)
			return rc;
	struct tsw_guard g = TSW_GUARD_INIT;
	if (!tsw_guard_enter(&g))
		return rc;
	t = tsw_self_or_adopt();
	uintptr_t off;
	uint32_t module = tsw_module_of((uintptr_t)dso_symbol, &off);
	if (t && module)
		note_reg(t, (uintptr_t)dso_symbol, module);
	tsw_guard_leave(&g);
	return rc;
}

void tsw_pin_opened(void *h, int mode)
{
	struct link_map *lm = NULL;
	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
		return;
	uintptr_t off;
	uint32_t module = tsw_module_of((uintptr_t)lm->l_ld, &off);
	pthread_mutex_lock(&lock);
	int i = 0;
	while (i < nhandles && handles[i].h != h)
		i++;
	if (i == nhandles && nhandles < HANDLES_MAX)
		handles[nhandles++] = (struct handle){ h, module, 0, false };
	if (i < nhandles) {
		handles[i].opens++;
		handles[i].nodelete |= (mode & RTLD_NODELETE) != 0;
	}
	pthread_mutex_unlock(&lock);
}

/* The module of handle H if this dlclose takes its last reference that we
 * saw; 0 otherwise.  Before the real dlclose. */
uint32_t tsw_pin_closing(void *h)
{
	uint32_t module = 0;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < nhandles; i++) {
		if (handles[i].h != h)
			continue;
		if (--handles[i].opens == 0) {
			module = handles[i].nodelete ? 0 : handles[i].module;
			handles[i] = handles[--nhandles];
		}
		break;
	}
	pthread_mutex_unlock(&lock);
	return __atomic_load_n(&any_reg, __ATOMIC_RELAXED) ? module : 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* A loaded module's dynamic section and string table; false if none. */
static bool dynamic_of(const struct dl_phdr_info *info, const ElfW(Dyn) **dyn, const char **strtab)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		if (info->dlpi_phdr[i].p_type != PT_DYNAMIC)
			continue;
		*dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
		uintptr_t at = 0;
		for (const ElfW(Dyn) *d = *dyn; d->d_tag != DT_NULL; d++)
			if (d->d_tag == DT_STRTAB)
				at = d->d_un.d_ptr;
		/* glibc relocates the entry in place; the vDSO's stays relative */
		if (at && at < info->dlpi_addr)
			at += info->dlpi_addr;
		*strtab = (const char *)at;
		return at != 0;
	}
	return false;
}

/* The module at SELF by its file name and soname, and whether another
 * loaded module names either in its DT_NEEDED entries (by a name, or a
 * path that ends in it: the same name in another folder counts too, and
 * then nothing is reported). */
struct need { const char *file, *soname; uintptr_t self; bool found; };

static int soname_of(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct need *n = arg;
	const ElfW(Dyn) *dyn;
	const char *strtab;
	if (info->dlpi_addr != n->self || !dynamic_of(info, &dyn, &strtab))
		return 0;
	for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_SONAME)
			n->soname = strtab + d->d_un.d_val;
	return 1;
}

static int needs(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct need *n = arg;
	const ElfW(Dyn) *dyn;
	const char *strtab;
	if (info->dlpi_addr == n->self || !dynamic_of(info, &dyn, &strtab))
		return 0;
	for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
		const char *name = d->d_tag == DT_NEEDED ? base_name(strtab + d->d_un.d_val) : NULL;
		if (name && (!strcmp(name, n->file) || (n->soname && !strcmp(name, n->soname))))
			n->found = true;
	}
	return n->found;
}

static bool needed_by_another(uint32_t module)
{
	uintptr_t bias;
	const char *path = tsw_module_path(module, &bias);
	if (!path)
		return true;              /* in doubt */
	struct need n = { base_name(path), NULL, bias, false };
	dl_iterate_phdr(soname_of, &n);
	dl_iterate_phdr(needs, &n);
	return n.found;
}

void tsw_pin_closed(uint32_t module, uint32_t dlclose_stack)
{
	if (tsw_module_unloaded(module) || needed_by_another(module))
		return;
	uint64_t threads = 0, serial = 0;
	uint32_t create_stack = 0;
	pthread_mutex_lock(&tsw_reg_lock);
	for (struct tsw_thread *t = tsw_threads; t; t = t->next) {
		if (t->state == TSW_FINISHED || !holds(t, module) || threads++)
			continue;
		serial = t->serial;
		create_stack = t->create_stack;
	}
	pthread_mutex_unlock(&tsw_reg_lock);
	if (!threads)
		return;
	uintptr_t bias;
	struct tsw_stack_ref st[] = { { "dlclose", dlclose_stack, 0 },
				      { "thread_create", create_stack, 0 } };
	tsw_finding(TSW_KIND_MODULE_PINNED, serial, 0, 0, threads, tsw_module_path(module, &bias),
		    st, 2);
}

void tsw_pin_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
}
