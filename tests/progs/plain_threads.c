/* An ordinary clean program: four threads store values with a destructor
 * and are joined.  Built static and set-user-ID too. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_key_t key;
static int destructed;

static void dtor(void *p)
{
	__atomic_fetch_add(&destructed, 1, __ATOMIC_RELAXED);
	free(p);
}

static void *worker(void *arg)
{
	pthread_setspecific(key, arg);
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	pthread_key_create(&key, dtor);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, malloc(32));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	pthread_key_delete(key);
	printf("destructors: %d, euid==uid: %d\n", destructed, geteuid() == getuid());
	return 0;
}
