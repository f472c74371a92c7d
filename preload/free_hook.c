/* free() and realloc(), watched for the values a finished thread dropped
 * (lost.c): while none is pending, a call costs one load and a branch more
 * than the allocator's own.
 *
 * The real functions are the next definitions after this library in the
 * link map, which is where a host's own allocator preloaded after tsswatch
 * (jemalloc, tcmalloc) sits: glibc's free given their pointers would
 * crash.  They are not found with dlsym, which allocates (and so frees,
 * here), and free is called before our constructor runs (by the loader and
 * other libraries' constructors): each is looked up, at its first call, in
 * the dynamic symbol tables of the modules that follow ours in the link
 * map (found with dladdr1, which allocates nothing; not dl_iterate_phdr,
 * which ThreadSanitizer intercepts and cannot serve before it started). */
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>

#include "tsw.h"

/* ThreadSanitizer's runtime frees before it is ready: in a build with TSan
 * (make tsan) nothing on the way to the real free is instrumented, and no
 * libc function it intercepts is called. */
#define NO_TSAN __attribute__((no_sanitize("thread")))

typedef void free_fn(void *);
typedef void *realloc_fn(void *, size_t);

static free_fn *next_free;
static realloc_fn *next_realloc;

NO_TSAN static uint32_t gnu_hash(const char *s)
{
	uint32_t h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

NO_TSAN static uint32_t sysv_hash(const char *s)
{
	uint32_t h = 0;
	for (; *s; s++) {
		h = (h << 4) + (unsigned char)*s;
		uint32_t g = h & 0xf0000000u;
		h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

/* One module's dynamic symbol tables.  The loader has made their
 * addresses absolute on most targets, not on all: one below the load
 * address is taken as relative. */
struct dynsyms {
	uintptr_t base;
	const ElfW(Sym) *sym;
	const char *str;
	const uint32_t *gnu, *sysv;
	const ElfW(Half) *versym;
};

NO_TSAN static bool dynsyms_of(const struct link_map *lm, struct dynsyms *d)
{
	*d = (struct dynsyms){ .base = lm->l_addr };
	for (const ElfW(Dyn) *dyn = lm->l_ld; dyn && dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = dyn->d_un.d_ptr;
		const void *a = (const void *)(p < d->base ? d->base + p : p);
		switch (dyn->d_tag) {
		case DT_SYMTAB: d->sym = a; break;
		case DT_STRTAB: d->str = a; break;
		case DT_GNU_HASH: d->gnu = a; break;
		case DT_HASH: d->sysv = a; break;
		case DT_VERSYM: d->versym = a; break;
		}
	}
	return d->sym && d->str && (d->gnu || d->sysv);
}

/* Symbol IX if it is NAME's default definition: a function defined here,
 * not a hidden (non-default) version. */
NO_TSAN static void *defined(const struct dynsyms *d, uint32_t ix, const char *name)
{
	const ElfW(Sym) *s = &d->sym[ix];
	if (s->st_shndx == SHN_UNDEF || !s->st_value || ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
	    (d->versym && (d->versym[ix] & 0x8000)))
		return NULL;
	const char *n = d->str + s->st_name;
	while (*n && *n == *name)
		n++, name++;
	if (*n != *name)
		return NULL;
	return (void *)(d->base + s->st_value);
}

NO_TSAN static void *lookup(const struct dynsyms *d, const char *name)
{
	if (d->gnu) {
		uint32_t nbuckets = d->gnu[0], symoffset = d->gnu[1], bloom_size = d->gnu[2];
		const uint32_t *buckets = (const uint32_t *)((const ElfW(Addr) *)&d->gnu[4] + bloom_size);
		const uint32_t *chain = buckets + nbuckets;
		uint32_t h = gnu_hash(name);
		if (!nbuckets)
			return NULL;
		for (uint32_t ix = buckets[h % nbuckets]; ix >= symoffset; ix++) {
			uint32_t hh = chain[ix - symoffset];
			void *f = (hh | 1) == (h | 1) ? defined(d, ix, name) : NULL;
			if (f)
				return f;
			if (hh & 1)
				break;
		}
		return NULL;
	}
	uint32_t nbucket = d->sysv[0];
	const uint32_t *bucket = &d->sysv[2], *chain = bucket + nbucket;
	if (!nbucket)
		return NULL;
	for (uint32_t ix = bucket[sysv_hash(name) % nbucket]; ix; ix = chain[ix]) {
		void *f = defined(d, ix, name);
		if (f)
			return f;
	}
	return NULL;
}

/* Not found (no module after ours defines it: cannot happen with glibc,
 * whose libc comes after every preload): glibc's own. */
NO_TSAN static void *resolve_next(const char *name, void *fallback, void **slot)
{
	struct link_map *lm = NULL;
	Dl_info info;
	void *f = NULL;
	if (dladdr1((void *)&resolve_next, &info, (void **)&lm, RTLD_DL_LINKMAP) && lm)
		for (lm = lm->l_next; lm && !f; lm = lm->l_next) {
			struct dynsyms d;
			if (dynsyms_of(lm, &d))
				f = lookup(&d, name);
		}
	if (!f)
		f = fallback;
	__atomic_store_n(slot, f, __ATOMIC_RELEASE);
	return f;
}

extern void __libc_free(void *);
extern void *__libc_realloc(void *, size_t);

/* Both kept out of the hooks, so that their fast path needs no frame. */
static NO_TSAN __attribute__((noinline, cold)) void free_slow(void *p)
{
	if (tsw_lost_pending > 0)
		tsw_lost_freed(p);
	free_fn *f = __atomic_load_n(&next_free, __ATOMIC_ACQUIRE);
	if (!f)
		f = resolve_next("free", (void *)__libc_free, (void **)&next_free);
	f(p);
}

static NO_TSAN __attribute__((noinline, cold)) void *realloc_slow(void *p, size_t n)
{
	realloc_fn *f = __atomic_load_n(&next_realloc, __ATOMIC_ACQUIRE);
	if (!f)
		f = resolve_next("realloc", (void *)__libc_realloc, (void **)&next_realloc);
	if (tsw_lost_pending <= 0 || !p)
		return f(p, n);
	void *q = f(p, n);
	if (q != p && (q || !n))     /* the old block was freed */
		tsw_lost_freed(p);
	return q;
}

TSW_API NO_TSAN void free(void *p)
{
	free_fn *f = __atomic_load_n(&next_free, __ATOMIC_ACQUIRE);
	if (TSW_LIKELY(f != NULL && tsw_lost_pending <= 0))
		f(p);
	else
		free_slow(p);
}

TSW_API NO_TSAN void *realloc(void *p, size_t n)
{
	realloc_fn *f = __atomic_load_n(&next_realloc, __ATOMIC_ACQUIRE);
	if (TSW_LIKELY(f != NULL && tsw_lost_pending <= 0))
		return f(p, n);
	return realloc_slow(p, n);
}
