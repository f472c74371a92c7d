/* A thread leaks a value and is joined, another blocks; then the process
 * SIGKILLs itself: its log ends without an X record. */
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

int main(void)
{
	pthread_t t, b;
	if (pipe(fds))
		return 1;
	pthread_key_create(&key, NULL);
	pthread_create(&t, NULL, leaker, xmalloc(16));
	pthread_join(t, NULL);
	pthread_create(&b, NULL, blocked, NULL);
	printf("killing myself\n");
	fflush(stdout);
	kill(getpid(), SIGKILL);
	return 0;
}
