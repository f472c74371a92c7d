/* Memory of our own, from mmap: the host's malloc may be in the middle of
 * a call (we run inside its key destructors, signal handlers and fork
 * children) or may itself be built on keys.  Power-of-two size classes with
 * free lists; large blocks are mapped whole. */
#include <string.h>
#include <sys/mman.h>

#include "tsw.h"

#define MIN_SHIFT 4
#define MAX_SHIFT 16                    /* classes of 16 B .. 64 KiB */
#define CHUNK (1u << 20)

struct free_block { struct free_block *next; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct free_block *free_list[MAX_SHIFT + 1];
static char *chunk, *chunk_end;

static unsigned class_of(size_t size)
{
	unsigned s = MIN_SHIFT;
	while (((size_t)1 << s) < size)
		s++;
	return s;
}

static void *map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void *tsw_alloc(size_t size)
{
	if (size > ((size_t)1 << MAX_SHIFT))
		return map(size);              /* zeroed by the kernel */
	unsigned c = class_of(size);
	size_t bytes = (size_t)1 << c;
	void *p = NULL;
	pthread_mutex_lock(&lock);
	if (free_list[c]) {
		p = free_list[c];
		free_list[c] = free_list[c]->next;
	} else {
		if (!chunk || (size_t)(chunk_end - chunk) < bytes) {
			chunk = map(CHUNK);    /* the rest of the old chunk is lost: small */
			chunk_end = chunk ? chunk + CHUNK : NULL;
		}
		if (chunk) {
			p = chunk;
			chunk += bytes;
		}
	}
	pthread_mutex_unlock(&lock);
	if (p)
		memset(p, 0, size);      /* callers use SIZE bytes: the rest may be stale */
	return p;
}

void tsw_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size > ((size_t)1 << MAX_SHIFT)) {
		munmap(p, size);
		return;
	}
	unsigned c = class_of(size);
	pthread_mutex_lock(&lock);
	((struct free_block *)p)->next = free_list[c];
	free_list[c] = p;
	pthread_mutex_unlock(&lock);
}

void tsw_alloc_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
}
