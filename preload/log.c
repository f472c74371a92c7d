/* The log writer.  Records are built in a caller's buffer and written with
 * one write(2) to a file opened O_APPEND, so records of concurrent threads
 * never interleave and a killed process leaves whole records behind.  No
 * stdio and no malloc: a record may be written from a fork child or while
 * the host is inside its allocator. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tsw.h"

static int log_fd = -1;
static char log_path[640];


/* Records about every thread (T, I, E) are many and matter only to the
 * findings that name them: they wait here, and go out, in order, with the
 * next record written at once (every F among them) or when this fills.
 * Thread churn so costs no write(2) per thread. */
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static char pending[32768];
static size_t npending;

/* Two digits per division, written in place: records are mostly numbers. */
size_t tsw_fmt_dec(char *out, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	size_t n = 1;
	for (uint64_t x = v; x >= 10; x /= 10)
		n++;
	char *p = out + n;
	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;
		v /= 100;
		*--p = pairs[d + 1];
		*--p = pairs[d];
	}
	if (v >= 10) {
		*--p = pairs[v * 2 + 1];
		*--p = pairs[v * 2];
	} else {
		*--p = (char)('0' + v);
	}
	return n;
}

/* A record may end with " @" and its time (up to 20 digits), then '\n':
 * the fields before them leave room for both. */
#define STAMP_ROOM 23

static bool room(struct tsw_rec *r, size_t n)
{
	return r->n + n < r->cap - STAMP_ROOM;
}

void tsw_rec_start(struct tsw_rec *r, char type)
{
	r->b[0] = type;
	r->n = 1;
}

void tsw_rec_raw(struct tsw_rec *r, const char *s)
{
	size_t n = strlen(s);
	if (!room(r, n))
		n = r->n + 1 < r->cap - STAMP_ROOM ? r->cap - STAMP_ROOM - 1 - r->n : 0;
	memcpy(r->b + r->n, s, n);
	r->n += n;
}

/* Through a local cursor: a store through r->b may alias r->n, which the
 * compiler would otherwise reload at every character. */
void tsw_rec_str(struct tsw_rec *r, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!room(r, 2))
		return;
	char *out = r->b + r->n, *end = r->b + r->cap - STAMP_ROOM;   /* the stamp still fits */
	*out++ = ' ';
	if (s && s[0] == '-' && s[1] == 0) {
		r->n = (size_t)(out - r->b);
		tsw_rec_raw(r, "%2d");
		return;
	}
	if (!s || !*s)
		*out++ = '-';
	for (; s && *s && end - out > 3; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == '%') {
			out[0] = '%';
			out[1] = hex[c >> 4];
			out[2] = hex[c & 15];
			out += 3;
		} else {
			*out++ = (char)c;
		}
	}
	r->n = (size_t)(out - r->b);
}

void tsw_rec_dec(struct tsw_rec *r, uint64_t v)
{
	if (!room(r, 22))
		return;
	r->b[r->n++] = ' ';
	r->n += tsw_fmt_dec(r->b + r->n, v);
}

size_t tsw_fmt_hex(char *out, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = v ? (63 - __builtin_clzll(v)) & ~3 : 0;
	size_t n = 0;
	for (; shift >= 0; shift -= 4)
		out[n++] = hex[(v >> shift) & 15];
	return n;
}

void tsw_rec_hex(struct tsw_rec *r, uint64_t v)
{
	if (!room(r, 18))
		return;
	r->b[r->n++] = ' ';
	r->n += tsw_fmt_hex(r->b + r->n, v);
}

static void write_all(int fd, const char *b, size_t n)
{
	while (n) {
		ssize_t w = tsw_write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		b += w;
		n -= (size_t)w;
	}
}

/* The host may close our descriptor (daemons close them all) and reuse its
 * number for a file of its own: before writing, make sure it is still our
 * log, and open the log again by its path when not. */
static dev_t log_dev;
static ino_t log_ino;

static bool is_log(int fd)
{
	struct stat st;
	return syscall(SYS_fstat, fd, &st) == 0 && st.st_dev == log_dev && st.st_ino == log_ino;
}

/* Moves FD above the host's usual range (it may dup2 onto 0-2 and such). */
static int high_fd(int fd)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	if (high < 0)
		return fd;
	tsw_close(fd);
	return high;
}

static bool log_usable(void)
{
	if (TSW_LIKELY(is_log(log_fd)))
		return true;
	int fd = tsw_open(log_path, O_WRONLY | O_APPEND, 0);
	if (fd >= 0 && is_log(fd)) {
		log_fd = high_fd(fd);        /* the old number is the host's now */
		return true;
	}
	if (fd >= 0)
		tsw_close(fd);
	log_fd = -1;                         /* the log is gone: stop writing */
	return false;
}

/* The P record's time: the other records' are written as time since it. */
static uint64_t log_start;

/* Ends the record: the moment it marks, when its type marks one
 * (TSW_REC_TIMED), then '\n'.  CLOCK_MONOTONIC, which the vDSO reads
 * without a system call, read only on the paths that write a record. */
static void stamp(struct tsw_rec *r)
{
	if (r->n > r->cap - STAMP_ROOM)      /* a stack's id went in after its frames */
		r->n = r->cap - STAMP_ROOM;
	if (strchr(TSW_REC_TIMED, r->b[0])) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
		if (r->b[0] == TSW_REC_PROCESS)      /* init or a fork child: one thread */
			log_start = now;
		r->b[r->n++] = ' ';
		r->b[r->n++] = '@';
		r->n += tsw_fmt_dec(r->b + r->n, r->b[0] == TSW_REC_PROCESS ? now
				    : now > log_start ? now - log_start : 0);
	}
	r->b[r->n++] = '\n';
}

