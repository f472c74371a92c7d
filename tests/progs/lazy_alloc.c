/* An allocator that initialises lazily, as jemalloc does: its first
 * malloc creates a key and registers fork handlers, and a malloc that
 * re-enters that start-up runs it again (jemalloc did, registering its
 * handlers twice).  Its prepare handler takes a plain mutex, so handlers
 * registered twice deadlock the next fork: a preload that allocates
 * inside a hook the start-up calls makes fork hang.  Memory comes from
 * glibc's own functions. */
#include <pthread.h>
#include <stddef.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static pthread_mutex_t arena = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t cache;
static int started;

static void prepare(void) { pthread_mutex_lock(&arena); }
static void parent(void) { pthread_mutex_unlock(&arena); }
static void child(void) { pthread_mutex_init(&arena, NULL); }
static void drop_cache(void *p) { (void)p; }

static void start(void)
{
	if (__atomic_load_n(&started, __ATOMIC_ACQUIRE) == 2)
		return;
	__atomic_store_n(&started, 1, __ATOMIC_RELAXED);
	pthread_key_create(&cache, drop_cache);
	pthread_atfork(prepare, parent, child);
	__atomic_store_n(&started, 2, __ATOMIC_RELEASE);
}

/* jemalloc starts from its constructor too, which can run before the
 * preload's own. */
__attribute__((constructor)) static void start_early(void) { start(); }

void *malloc(size_t n) { start(); return __libc_malloc(n); }
void *calloc(size_t n, size_t m) { start(); return __libc_calloc(n, m); }
void *realloc(void *p, size_t n) { start(); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
