/* A thread is joined (with "leak": leaving a value in a key with no
 * destructor), another blocks; then the process SIGKILLs itself: its log
 * ends without an X record. */
#include <string.h>
#include "common.h"
#include <signal.h>

static pthread_key_t key;
static int fds[2];

static void *leaker(void *arg)
{
	pthread_setspecific(key, arg);          /* KILLED-LEAK */
	return NULL;
}

static void *blocked(void *arg)
{
	char c;
	(void)arg;
	return (void *)(long)read(fds[0], &c, 1);
}

int main(int argc, char **argv)
{
	pthread_t t, b;
	if (pipe(fds))
		return 1;
	pthread_key_create(&key, NULL);
	pthread_create(&t, NULL, leaker, argc > 1 && !strcmp(argv[1], "leak") ? xmalloc(16) : NULL);
	pthread_join(t, NULL);
	pthread_create(&b, NULL, blocked, NULL);
	printf("killing myself\n");
	fflush(stdout);
	kill(getpid(), SIGKILL);
	return 0;
}
