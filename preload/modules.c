/* The module map: every executable and shared object with its load bias
 * and address range, so stacks are logged as module:offset and a module's
 * unloading (dlclose) is known, for key-leak and for symbolizing stacks of
 * modules that are gone.  The loader is asked (dl_iterate_phdr) with no
 * lock of ours held; the table is then merged under our lock. */
#include <errno.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

#include "tsw.h"

#define MAX_MODULES TSW_MODULES_MAX
#define SNAP_MAX 512
#define BUILD_ID_MAX (TSW_BUILD_ID_HEX_MAX / 2) /* longer ones (rare) are logged as none */

struct module {
	uintptr_t bias, lo, hi;
	char *path;
	unsigned char build_id[BUILD_ID_MAX];
	uint8_t build_id_len;     /* 0: the module has none */
	uint32_t unload_seq;      /* the how-manieth unload it was; 0: loaded */
	bool unloaded, seen;
	bool hidden;              /* tsswatch itself, or a sanitizer's runtime */
	bool c_runtime;           /* libc or the loader */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct module mods[MAX_MODULES + 1];     /* by id; 0 unused */
static uint32_t nmods;                          /* written under LOCK, with release */
static uint32_t unloads;                        /* under LOCK */

/* Modules whose frames and keys are not the program's: ours, and the
 * sanitizers' runtimes, which run inside the program around its calls. */
static bool is_hidden(const char *path, uintptr_t lo, uintptr_t hi)
{
	static const char *const runtimes[] = { TSW_SANITIZER_RUNTIMES };
	uintptr_t me = (uintptr_t)&is_hidden;
	if (me >= lo && me < hi)
		return true;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof runtimes / sizeof *runtimes; i++)
		if (strncmp(base, runtimes[i], strlen(runtimes[i])) == 0)
			return true;
	return false;
}

/* Whether PATH is the C runtime's (TSW_C_RUNTIMES: names, or prefixes
 * ending in '*'). */
static bool is_c_runtime(const char *path)
{
	static const char *const names[] = { TSW_C_RUNTIMES };
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		size_t n = strlen(names[i]);
		bool prefix = n && names[i][n - 1] == '*';
		if (prefix ? strncmp(base, names[i], n - 1) == 0 : strcmp(base, names[i]) == 0)
			return true;
	}
	return false;
}

struct snap {
	uintptr_t bias, lo, hi;
	char path[256];
	unsigned char build_id[BUILD_ID_MAX];
	uint8_t build_id_len;
	bool relative;            /* loaded by a relative path: matched by address */
};
struct snapshot { struct snap s[SNAP_MAX]; int n; };

/* The GNU build-id note of a mapped module, read from its PT_NOTE segments
 * in memory, so the CLI can tell whether the file it symbolizes is the one
 * that ran (a rebuilt library has the same path, not the same build-id). */
static void find_build_id(const struct dl_phdr_info *info, struct snap *s)
{
	s->build_id_len = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		size_t align = ph->p_align == 8 ? 8 : 4;
		const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			size_t name = (n->n_namesz + align - 1) & ~(align - 1);
			size_t desc = (n->n_descsz + align - 1) & ~(align - 1);
			const unsigned char *d = p + sizeof *n + name;
			if (name > (size_t)(end - p) || desc > (size_t)(end - d))
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(p + sizeof *n, "GNU", 4) == 0) {
				if (n->n_descsz > 0 && n->n_descsz <= BUILD_ID_MAX) {
					memcpy(s->build_id, d, n->n_descsz);
					s->build_id_len = (uint8_t)n->n_descsz;
				}
				return;
			}
			p = d + desc;
		}
	}
}

static int collect(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct snapshot *ss = arg;
	if (ss->n == SNAP_MAX)
		return 1;
	struct snap *s = &ss->s[ss->n];
	const char *name = info->dlpi_name;
	if (!name || !*name) {
		if (ss->n != 0)
			return 0;         /* only the first nameless one is the executable */
		ssize_t n = readlink("/proc/self/exe", s->path, sizeof s->path - 1);
		s->path[n > 0 ? n : 0] = 0;
	} else if (!strchr(name, '/')) {
		return 0;                 /* the vDSO: no file to symbolize */
	} else if (name[0] != '/') {
		/* dlopen("./plugin.so") keeps the name as given: made absolute
		 * from the working directory now, right after the dlopen */
		size_t n = strlen(name);
		if (name[0] == '.' && name[1] == '/')
			name += 2, n -= 2;
		if (n + 2 >= sizeof s->path || !getcwd(s->path, sizeof s->path - n - 1))
			return 0;
		size_t at = strlen(s->path);
		s->path[at] = '/';
		memcpy(s->path + at + 1, name, n + 1);
	} else {
		size_t n = strlen(name);
		if (n >= sizeof s->path)
			n = sizeof s->path - 1;
		memcpy(s->path, name, n);
		s->path[n] = 0;
	}
	s->relative = name && *name && name[0] != '/';
	s->bias = info->dlpi_addr;
	s->lo = UINTPTR_MAX;
	s->hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t a = s->bias + ph->p_vaddr;
		if (a < s->lo)
			s->lo = a;
		if (a + ph->p_memsz > s->hi)
			s->hi = a + ph->p_memsz;
	}
	if (s->path[0] && s->lo < s->hi) {
		find_build_id(info, s);
		ss->n++;
	}
	return 0;
}

