/* Stacks through libc's static functions: the worker's set passes through
 * start_thread and clone3, main's key create through
 * __libc_start_call_main.  Without libc6-dbg, libc's symbol table has none
 * of them, and addr2line named them after the exported symbol before
 * (pthread_condattr_setpshared, __xmknodat, __libc_init_first).
 * The buffer is lost: tsd-leak.  With "clean", the worker frees it and
 * clears the key first: nothing to report. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_key_t key;
static int clean;

static void *worker(void *arg)
{
	char *buffer = malloc(64);

	(void)arg;
	strcpy(buffer, "scratch");
	pthread_setspecific(key, buffer); /* SET */
	if (clean) {
		pthread_setspecific(key, NULL);
		free(buffer);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	clean = argc > 1 && !strcmp(argv[1], "clean");
#ifdef REBUILT
	/* a second build differs in code, so in build-id too */
	clean = clean || getenv("TSW_TEST_NEVER_SET") != NULL;
#endif
	pthread_key_create(&key, NULL); /* CREATE */
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	return 0;
}
