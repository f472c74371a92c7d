/* Per-thread connections kept in tsswatch's tracked storage dictionary.
 * Each worker opens its connection once and finds it again by name; the
 * dictionary closes it when the thread finishes.  One worker also caches a
 * statement buffer and forgets to give it a destructor: dict-leak. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <tsswatch.h>

struct connection {
	unsigned long long owner;     /* the thread serial: never reused */
	int queries;
};

static void connection_close(void *p)
{
	free(p);
}

static struct connection *my_connection(void)
{
	struct connection *c = tsswatch_get("db.connection");
	if (!c) {
		c = calloc(1, sizeof *c);
		c->owner = tsswatch_thread_serial();
		tsswatch_set("db.connection", c, connection_close);
	}
	return c;
}

static void query(void)
{
	my_connection()->queries++;
}

static void *worker(void *arg)
{
	for (int i = 0; i < 3; i++)
		query();
	if (arg)
		tsswatch_set("statement.cache", malloc(128), NULL); /* forgot a destructor */
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, (void *)(size_t)(i == 2));
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	puts("3 workers ran 3 queries each");
	return 0;
}
