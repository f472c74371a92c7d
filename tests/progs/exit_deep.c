/* Bug: a worker leaks in a key, then leaves by pthread_exit three calls
 * deep; another is cancelled while blocked, holding a leaked value too. */
#include "common.h"

static pthread_key_t key;
static int fds[2];

static void level3(void)
{
	pthread_setspecific(key, xmalloc(8)); /* DEEP-SET */
	pthread_exit(NULL);
}
static void level2(void) { level3(); }
static void level1(void) { level2(); }

static void *exiter(void *arg)
{
	(void)arg;
	level1();
	return NULL;
}

static void *blocker(void *arg)
{
	char c;
	(void)arg;
	pthread_setspecific(key, xmalloc(8)); /* CANCEL-SET */
	return (void *)(long)read(fds[0], &c, 1);
}

int main(void)
{
	pthread_t a, b;
	if (pipe(fds))
		return 1;
	pthread_key_create(&key, NULL);
	pthread_create(&a, NULL, exiter, NULL);
	pthread_create(&b, NULL, blocker, NULL);
	pthread_join(a, NULL);
	pthread_cancel(b);
	pthread_join(b, NULL);
	pthread_key_delete(key);
	return 0;
}