static void flush_pending(void)
{
	if (log_usable())
		write_all(log_fd, pending, npending);
	npending = 0;
}

void tsw_rec_end(struct tsw_rec *r)
{
	if (log_fd < 0)
		return;
	int saved = errno;
	stamp(r);
	pthread_mutex_lock(&pending_lock);
	if (npending)
		flush_pending();
	if (log_fd >= 0 && log_usable())
		write_all(log_fd, r->b, r->n);
	pthread_mutex_unlock(&pending_lock);
	errno = saved;
}

void tsw_rec_defer(struct tsw_rec *r)
{
	if (log_fd < 0)
		return;
	int saved = errno;
	stamp(r);
	pthread_mutex_lock(&pending_lock);
	if (npending + r->n > sizeof pending)
		flush_pending();
	memcpy(pending + npending, r->b, r->n);
	npending += r->n;
	pthread_mutex_unlock(&pending_lock);
	errno = saved;
}

const char *tsw_log_path(void)
{
	return log_path;
}

/* mkdir -p, with 0700 for what it creates. */
static bool make_dir(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc && errno != EEXIST)
			return false;
	}
	return mkdir(path, 0700) == 0 || errno == EEXIST;
}

static const char *exe_name(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	if (n <= 0)
		return "process";
	buf[n] = 0;
	const char *slash = strrchr(buf, '/');
	return slash ? slash + 1 : buf;
}

/* Opens a new log named NAME.PID.log (NAME.PID.N.log when taken, as after
 * an exec that kept the pid) and writes the signature.  Silent when it
 * cannot: the caller says so once. */
static bool open_new(void)
{
	char exe[512];
	const char *name = exe_name(exe, sizeof exe);
	char dir[sizeof tsw_opt.log_dir];
	memcpy(dir, tsw_opt.log_dir, sizeof dir);
	if (!make_dir(dir))
		return false;
	for (unsigned seq = 0; seq < 1000; seq++) {
		TSW_REC(r, TSW_BUF_MEDIUM);
		tsw_rec_raw(&r, tsw_opt.log_dir);
		tsw_rec_raw(&r, "/");
		tsw_rec_raw(&r, name);
		tsw_rec_raw(&r, ".");
		r.n += tsw_fmt_dec(r.b + r.n, (uint64_t)getpid());
		if (seq) {
			tsw_rec_raw(&r, ".");
			r.n += tsw_fmt_dec(r.b + r.n, seq);
		}
		tsw_rec_raw(&r, ".log");
		if (r.n >= sizeof log_path)
			return false;
		r.b[r.n] = 0;
		int fd = tsw_open(r.b, O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return false;
		memcpy(log_path, r.b, r.n + 1);
		struct stat st;
		if (syscall(SYS_fstat, fd, &st) == 0) {
			log_dev = st.st_dev;
			log_ino = st.st_ino;
		}
		log_fd = high_fd(fd);
		static const char sig[] = TSW_LOG_SIGNATURE " ";
		r.n = 0;
		tsw_rec_raw(&r, sig);
		r.n += tsw_fmt_dec(r.b + r.n, TSW_LOG_VERSION);
		r.b[r.n++] = '\n';
		write_all(log_fd, r.b, r.n);
		return true;
	}
	return false;
}

/* The P record: pid, ppid, start time, the executable and the arguments
 * from /proc/self/cmdline. */
static void write_process(void)
{
	static char big[TSW_LOG_LINE_MAX];
	struct tsw_rec r = { 0, sizeof big, big };   /* init or a fork child: one thread */
	struct timespec ts;
	char exe[512];
	clock_gettime(CLOCK_REALTIME, &ts);
	tsw_rec_start(&r, TSW_REC_PROCESS);
	tsw_rec_dec(&r, (uint64_t)getpid());
	tsw_rec_dec(&r, (uint64_t)getppid());
	tsw_rec_dec(&r, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	tsw_rec_str(&r, exe);
	int fd = tsw_open("/proc/self/cmdline", O_RDONLY, 0);
	if (fd >= 0) {
		char args[4096];
		ssize_t len = tsw_read(fd, args, sizeof args - 1);
		tsw_close(fd);
		for (ssize_t i = 0; i < len;) {
			args[len] = 0;
			tsw_rec_str(&r, args + i);
			i += (ssize_t)strlen(args + i) + 1;
		}
	}
	tsw_rec_end(&r);

	tsw_rec_start(&r, TSW_REC_OPTIONS);
	tsw_rec_raw(&r, " " TSW_OPT_STACK_DEPTH "=");
	r.n += tsw_fmt_dec(r.b + r.n, (uint64_t)tsw_opt.stack_depth);
	tsw_rec_raw(&r, tsw_opt.check_get ? " " TSW_OPT_CHECK_GET "=1" : " " TSW_OPT_CHECK_GET "=0");
	tsw_rec_raw(&r, tsw_opt.report_main ? " " TSW_OPT_REPORT_MAIN "=1"
					    : " " TSW_OPT_REPORT_MAIN "=0");
	tsw_rec_end(&r);
}

bool tsw_log_open(void)
{
	if (!open_new())
		return false;
	write_process();
	return true;
}

/* In a fork child: a log of its own, with everything later records refer
 * to written again (modules, stacks, live keys; the thread is re-logged by
 * threads.c). */
void tsw_log_reopen_child(void)
{
	pthread_mutex_init(&pending_lock, NULL);
	npending = 0;                            /* the parent's to write */
	if (log_fd >= 0)
		tsw_close(log_fd);
	log_fd = -1;
	if (!open_new())
		return;
	write_process();
	tsw_modules_relog();
	tsw_stacks_relog();
	tsw_keys_relog();
}
