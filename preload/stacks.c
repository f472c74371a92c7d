/* One stack per call site.  A full backtrace costs microseconds, so a stack
 * is captured the first time a call site (the hook's return address) is
 * seen and its id reused after that: the first path that reached a site
 * stands for every later one.  Look-ups are lock-free (open addressing,
 * entries published with a release store); only a new site takes the lock,
 * after capturing with no lock held (the unwinder takes the loader's). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "tsw.h"

#define SITES (1u << TSW_SITE_BITS)

struct tsw_site *tsw_sites;
static char **lines;             /* S records by stack id, to log again in a fork child */
static uint32_t nstacks;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void tsw_stacks_init(void)
{
	struct tsw_site *sites = mmap(NULL, sizeof *tsw_sites * SITES, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	lines = mmap(NULL, sizeof *lines * SITES, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sites != MAP_FAILED && lines != MAP_FAILED)
		tsw_sites = sites;       /* hooks look at it without a lock */
}

static struct tsw_site *find(uintptr_t pc, uint32_t *free_slot)
{
	for (uint32_t i = tsw_site_hash(pc), n = 0; n < SITES; i = (i + 1) & (SITES - 1), n++) {
		uintptr_t p = __atomic_load_n(&tsw_sites[i].pc, __ATOMIC_ACQUIRE);
		if (p == pc)
			return &tsw_sites[i];
		if (!p) {
			*free_slot = i;
			return NULL;
		}
	}
	*free_slot = SITES;
	return NULL;
}

uint32_t tsw_stack_seen(uintptr_t pc)
{
	uint32_t free_slot;
	const struct tsw_site *s = tsw_sites && pc ? find(pc, &free_slot) : NULL;
	return s ? s->stack : 0;
}

/* The S record of the current stack, without frames of hidden modules
 * (ours, a sanitizer's runtime).  FRAMES has room for stack_depth + 8
 * addresses. */
static void capture(struct tsw_rec *r, uintptr_t pc, void **frames)
{
	frames[0] = (void *)pc;
	int n = tsw_unwind(frames, tsw_opt.stack_depth + 8);
	if (n == 0)
		n = 1;                   /* no unwind table: the call site alone */
	int kept = 0;
	for (int i = 0; i < n && kept < tsw_opt.stack_depth; i++) {
		uintptr_t a = (uintptr_t)frames[i], off;
		uint32_t m = tsw_module_of(a, &off);
		if (tsw_module_hidden(m))
			continue;
		char buf[48];
		size_t len = tsw_fmt_dec(buf, m);
		buf[len++] = ':';
		len += tsw_fmt_hex(buf + len, off);
		buf[len] = 0;
		tsw_rec_raw(r, " ");
		tsw_rec_raw(r, buf);
		kept++;
	}
}

/* A call site seen for the first time: its stack is captured and logged.
 * The record and the frames take up to 10 KiB with stack_depth at its
 * maximum: they are allocated, not put on a host thread's stack, which
 * may be small. */
__attribute__((noinline, cold)) static struct tsw_site *new_site(uintptr_t pc)
{
	uint32_t free_slot = SITES;   /* set by find(); said for gcc -O3 */
	struct tsw_site *s;
	int saved = errno;
	uintptr_t offset;
	uint32_t module = tsw_module_of(pc, &offset);
	size_t nframes = (size_t)tsw_opt.stack_depth + 8;
	size_t size = TSW_LOG_LINE_MAX + nframes * sizeof(void *);
	char *space = tsw_alloc(size);
	if (!space) {
		errno = saved;
		return NULL;
	}
	struct tsw_rec r = { 0, TSW_LOG_LINE_MAX, space };
	tsw_rec_start(&r, TSW_REC_STACK);
	tsw_rec_raw(&r, " ");
	size_t id_at = r.n;              /* the id goes here, once known */
	capture(&r, pc, (void **)(space + TSW_LOG_LINE_MAX));

	pthread_mutex_lock(&lock);
	s = find(pc, &free_slot);
	if (!s && free_slot < SITES && nstacks < SITES / 4 * 3) {
		uint32_t id = ++nstacks;
		char num[12];
		size_t len = tsw_fmt_dec(num, id);
		memmove(r.b + id_at + len, r.b + id_at, r.n - id_at);
		memcpy(r.b + id_at, num, len);
		r.n += len;
		char *copy = tsw_alloc(r.n + 1);
		if (copy) {
			memcpy(copy, r.b, r.n);
			lines[id] = copy;
		}
		tsw_rec_end(&r);
		s = &tsw_sites[free_slot];
		s->stack = id;
		s->module = module;
		s->hidden = tsw_module_hidden(module);
		__atomic_store_n(&s->pc, pc, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&lock);
	tsw_free(space, size);
	errno = saved;
	return s;
}

struct tsw_site *tsw_site_of(uintptr_t pc)
{
	struct tsw_site *s = tsw_site_cached(pc);
	return TSW_LIKELY(s != NULL) ? s : tsw_site_probe(pc);
}

uint32_t tsw_stack_of(uintptr_t pc)
{
	struct tsw_site *s = tsw_site_of(pc);
	return s ? s->stack : 0;
}

struct tsw_site *tsw_site_probe(uintptr_t pc)
{
	uint32_t free_slot;
	if (TSW_UNLIKELY(!tsw_sites))
		return NULL;
	struct tsw_site *s = find(pc, &free_slot);
	return TSW_LIKELY(s != NULL) ? s : new_site(pc);
}

int tsw_stack_lacks_module(uint32_t stack, uint32_t module)
{
	pthread_mutex_lock(&lock);
	const char *line = stack && stack <= nstacks ? lines[stack] : NULL;
	pthread_mutex_unlock(&lock);
	if (!line)
		return -1;              /* a line never changes once there */
	int frames = 0;
	/* "S id m:off m:off ...": each frame's module is the number after a space */
	for (const char *p = strchr(line + 2, ' '); p; p = strchr(p + 1, ' ')) {
		uint32_t m = 0;
		const char *q = p + 1;
		for (; *q >= '0' && *q <= '9'; q++)
			m = m * 10 + (uint32_t)(*q - '0');
		if (*q != ':')
			break;
		if (m == module)
			return -1;
		frames++;
	}
	return frames;
}

void tsw_stacks_relog(void)
{
	char *space = tsw_alloc(TSW_LOG_LINE_MAX);
	for (uint32_t id = 1; space && id <= nstacks; id++) {
		if (!lines[id])
			continue;
		struct tsw_rec r = { strlen(lines[id]), TSW_LOG_LINE_MAX, space };
		memcpy(r.b, lines[id], r.n);
		tsw_rec_end(&r);
	}
	tsw_free(space, TSW_LOG_LINE_MAX);
}

void tsw_stacks_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
}
