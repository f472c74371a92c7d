/* tsswatch run: run a program with libtsswatch.so preloaded, logging to a
 * private directory, then report on every process it started. */
#include "commands.h"
#include "report.h"
#include "tsswatch_shared.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { OPT_KEEP_LOGS = TSC_OPT_REPORT_END, OPT_STACK_DEPTH, OPT_CHECK_GET, OPT_REPORT_MAIN };

static const struct tsc_opt run_options[] = {
	{ "keep-logs", 0, true, OPT_KEEP_LOGS },
	{ "stack-depth", 0, true, OPT_STACK_DEPTH },
	{ "check-get", 0, false, OPT_CHECK_GET },
	{ "report-main", 0, false, OPT_REPORT_MAIN },
	{ 0 }
};

const char cmd_run_usage[] =
	"usage: tsswatch run [options] [--] COMMAND [ARG ...]\n"
	"\n"
	"Runs COMMAND with libtsswatch.so preloaded, then reports on every process\n"
	"it started (to standard error unless --output).  Exits with COMMAND's\n"
	"status, or the error exit code when a finding fails the check; 128 +\n"
	"the signal when COMMAND was killed, findings or not.\n"
	"\n"
	"options:\n"
	"  --keep-logs DIR            log to DIR and keep the logs\n"
	"  --stack-depth N            frames recorded per stack, 1 to "
	TSW_STRINGIFY(TSW_STACK_DEPTH_MAX) " (default " TSW_STRINGIFY(TSW_STACK_DEPTH_DEFAULT) ")\n"
	"  --check-get                also check getspecific (slower)\n"
	"  --report-main              report the main thread's values at exit\n"
	TSC_REPORT_OPTIONS_HELP;

struct run {
	char **cmd;
	const char *keep;       /* --keep-logs */
	int stack_depth;        /* 0: the preload's default */
	bool check_get, report_main;
	char *dir;              /* absolute */
	char **before;          /* logs already in a --keep-logs dir */
	int nbefore;
};

static bool usable(const char *path)
{
	return !access(path, R_OK);
}

/* TSSWATCH_LIB, else next to this executable (build tree, then an install
 * under any DESTDIR), else the configured LIBDIR.  Installed, the library is
 * looked for by its soname: the runtime package (libtsswatch0) has no
 * unversioned link, which belongs to the -dev package.  Absolute, as
 * LD_PRELOAD must be for a program that changes directory. */
static char *find_library(void)
{
	const char *env = getenv("TSSWATCH_LIB");
	char exe[PATH_MAX], *slash, *found = NULL;
	ssize_t n;

	if (env && *env) {
		if (!usable(env) || !(found = realpath(env, NULL)))
			tsc_error("TSSWATCH_LIB: %s: %s", env, strerror(errno));
	} else if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		const char *const rel[] = { "../preload/libtsswatch.so", "../lib/" TSW_SONAME };

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		*slash = '\0';
		for (size_t i = 0; i < sizeof rel / sizeof *rel && !found; i++) {
			char *path = tsc_asprintf("%s/%s", exe, rel[i]);

			if (usable(path))
				found = realpath(path, NULL);
			free(path);
		}
	}
	if (!found && !(env && *env)) {
		if (usable(TSW_LIBDIR "/" TSW_SONAME))
			found = realpath(TSW_LIBDIR "/" TSW_SONAME, NULL);
		else
			tsc_error("cannot find " TSW_SONAME " next to tsswatch or in " TSW_LIBDIR
				  "; set TSSWATCH_LIB");
	}
	if (found && strpbrk(found, " :")) {
		tsc_error("%s: LD_PRELOAD cannot carry a path with a space or colon", found);
		free(found);
		found = NULL;
	}
	return found;
}