static void log_module(uint32_t id)
{
	TSW_REC(r, TSW_BUF_MEDIUM);
	tsw_rec_start(&r, TSW_REC_MODULE);
	tsw_rec_dec(&r, id);
	tsw_rec_hex(&r, mods[id].bias);
	tsw_rec_str(&r, mods[id].path);
	char hex[2 * BUILD_ID_MAX + 1] = "";     /* none: written "-" */
	for (int i = 0; i < mods[id].build_id_len; i++) {
		hex[2 * i] = "0123456789abcdef"[mods[id].build_id[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[mods[id].build_id[i] & 15];
		hex[2 * i + 2] = 0;
	}
	tsw_rec_str(&r, hex);
	tsw_rec_end(&r);
}

void tsw_modules_refresh(void)
{
	/* Too large for a thread's stack; no lock held while the loader runs. */
	struct snapshot *snapshot = tsw_alloc(sizeof *snapshot);
	if (!snapshot)
		return;
	dl_iterate_phdr(collect, snapshot);
	pthread_mutex_lock(&lock);
	for (uint32_t id = 1; id <= nmods; id++)
		mods[id].seen = false;
	for (int i = 0; i < snapshot->n; i++) {
		struct snap *s = &snapshot->s[i];
		uint32_t id;
		for (id = 1; id <= nmods; id++)
			if (!mods[id].unloaded && mods[id].bias == s->bias && mods[id].lo == s->lo &&
			    (s->relative || strcmp(mods[id].path, s->path) == 0))
				break;
		if (id > nmods) {
			if (nmods == MAX_MODULES)
				continue;
			size_t n = strlen(s->path) + 1;
			char *path = tsw_alloc(n);
			if (!path)
				continue;
			memcpy(path, s->path, n);
			id = nmods + 1;
			mods[id] = (struct module){ .bias = s->bias, .lo = s->lo, .hi = s->hi,
						    .path = path,
						    .build_id_len = s->build_id_len,
						    .hidden = is_hidden(s->path, s->lo, s->hi),
						    .c_runtime = is_c_runtime(s->path) };
			memcpy(mods[id].build_id, s->build_id, s->build_id_len);
			__atomic_store_n(&nmods, id, __ATOMIC_RELEASE);
			log_module(id);
		}
		mods[id].seen = true;
	}
	for (uint32_t id = 1; id <= nmods; id++) {
		if (mods[id].seen || mods[id].unloaded)
			continue;
		mods[id].unloaded = true;
		mods[id].unload_seq = ++unloads;
		TSW_REC(r, TSW_BUF_SMALL);
		tsw_rec_start(&r, TSW_REC_UNLOAD);
		tsw_rec_dec(&r, id);
		tsw_rec_end(&r);
	}
	pthread_mutex_unlock(&lock);
	tsw_free(snapshot, sizeof *snapshot);
}

static uint32_t lookup(uintptr_t addr)
{
	for (uint32_t id = nmods; id >= 1; id--)
		if (!mods[id].unloaded && addr >= mods[id].lo && addr < mods[id].hi)
			return id;
	return 0;
}

/* The module holding ADDR, refreshing the map once when none does (a
 * module the host loaded by a path we did not see, as libc's own NSS). */
uint32_t tsw_module_of(uintptr_t addr, uintptr_t *offset)
{
	pthread_mutex_lock(&lock);
	uint32_t id = lookup(addr);
	pthread_mutex_unlock(&lock);
	if (!id) {
		tsw_modules_refresh();
		pthread_mutex_lock(&lock);
		id = lookup(addr);
		pthread_mutex_unlock(&lock);
	}
	*offset = id ? addr - mods[id].bias : addr;
	return id;
}

bool tsw_module_unloaded(uint32_t id)
{
	pthread_mutex_lock(&lock);
	bool gone = id && id <= nmods && mods[id].unloaded;
	pthread_mutex_unlock(&lock);
	return gone;
}

/* Lock-free: a module's entry is complete before nmods counts it, and its
 * hidden flag never changes (key creates ask on every call). */
bool tsw_module_hidden(uint32_t id)
{
	return id && id <= __atomic_load_n(&nmods, __ATOMIC_ACQUIRE) && mods[id].hidden;
}

/* Lock-free, as tsw_module_hidden. */
bool tsw_module_c_runtime(uint32_t id)
{
	return id && id <= __atomic_load_n(&nmods, __ATOMIC_ACQUIRE) && mods[id].c_runtime;
}

int tsw_modules_unloaded_since(uint32_t *seen, struct tsw_range *out, int max)
{
	int n = 0;
	pthread_mutex_lock(&lock);
	uint32_t next = *seen;
	for (uint32_t id = 1; id <= nmods && n < max; id++) {
		if (mods[id].unload_seq != *seen + 1 + (uint32_t)n)
			continue;
		out[n++] = (struct tsw_range){ id, mods[id].lo, mods[id].hi };
		id = 0;               /* the next one may have a lower id */
	}
	next += (uint32_t)n;
	*seen = next;
	pthread_mutex_unlock(&lock);
	return n;
}

const char *tsw_module_path(uint32_t id, uintptr_t *bias)
{
	if (!id || id > __atomic_load_n(&nmods, __ATOMIC_ACQUIRE))
		return NULL;
	*bias = mods[id].bias;
	return mods[id].path;
}

void tsw_modules_relog(void)
{
	for (uint32_t id = 1; id <= nmods; id++) {
		log_module(id);
		if (mods[id].unloaded) {
			TSW_REC(r, TSW_BUF_SMALL);
			tsw_rec_start(&r, TSW_REC_UNLOAD);
			tsw_rec_dec(&r, id);
			tsw_rec_end(&r);
		}
	}
}

void tsw_modules_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
}
