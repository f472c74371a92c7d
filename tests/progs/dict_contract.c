/* Every function of <tsswatch.h> against its contract; prints one line per
 * check and the destructor calls it saw. */
#include <errno.h>
#include <string.h>
#include <tsswatch.h>
#include "common.h"

static int dtor_calls;
static void count_dtor(void *p) { (void)p; dtor_calls++; }

#define CHECK(what, cond) printf("%s: %s\n", what, (cond) ? "ok" : "FAILED")

static void *serial_of(void *arg)
{
	*(uint64_t *)arg = tsswatch_thread_serial();
	return NULL;
}

static void *fill(void *arg)
{
	(void)arg;
	tsswatch_set("x", &dtor_calls, count_dtor);
	return NULL;
}

static void *look(void *arg)
{
	*(int *)arg = tsswatch_get("x") == NULL && tsswatch_count() == 0;
	return NULL;
}

int main(void)
{
	static int a, b, c;
	CHECK("empty", tsswatch_count() == 0 && tsswatch_get("a") == NULL);
	CHECK("set", tsswatch_set("a", &a, count_dtor) == 0 && tsswatch_get("a") == &a);
	CHECK("same value keeps", tsswatch_set("a", &a, count_dtor) == 0 && dtor_calls == 0);
	CHECK("replace runs old destructor",
	      tsswatch_set("a", &b, count_dtor) == 0 && dtor_calls == 1 && tsswatch_get("a") == &b);
	CHECK("null name", tsswatch_set(NULL, &a, NULL) == EINVAL);
	CHECK("remove", tsswatch_remove("a") == 0 && dtor_calls == 2 && tsswatch_count() == 0);
	CHECK("remove absent", tsswatch_remove("a") == ENOENT);
	CHECK("remove null", tsswatch_remove(NULL) == ENOENT && tsswatch_get(NULL) == NULL);

	char *long_name = xmalloc(100001);
	memset(long_name, 'n', 100000);
	long_name[100000] = 0;
	CHECK("long name", tsswatch_set(long_name, &c, NULL) == 0 && tsswatch_get(long_name) == &c);
	long_name[99999] = 'm';
	CHECK("names differ", tsswatch_get(long_name) == NULL);
	free(long_name);

	char name[16];
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "e%d", i);
		tsswatch_set(name, &a, count_dtor);
	}
	CHECK("count", tsswatch_count() == 101);
	for (int i = 0; i < 100; i += 2) {
		snprintf(name, sizeof name, "e%d", i);
		tsswatch_remove(name);
	}
	int found = 0;
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "e%d", i);
		found += tsswatch_get(name) == &a;
	}
	CHECK("remove keeps the others", found == 50 && tsswatch_count() == 51);
	dtor_calls = 0;
	tsswatch_clear();
	CHECK("clear", tsswatch_count() == 0 && dtor_calls == 50);

	uint64_t s1, s2;
	pthread_t t;
	pthread_create(&t, NULL, serial_of, &s1);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, serial_of, &s2);
	pthread_join(t, NULL);
	CHECK("serials", tsswatch_thread_serial() == 1 && s1 > 1 && s2 > s1);

	pthread_t first, second;
	int fresh = 0;
	dtor_calls = 0;
	pthread_create(&first, NULL, fill, NULL);
	pthread_join(first, NULL);
	pthread_create(&second, NULL, look, &fresh);
	pthread_join(second, NULL);
	CHECK("a new thread starts empty", fresh && dtor_calls == 1);
	printf("same pthread_t: %s\n", pthread_equal(first, second) ? "yes" : "no");
	return 0;
}
