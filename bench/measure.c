/* measure OUT COMMAND [ARG...]: runs COMMAND and writes to OUT one line,
 * "SECONDS PEAK_KB STATUS": its wall time, the peak resident memory of the
 * largest process of its tree that was waited for (wait4's ru_maxrss takes
 * the maximum over the child and its reaped descendants), and its exit
 * status (128 + the signal when killed).  bench/real times the real
 * programs with it: GNU time is not installed everywhere. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: measure OUT COMMAND [ARG...]\n", stderr);
		return 2;
	}
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "measure: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "measure: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
			return 2;
		}
	double t = now() - t0;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	FILE *out = fopen(argv[1], "w");
	if (!out || fprintf(out, "%.3f %ld %d\n", t, ru.ru_maxrss, code) < 0 || fclose(out)) {
		fprintf(stderr, "measure: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	return code;
}
