/* Prints the index of every key it creates, for a test to compare with a
 * run without tsswatch: the program must get the same indexes, tsswatch's
 * own key being at the highest index.
 *   thread-first: a thread comes and goes before the first key
 *   keys-first:   keys, then a thread, then more keys
 *   churn:        four threads take turns deleting and re-creating keys,
 *                 pthread and C11, with and without destructors
 *   fill:         after a thread, keys until none is left: under tsswatch
 *                 the highest index is one below glibc's last
 * The threads of "churn" take turns through a mutex and a condition
 * variable, so the order of creates and deletes is the same in every run. */
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <threads.h>
#include "common.h"

#define WORKERS 4
#define ROUNDS 6   /* above 3 */

static void dtor(void *v)
{
	(void)v;
}

static pthread_key_t make(void (*d)(void *))
{
	pthread_key_t k;
	if (pthread_key_create(&k, d) != 0)
		abort();
	return k;
}

static void thread_once(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, nothing, NULL) != 0)
		abort();
	pthread_join(t, NULL);
}

static void thread_first(void)
{
	thread_once();
	pthread_key_t a = make(NULL), b = make(dtor);
	printf("after a thread: %u %u\n", a, b);
	pthread_key_delete(a);
	pthread_key_t c = make(NULL);
	printf("re-created: %u\n", c);
	pthread_key_delete(b);
	pthread_key_delete(c);
}

static void keys_first(void)
{
	pthread_key_t a = make(NULL), b = make(dtor), c = make(NULL);
	printf("before a thread: %u %u %u\n", a, b, c);
	pthread_key_delete(b);
	thread_once();
	pthread_key_t d = make(dtor), e = make(NULL);
	printf("after a thread: %u %u\n", d, e);
	pthread_key_t keys[] = { a, c, d, e };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		pthread_key_delete(keys[i]);
}

static void fill(void)
{
	static pthread_key_t keys[PTHREAD_KEYS_MAX];
	unsigned n = 0, highest = 0;
	thread_once();
	while (n < PTHREAD_KEYS_MAX && pthread_key_create(&keys[n], NULL) == 0)
		if (keys[n++] > highest)
			highest = keys[n - 1];
	printf("created %u, highest %u\n", n, highest);
	for (unsigned i = 0; i < n; i++)
		pthread_key_delete(keys[i]);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int turn;
static pthread_key_t second[WORKERS];   /* each worker's second key */

/* Worker N's keys: in its turn of each round it deletes one of them and
 * creates another, alternating the API and the destructor, and sets a
 * value in the new one.  In round 3 it also deletes the next worker's
 * second key and makes itself a new one. */
static void *worker(void *arg)
{
	int n = (int)(intptr_t)arg;
	pthread_key_t mine[2];
	pthread_key_t *other = &second[(n + 1) % WORKERS];
	tss_t c11 = 0;
	bool have_c11 = false;
	for (int r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&lock);
		while (turn != r * WORKERS + n)
			pthread_cond_wait(&cond, &lock);
		char line[128];
		int len = snprintf(line, sizeof line, "round %d worker %d:", r, n);
		if (r == 0) {
			mine[0] = make(n % 2 ? dtor : NULL);
			mine[1] = second[n] = make(NULL);
			len += snprintf(line + len, sizeof line - len, " %u %u", mine[0], mine[1]);
		} else if (r % 2) {
			pthread_key_delete(mine[0]);
			mine[0] = make(r % 3 ? dtor : NULL);
			pthread_setspecific(mine[0], &turn);
			len += snprintf(line + len, sizeof line - len, " %u", mine[0]);
			if (r == 3) {
				pthread_key_delete(*other);
				mine[1] = make(dtor);
				len += snprintf(line + len, sizeof line - len, " %u", mine[1]);
			}
		} else {
			if (have_c11)
				tss_delete(c11);
			if (tss_create(&c11, n % 2 ? dtor : NULL) != thrd_success)
				abort();
			have_c11 = true;
			tss_set(c11, &turn);
			len += snprintf(line + len, sizeof line - len, " c11 %u", (unsigned)c11);
		}
		puts(line);
		turn++;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
	/* The last turn: every key deleted, in the same order in every run. */
	pthread_mutex_lock(&lock);
	while (turn != ROUNDS * WORKERS + n)
		pthread_cond_wait(&cond, &lock);
	pthread_setspecific(mine[0], NULL);
	pthread_key_delete(mine[0]);
	pthread_key_delete(mine[1]);
	if (have_c11) {
		tss_set(c11, NULL);
		tss_delete(c11);
	}
	turn++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void churn(void)
{
	pthread_key_t first = make(NULL);
	printf("main: %u\n", first);
	pthread_t t[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) != 0)
			abort();
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(first);
	pthread_key_t a = make(NULL), b = make(dtor);
	printf("main after: %u %u\n", a, b);
	pthread_key_delete(a);
	pthread_key_delete(b);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "thread-first"))
		thread_first();
	else if (!strcmp(mode, "keys-first"))
		keys_first();
	else if (!strcmp(mode, "churn"))
		churn();
	else if (!strcmp(mode, "fill"))
		fill();
	else
		return 2;
	return 0;
}
