/* A daemon-like host: closes every descriptor it did not open, then puts a
 * file of its own on the numbers 100-110, where a preload would keep its
 * log, and leaks a value so that tsswatch has records to write. */
#include <fcntl.h>
#include <string.h>
#include "common.h"

static pthread_key_t key;

static void *worker(void *arg)
{
	(void)arg;
	pthread_setspecific(key, xmalloc(8)); /* REUSE-SET */
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	close_range(3, ~0U, 0);
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	for (int n = 100; n <= 110; n++)
		dup2(fd, n);
	close(fd);
	if (write(100, "mine\n", 5) != 5)
		return 1;
	pthread_t t;
	pthread_key_create(&key, NULL);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	return 0;
}
