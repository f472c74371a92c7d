/* Findings as F records, the tally behind the stderr summary, and the
 * writable mappings that tell memory from a flag stored in a key. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "tsw.h"

static uint64_t by_severity[3];          /* error, warning, info */
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;

static int severity_of(enum tsw_kind kind, uint64_t arg)
{
	static const char *const sev[] = {
#define TSW_KIND_SEV(id, name, severity) severity,
		TSW_KINDS(TSW_KIND_SEV)
#undef TSW_KIND_SEV
	};
	if (kind == TSW_KIND_KEY_LEAK && TSW_KEY_LEAK_IS_ERROR(arg))
		return 0;
	return sev[kind][0] == 'e' ? 0 : sev[kind][0] == 'w' ? 1 : 2;
}

void tsw_finding(enum tsw_kind kind, uint64_t serial, uint64_t key_id, uintptr_t value,
		 uint64_t arg, const char *name, const struct tsw_stack_ref *stacks, int n)
{
	static const char *const names[] = {
#define TSW_KIND_NAME(id, name, severity) name,
		TSW_KINDS(TSW_KIND_NAME)
#undef TSW_KIND_NAME
	};
	TSW_REC(r, TSW_BUF_MEDIUM);
	tsw_rec_start(&r, TSW_REC_FINDING);
	tsw_rec_raw(&r, " ");
	tsw_rec_raw(&r, names[kind]);
	tsw_rec_dec(&r, serial);
	tsw_rec_dec(&r, key_id);
	tsw_rec_hex(&r, value);
	tsw_rec_dec(&r, arg);
	tsw_rec_str(&r, name);
	for (int i = 0; i < n; i++) {
		char num[24];
		tsw_rec_raw(&r, " ");
		tsw_rec_raw(&r, stacks[i].label);
		tsw_rec_raw(&r, "=");
		num[tsw_fmt_dec(num, stacks[i].stack)] = 0;
		tsw_rec_raw(&r, num);
		if (stacks[i].count) {
			tsw_rec_raw(&r, "*");
			num[tsw_fmt_dec(num, stacks[i].count)] = 0;
			tsw_rec_raw(&r, num);
		}
	}
	tsw_rec_end(&r);
	__atomic_add_fetch(&by_severity[severity_of(kind, arg)], 1, __ATOMIC_RELAXED);
}

void tsw_findings_atfork_child(void)
{
	memset(by_severity, 0, sizeof by_severity);
	pthread_mutex_init(&maps_lock, NULL);
}

/* The one line on stderr at exit. */
void tsw_findings_summary(void)
{
	if (tsw_opt.quiet || !*tsw_log_path())
		return;                   /* no log: init said so already */
	TSW_REC(r, TSW_BUF_MEDIUM);
	char num[24];
	uint64_t total = by_severity[0] + by_severity[1] + by_severity[2];
	tsw_rec_raw(&r, "tsswatch: pid ");
	num[tsw_fmt_dec(num, (uint64_t)getpid())] = 0;
	tsw_rec_raw(&r, num);
	tsw_rec_raw(&r, ": ");
	num[tsw_fmt_dec(num, total)] = 0;
	tsw_rec_raw(&r, num);
	tsw_rec_raw(&r, total == 1 ? " finding (" : " findings (");
	static const char *const words[3][2] = { { " error", " errors" },
						 { " warning", " warnings" },
						 { " info", " infos" } };
	for (int i = 0; i < 3; i++) {
		num[tsw_fmt_dec(num, by_severity[i])] = 0;
		tsw_rec_raw(&r, num);
		tsw_rec_raw(&r, words[i][by_severity[i] != 1]);
		tsw_rec_raw(&r, i < 2 ? ", " : "); log: ");
	}
	tsw_rec_raw(&r, tsw_log_path());
	tsw_rec_raw(&r, "\n");
	(void)!tsw_write(2, r.b, r.n);
}

/* Writable mappings of the process, read from /proc/self/maps again only
 * when a value falls outside every one known. */
#define MAX_RANGES 8192
static struct { uintptr_t lo, hi; } ranges[MAX_RANGES];
static int nranges;

static uintptr_t parse_hex(const char **p)
{
	uintptr_t v = 0;
	for (;; (*p)++) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return v;
		v = v * 16 + (uintptr_t)d;
	}
}

/* Only the start of each line matters ("lo-hi perms"): the rest, which
 * may be a long path, is skipped, so a small buffer does. */
static void read_maps(void)
{
	int fd = tsw_open("/proc/self/maps", O_RDONLY, 0);
	nranges = 0;
	if (fd < 0)
		return;
	char buf[512], head[48];
	size_t nhead = 0;
	bool skipping = false;
	ssize_t got;
	while ((got = tsw_read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			char c = buf[i];
			if (c == '\n') {
				head[nhead] = 0;
				const char *p = head;
				uintptr_t lo = parse_hex(&p);
				uintptr_t hi = *p == '-' ? (p++, parse_hex(&p)) : 0;
				if (p[0] == ' ' && p[1] && p[2] == 'w' && nranges < MAX_RANGES) {
					ranges[nranges].lo = lo;
					ranges[nranges].hi = hi;
					nranges++;
				}
				nhead = 0;
				skipping = false;
			} else if (!skipping) {
				head[nhead++] = c;
				skipping = nhead == sizeof head - 1;
			}
		}
	}
	tsw_close(fd);
}

static int range_of(uintptr_t v)
{
	for (int i = 0; i < nranges; i++)
		if (v >= ranges[i].lo && v < ranges[i].hi)
			return i;
	return -1;
}

bool tsw_writable_range(uintptr_t v, uintptr_t *lo, uintptr_t *hi)
{
	if (v < 4096)
		return false;             /* a flag or small integer, never memory */
	pthread_mutex_lock(&maps_lock);
	int i = range_of(v);
	if (i < 0) {
		read_maps();
		i = range_of(v);
	}
	if (i >= 0) {
		*lo = ranges[i].lo;
		*hi = ranges[i].hi;
	}
	pthread_mutex_unlock(&maps_lock);
	return i >= 0;
}
