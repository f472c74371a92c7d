/* A run with something on every row of the timeline, in two processes:
 * three workers leave a value in a key without a destructor (one tsd-leak,
 * count 3), a key is deleted while a thread still holds a value in it
 * (delete-live), a thread is never joined (thread-leak), a key is never
 * deleted (key-leak), and a fork child leaks a value of its own.
 * argv[1], when given, names the workers (cut to 15 bytes by the kernel):
 * the html report must show it as text, whatever it holds. */
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>

#include "common.h"

static pthread_key_t plain, with_dtor, never_deleted;
static pthread_barrier_t held, deleted;
static const char *worker_name = "worker";

static void *worker(void *arg)
{
	pthread_setname_np(pthread_self(), worker_name);
	pthread_setspecific(plain, xmalloc(16));      /* LEAK-SET */
	pthread_setspecific(never_deleted, arg);
	return NULL;
}

static void *holder(void *arg)
{
	pthread_setname_np(pthread_self(), "holder");
	pthread_setspecific(with_dtor, xmalloc(16));
	pthread_barrier_wait(&held);
	pthread_barrier_wait(&deleted);
	return arg;
}

static pid_t forgotten_tid;

static void *forgotten(void *arg)
{
	pthread_setname_np(pthread_self(), "forgotten");
	__atomic_store_n(&forgotten_tid, gettid(), __ATOMIC_RELEASE);
	return arg;
}

static void child(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	_exit(0);
}

int main(int argc, char **argv)
{
	pthread_t t[3], h, f;
	if (argc > 1)
		worker_name = argv[1];
	pthread_key_create(&plain, NULL);
	pthread_key_create(&with_dtor, free);
	pthread_key_create(&never_deleted, NULL);
	pthread_barrier_init(&held, NULL, 2);
	pthread_barrier_init(&deleted, NULL, 2);

	for (int i = 0; i < 3; i++) {
		pthread_create(&t[i], NULL, worker, NULL);
		pthread_join(t[i], NULL);
	}
	pthread_create(&h, NULL, holder, NULL);
	pthread_barrier_wait(&held);
	pthread_key_delete(with_dtor);                  /* DELETE-LIVE */
	pthread_barrier_wait(&deleted);
	pthread_join(h, NULL);
	pthread_create(&f, NULL, forgotten, NULL);      /* THREAD-LEAK */
	while (!__atomic_load_n(&forgotten_tid, __ATOMIC_ACQUIRE))
		sched_yield();
	wait_gone(forgotten_tid);       /* finished, so a thread-leak and not running */

	pid_t pid = fork();
	if (pid == 0)
		child();
	waitpid(pid, NULL, 0);
	pthread_key_delete(plain);
	return 0;
}
