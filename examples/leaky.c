/* A worker keeps a buffer in a key created without a destructor: when the
 * thread ends, glibc drops the value and the buffer leaks (tsd-leak). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_key_t buffer_key;

static void *worker(void *arg)
{
	(void)arg;
	char *buffer = malloc(256);
	strcpy(buffer, "per-thread scratch space");
	pthread_setspecific(buffer_key, buffer);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_key_create(&buffer_key, NULL);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(buffer_key);
	puts("worker done");
	return 0;
}
