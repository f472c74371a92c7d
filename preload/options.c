/* TSSWATCH_OPTIONS=key=value:key=value, as ASAN_OPTIONS.  A bad option
 * gets one line on stderr naming it, then the default: never an abort. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsw.h"

struct tsw_options tsw_opt = { .stack_depth = TSW_STACK_DEPTH_DEFAULT };

static void warn(const char *what, const char *item, size_t len, const char *fix)
{
	TSW_REC(r, TSW_BUF_MEDIUM);
	tsw_rec_raw(&r, "tsswatch: ");
	tsw_rec_raw(&r, what);
	tsw_rec_raw(&r, " '");
	size_t room = r.cap - r.n - 128;
	if (len > room)
		len = room;
	memcpy(r.b + r.n, item, len);
	r.n += len;
	tsw_rec_raw(&r, "' in TSSWATCH_OPTIONS; ");
	tsw_rec_raw(&r, fix);
	tsw_rec_raw(&r, "\n");
	(void)!tsw_write(2, r.b, r.n);
}

static bool parse_bool(const char *v, size_t n, bool *out)
{
	if (n == 1 && (*v == '0' || *v == '1')) {
		*out = *v == '1';
		return true;
	}
	return false;
}

static bool parse_int(const char *v, size_t n, int lo, int hi, int *out)
{
	long x = 0;
	if (n == 0 || n > 6)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (v[i] - '0');
	}
	if (x < lo || x > hi)
		return false;
	*out = (int)x;
	return true;
}

static void set_default_log_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	TSW_REC(r, TSW_BUF_MEDIUM);
	tsw_rec_raw(&r, tmp && *tmp == '/' ? tmp : "/tmp");
	tsw_rec_raw(&r, "/tsswatch-");
	r.n += tsw_fmt_dec(r.b + r.n, getuid());
	if (r.n >= sizeof tsw_opt.log_dir)
		r.n = sizeof tsw_opt.log_dir - 1;
	memcpy(tsw_opt.log_dir, r.b, r.n);
	tsw_opt.log_dir[r.n] = 0;
}

static void apply(const char *item, size_t len)
{
	const char *eq = memchr(item, '=', len);
	if (!eq) {
		warn("option without a value", item, len, "ignored");
		return;
	}
	size_t kn = (size_t)(eq - item), vn = len - kn - 1;
	const char *v = eq + 1;
#define KEY(s) (kn == sizeof(s) - 1 && memcmp(item, s, kn) == 0)
	if (KEY(TSW_OPT_LOG_DIR)) {
		if (vn == 0 || vn >= sizeof tsw_opt.log_dir || *v != '/')
			warn("bad value (want an absolute path) for", item, len,
			     "using the default " TSW_OPT_LOG_DIR);
		else {
			memcpy(tsw_opt.log_dir, v, vn);
			tsw_opt.log_dir[vn] = 0;
		}
	} else if (KEY(TSW_OPT_STACK_DEPTH)) {
		if (!parse_int(v, vn, 1, TSW_STACK_DEPTH_MAX, &tsw_opt.stack_depth))
			warn("bad value (want 1 to " TSW_STRINGIFY(TSW_STACK_DEPTH_MAX) ") for", item,
			     len, "using " TSW_OPT_STACK_DEPTH "=" TSW_STRINGIFY(TSW_STACK_DEPTH_DEFAULT));
	} else if (KEY(TSW_OPT_CHECK_GET)) {
		if (!parse_bool(v, vn, &tsw_opt.check_get))
			warn("bad value (want 0 or 1) for", item, len, "using " TSW_OPT_CHECK_GET "=0");
	} else if (KEY(TSW_OPT_REPORT_MAIN)) {
		if (!parse_bool(v, vn, &tsw_opt.report_main))
			warn("bad value (want 0 or 1) for", item, len, "using " TSW_OPT_REPORT_MAIN "=0");
	} else if (KEY(TSW_OPT_QUIET)) {
		if (!parse_bool(v, vn, &tsw_opt.quiet))
			warn("bad value (want 0 or 1) for", item, len, "using " TSW_OPT_QUIET "=0");
	} else {
		warn("unknown option", item, len, "ignored");
	}
#undef KEY
}

/* NAME from the environment the process started with, for a start-up
 * so early (a sanitizer's runtime calling our hooks) that getenv cannot
 * answer yet.  A static buffer: start-up runs on one thread. */
static const char *initial_env(const char *name)
{
	static char env[16384];
	int fd = tsw_open("/proc/self/environ", O_RDONLY, 0);
	if (fd < 0)
		return NULL;
	ssize_t n = tsw_read(fd, env, sizeof env - 1);
	tsw_close(fd);
	size_t len = strlen(name);
	for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(env + i) + 1) {
		env[n] = 0;
		if (strncmp(env + i, name, len) == 0 && env[i + (ssize_t)len] == '=')
			return env + i + len + 1;
	}
	return NULL;
}

void tsw_options_parse(void)
{
	set_default_log_dir();
	const char *s = getenv(TSW_OPTIONS_ENV);
	if (!s)
		s = initial_env(TSW_OPTIONS_ENV);
	while (s && *s) {
		const char *end = strchr(s, ':');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		if (len)
			apply(s, len);
		s = end ? end + 1 : NULL;
	}
}