static int make_dir(struct run *r)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	if (r->keep) {
		if (mkdir(r->keep, 0700) && errno != EEXIST)
			return tsc_error("%s: %s", r->keep, strerror(errno));
		dir = tsc_strdup(r->keep);
	} else {
		dir = tsc_asprintf("%s/tsswatch-run.XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			tsc_error("%s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	r->dir = realpath(dir, NULL);
	if (!r->dir)
		tsc_error("%s: %s", dir, strerror(errno));
	free(dir);
	if (!r->dir)
		return -1;
	if (strchr(r->dir, ':'))
		return tsc_error("%s: TSSWATCH_OPTIONS cannot carry a path with a colon", r->dir);
	/* a kept dir may hold earlier runs' logs: this run reports only its own */
	r->nbefore = r->keep ? tsc_list_logs(r->dir, &r->before) : 0;
	return r->nbefore < 0 ? -1 : 0;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	if (rmdir(dir))
		tsc_error("warning: cannot remove %s: %s", dir, strerror(errno));
}

/* The environment the program gets; ours first, the user's after. */
static void set_env(const struct run *r, const char *lib)
{
	const char *preload = getenv("LD_PRELOAD"), *user = getenv(TSW_OPTIONS_ENV);
	char depth[32] = "";
	char *s;

	if (r->stack_depth)
		snprintf(depth, sizeof depth, ":" TSW_OPT_STACK_DEPTH "=%d", r->stack_depth);
	s = tsc_asprintf(TSW_OPT_LOG_DIR "=%s:" TSW_OPT_QUIET "=1%s%s%s%s%s", r->dir, depth,
			 r->check_get ? ":" TSW_OPT_CHECK_GET "=1" : "",
			 r->report_main ? ":" TSW_OPT_REPORT_MAIN "=1" : "",
			 user && *user ? ":" : "", user && *user ? user : "");
	setenv(TSW_OPTIONS_ENV, s, 1);
	free(s);
	s = preload && *preload ? tsc_asprintf("%s %s", lib, preload) : tsc_strdup(lib);
	setenv("LD_PRELOAD", s, 1);
	free(s);
}

/* Like system(3): the program, not tsswatch, takes ^C and ^\ while it runs.
 * Whether exec worked comes back through a close-on-exec pipe: it closes
 * empty on success and carries errno on failure.  Returns 0 with the
 * program's pid and wait status, or the exit status tsswatch should end
 * with (127 not found, 126 not runnable, 2). */
static int spawn(const struct run *r, const char *lib, pid_t *pid, int *status)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int fds[2], err = 0;

	if (pipe2(fds, O_CLOEXEC))
		return tsc_error("pipe: %s", strerror(errno)), TSC_EXIT_USAGE;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	*pid = fork();
	if (*pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		close(fds[0]);
		set_env(r, lib);
		execvp(r->cmd[0], r->cmd);
		err = errno;
		(void)!write(fds[1], &err, sizeof err);
		_exit(127);
	}
	close(fds[1]);
	if (*pid < 0)
		err = errno;
	while (*pid > 0 && read(fds[0], &err, sizeof err) < 0 && errno == EINTR)
		;
	close(fds[0]);
	while (*pid > 0 && waitpid(*pid, status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (*pid < 0)
		return tsc_error("fork: %s", strerror(err)), TSC_EXIT_USAGE;
	if (err) {
		tsc_error("cannot run '%s': %s", r->cmd[0], strerror(err));
		return err == ENOENT ? 127 : 126;
	}
	return 0;
}

static bool seen_before(const struct run *r, const char *path)
{
	for (int i = 0; i < r->nbefore; i++)
		if (!strcmp(r->before[i], path))
			return true;
	return false;
}

/* Loads this run's logs: 0, 1 when the program wrote none (the preload
 * cannot enter a static or set-user-ID program: it ran unchecked), -1 on
 * error.  The program's own process is the one with its pid that did not
 * exec further; what wait(2) said about it is surer than a log cut short by
 * a signal. */
static int load(const struct run *r, pid_t pid, int status, struct tsc_processes *ps)
{
	char **paths;
	int n = tsc_list_logs(r->dir, &paths), nnew = 0, ret;

	for (int i = 0; i < n; i++)
		if (!seen_before(r, paths[i]))
			paths[nnew++] = paths[i];
		else
			free(paths[i]);
	if (n >= 0 && !nnew) {
		tsc_error("'%s' ran unchecked: it wrote no log (statically linked or set-user-ID?)",
			  r->cmd[0]);
		tsc_free_list(paths, 0);
		return 1;
	}
	ret = n >= 0 ? tsc_load_logs(ps, paths, nnew) : -1;
	tsc_free_list(paths, nnew);
	for (size_t i = ps->n; ret == 0 && i-- > 0; ) {
		struct tsc_process *p = ps->v[i];

		if (p->pid != (uint64_t)pid || p->how == TSC_END_EXEC)
			continue;
		if (WIFSIGNALED(status)) {
			p->how = TSC_END_SIGNAL;
			p->status = WTERMSIG(status);
		} else if (p->how == TSC_END_UNKNOWN) {
			p->how = TSC_END_EXIT;
			p->status = WEXITSTATUS(status);
		}
		break;
	}
	return ret;
}

static int parse(struct run *r, struct tsc_report_opts *o, int argc, char **argv)
{
	static const struct tsc_opt *const tables[] = { tsc_report_options, run_options, NULL };
	struct tsc_args a = { argc, argv, 1, NULL };
	int id;

	while ((id = tsc_args_next(&a, tables)) != TSC_ARGS_END && id != TSC_ARGS_WORD) {
		if (id == TSC_ARGS_ERROR)
			return -1;
		if (id == TSC_OPT_HELP) {
			fputs(cmd_run_usage, stdout);
			return 1;
		}
		if (id == OPT_KEEP_LOGS)
			r->keep = a.arg;
		else if (id == OPT_STACK_DEPTH) {
			if (tsc_args_int("--stack-depth", a.arg, 1, TSW_STACK_DEPTH_MAX, &r->stack_depth))
				return -1;
		} else if (id == OPT_CHECK_GET)
			r->check_get = true;
		else if (id == OPT_REPORT_MAIN)
			r->report_main = true;
		else if (tsc_report_option(o, id, a.arg))
			return -1;
	}
	if (id == TSC_ARGS_WORD)        /* the command: everything from here is its */
		a.ind--;
	if (a.ind >= argc)
		return tsc_args_error("run: no command given");
	r->cmd = argv + a.ind;
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run r = {0};
	struct tsc_report_opts o;
	struct tsc_processes ps = {0};
	char *lib = NULL;
	int status = 0, ret, parsed;
	pid_t pid;

	tsc_report_opts_init(&o);
	parsed = parse(&r, &o, argc, argv);
	if (parsed) {
		ret = parsed > 0 ? 0 : TSC_EXIT_USAGE;
		goto out;
	}
	ret = TSC_EXIT_USAGE;
	if (!(lib = find_library()) || make_dir(&r))
		goto out;
	ret = spawn(&r, lib, &pid, &status);
	if (ret)
		goto out;
	/* A program that ran unchecked still gets its (empty) report, so a CI
	 * job that reads one finds it. */
	ret = load(&r, pid, status, &ps);
	ret = ret < 0 ? TSC_EXIT_USAGE : tsc_report(&o, &ps, stderr);
	/* A crash says more than a finding: 128+signal whatever was found
	 * (the report, written first, says what was) */
	if (ret != TSC_EXIT_USAGE && WIFSIGNALED(status))
		ret = 128 + WTERMSIG(status);
	else if (!ret)
		ret = WEXITSTATUS(status);
out:
	if (r.dir && !r.keep)
		remove_dir(r.dir);
	tsc_free_list(r.before, r.nbefore);
	free(r.dir);
	free(lib);
	tsc_processes_free(&ps);
	tsc_report_opts_free(&o);
	return ret;
}
