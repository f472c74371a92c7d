/* Bug: a thread created 300 calls deep leaves a value in a key without a
 * destructor.  Its create stack is deeper than any --stack-depth a test
 * asks for, so the report shows exactly as many frames as asked. */
#include "common.h"

static pthread_key_t key;

static void *worker(void *arg)
{
	pthread_setspecific(key, xmalloc(8));
	return arg;
}

static __attribute__((noinline)) void descend(int n)
{
	if (n > 0) {
		descend(n - 1);
		__asm__ volatile("");    /* no tail call: every level keeps a frame */
		return;
	}
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL); /* DEEP-CREATE */
	pthread_join(t, NULL);
}

int main(void)
{
	pthread_key_create(&key, NULL);
	descend(300);
	pthread_key_delete(key);
	return 0;
}
