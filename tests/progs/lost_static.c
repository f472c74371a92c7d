/* Values that are no memory of their own: a worker keeps pointers to its
 * slot of a static array, to a local of main's stack and to its own
 * __thread variable in keys with no destructor.  With "leak" it also
 * keeps a malloc'd block in another key: that one is lost. */
#include "common.h"

#include <string.h>

static pthread_key_t slot_key, stack_key, tls_key, heap_key;
static int slots[2][16];
static __thread int mine[4];
static int leak;

static void *worker(void *arg)
{
	int i = *(int *)arg;
	pthread_setspecific(slot_key, &slots[i]);
	pthread_setspecific(stack_key, arg);
	pthread_setspecific(tls_key, &mine[1]);
	if (leak)
		pthread_setspecific(heap_key, xmalloc(24)); /* HEAP-SET */
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[2];
	int ids[2] = { 0, 1 };
	leak = argc > 1 && !strcmp(argv[1], "leak");
	pthread_key_create(&slot_key, NULL);
	pthread_key_create(&stack_key, NULL);
	pthread_key_create(&tls_key, NULL);
	pthread_key_create(&heap_key, NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &ids[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(slot_key);
	pthread_key_delete(stack_key);
	pthread_key_delete(tls_key);
	pthread_key_delete(heap_key);
	return 0;
}
