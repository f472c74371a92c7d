/* The separate debug files of modules.  Debian strips libraries and puts
 * their DWARF and full symbol tables in -dbg and -dbgsym packages, under
 * /usr/lib/debug/.build-id/XX/YYYY.debug; a module built by hand may point
 * at its debug file with .gnu_debuglink instead.  Without these, libc's
 * static functions (start_thread, clone3) have no symbol at all, and the
 * frame must stay unnamed rather than take a neighbour's name.
 *
 * TSSWATCH_DEBUG_DIRS (colon-separated; default /usr/lib/debug) replaces
 * the debug directories, as gdb's debug-file-directory does; set to an
 * empty directory it hides installed debug packages (the tests do that).
 *
 * debuginfod: libdebuginfod is loaded only when DEBUGINFOD_URLS is set, so
 * a report never touches the network unless asked to.  A server gets
 * ANSWER_SECONDS (DEBUGINFOD_TIMEOUT when set) to start sending, and all
 * the report's downloads together TOTAL_SECONDS; a server that does not
 * answer is named once on stderr and not asked again in this report, so a
 * dead server costs one wait and a slow one at most TOTAL_SECONDS. */
#include "debuginfo.h"
#include "util.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <elfutils/libdwelf.h>

#define ANSWER_SECONDS 10
#define TOTAL_SECONDS  120

/* libdebuginfod's interface (<elfutils/debuginfod.h>), declared here so
 * the build needs libdw-dev alone; libdwfl.h declares the client type. */
#define DEBUGINFOD_SONAME "libdebuginfod.so.1"
#define DEBUGINFOD_URLS_ENV_VAR "DEBUGINFOD_URLS"
#define DEBUGINFOD_TIMEOUT_ENV_VAR "DEBUGINFOD_TIMEOUT"
typedef int (*debuginfod_progressfn_t)(debuginfod_client *c, long a, long b);

/* libdebuginfod's functions, looked up when first needed. */
static struct {
	bool tried, dead;
	void *so;
	debuginfod_client *client;
	debuginfod_client *(*begin)(void);
	int (*find)(debuginfod_client *, const unsigned char *, int, char **);
	void (*set_progressfn)(debuginfod_client *, debuginfod_progressfn_t);
	const char *(*get_url)(debuginfod_client *);
	void (*end)(debuginfod_client *);
	struct timespec start, first;   /* of this query, of the first */
	long answer_seconds;
	const char *gave_up;            /* why progress() ended the last query */
} dbgd;

static bool same_build_id(int fd, const unsigned char *id, int len)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	const void *other;
	ssize_t n = elf ? dwelf_elf_gnu_build_id(elf, &other) : -1;
	bool same = n == len && !memcmp(other, id, (size_t)len);

	if (elf)
		elf_end(elf);
	return same;
}

/* The CRC32 (IEEE, reflected) that .gnu_debuglink carries, for modules
 * without a build-id. */
static uint32_t file_crc32(int fd)
{
	static uint32_t table[256];
	unsigned char buf[65536];
	uint32_t crc = 0xffffffffu;
	ssize_t n;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
	lseek(fd, 0, SEEK_SET);
	return crc ^ 0xffffffffu;
}

/* Opens PATH when it is the debug file wanted: the same build-id as the
 * module, or (a module without one) the CRC its debuglink names. */
static int try_file(const char *path, const unsigned char *id, int idlen, uint32_t crc,
		    char **found)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (idlen > 0 ? !same_build_id(fd, id, idlen) : file_crc32(fd) != crc) {
		close(fd);
		return -1;
	}
	*found = tsc_strdup(path);
	return fd;
}

/* Calls FN on each debug directory until it returns an fd. */
static int each_debug_dir(int (*fn)(const char *dir, void *arg), void *arg)
{
	const char *dirs = getenv("TSSWATCH_DEBUG_DIRS");
	char *copy, *save = NULL;
	int fd = -1;

	copy = tsc_strdup(dirs ? dirs : "/usr/lib/debug");
	for (char *d = strtok_r(copy, ":", &save); d && fd < 0; d = strtok_r(NULL, ":", &save))
		fd = fn(d, arg);
	free(copy);
	return fd;
}

struct want {
	const unsigned char *id;
	int idlen;
	const char *module_dir, *link;
	uint32_t crc;
	char **found;
};

static int by_build_id(const char *dir, void *arg)
{
	struct want *w = arg;
	char *path, hex[2 * 64 + 1];
	int fd;

	if (w->idlen < 2 || w->idlen > 64)
		return -1;
	for (int i = 0; i < w->idlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", w->id[i]);
	path = tsc_asprintf("%s/.build-id/%.2s/%s.debug", dir, hex, hex + 2);
	fd = try_file(path, w->id, w->idlen, 0, w->found);
	free(path);
	return fd;
}

static int by_link_under(const char *dir, void *arg)
{
	struct want *w = arg;
	char *path = tsc_asprintf("%s%s/%s", dir, w->module_dir, w->link);
	int fd = try_file(path, w->id, w->idlen, w->crc, w->found);

	free(path);
	return fd;
}

/* gdb's order for a debuglink: beside the module, in its .debug
 * directory, then under each debug directory at the module's own path. */
static int by_debuglink(struct want *w, const char *module)
{
	const char *slash = strrchr(module, '/');
	char *dir = slash ? tsc_asprintf("%.*s", (int)(slash - module), module) : tsc_strdup(".");
	char *path;
	int fd;

	w->module_dir = dir;
	path = tsc_asprintf("%s/%s", dir, w->link);
	fd = strcmp(path, module) ? try_file(path, w->id, w->idlen, w->crc, w->found) : -1;
	free(path);
	if (fd < 0) {
		path = tsc_asprintf("%s/.debug/%s", dir, w->link);
		fd = try_file(path, w->id, w->idlen, w->crc, w->found);
		free(path);
	}
	if (fd < 0 && dir[0] == '/')
		fd = each_debug_dir(by_link_under, w);
	free(dir);
	return fd;
}

static double since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* libdebuginfod calls this about once a second while it waits; nonzero
 * gives up.  B is the size the server announced: 0 until one answers. */
static int progress(debuginfod_client *c, long a, long b)
{
	bool answered = b > 0 || (dbgd.get_url && dbgd.get_url(c));

	(void)a;        /* a loop count until a server answers, then bytes */
	if (!answered && since(&dbgd.start) > dbgd.answer_seconds)
		dbgd.gave_up = "no answer in time";
	else if (since(&dbgd.first) > TOTAL_SECONDS)
		dbgd.gave_up = "the report's time for downloads is up";
	return dbgd.gave_up != NULL;
}

static bool debuginfod_ready(void)
{
	const char *timeout = getenv(DEBUGINFOD_TIMEOUT_ENV_VAR);
	const char *urls = getenv(DEBUGINFOD_URLS_ENV_VAR);

	if (dbgd.tried)
		return dbgd.client && !dbgd.dead;
	dbgd.tried = true;
	if (!urls || !*urls)
		return false;
	dbgd.so = dlopen(DEBUGINFOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (dbgd.so) {
		*(void **)&dbgd.begin = dlsym(dbgd.so, "debuginfod_begin");
		*(void **)&dbgd.find = dlsym(dbgd.so, "debuginfod_find_debuginfo");
		*(void **)&dbgd.set_progressfn = dlsym(dbgd.so, "debuginfod_set_progressfn");
		*(void **)&dbgd.get_url = dlsym(dbgd.so, "debuginfod_get_url");
		*(void **)&dbgd.end = dlsym(dbgd.so, "debuginfod_end");
	}
	if (!dbgd.begin || !dbgd.find || !dbgd.set_progressfn || !dbgd.end) {
		tsc_error("note: DEBUGINFOD_URLS is set but %s cannot be loaded; "
			  "install libdebuginfod1", DEBUGINFOD_SONAME);
		return false;
	}
	dbgd.answer_seconds = timeout && atol(timeout) > 0 ? atol(timeout) : ANSWER_SECONDS;
	dbgd.client = dbgd.begin();
	if (dbgd.client)
		dbgd.set_progressfn(dbgd.client, progress);
	clock_gettime(CLOCK_MONOTONIC, &dbgd.first);
	return dbgd.client != NULL;
}

static int by_debuginfod(struct want *w)
{
	char *path = NULL;
	int fd;

	if (w->idlen <= 0 || !debuginfod_ready())
		return -1;
	if (since(&dbgd.first) > TOTAL_SECONDS) {
		dbgd.dead = true;
		tsc_error("note: debuginfod: %d seconds spent on downloads; not asked again",
			  TOTAL_SECONDS);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &dbgd.start);
	dbgd.gave_up = NULL;
	fd = dbgd.find(dbgd.client, w->id, w->idlen, &path);
	if (fd >= 0) {
		*w->found = tsc_strdup(path);
		free(path);
		return fd;
	}
	/* ENOENT: the server answered that it has no such file (or, when
	 * progress() gave up, the transfer was cut) */
	if (dbgd.gave_up || fd != -ENOENT) {
		const char *url = dbgd.get_url ? dbgd.get_url(dbgd.client) : NULL;

		dbgd.dead = true;
		tsc_error("note: debuginfod server %s did not answer (%s); not asked again",
			  url ? url : getenv(DEBUGINFOD_URLS_ENV_VAR),
			  dbgd.gave_up ? dbgd.gave_up : strerror(-fd));
	}
	return -1;
}

static int find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			  Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	struct want w = { .link = debuglink_file, .crc = debuglink_crc,
			  .found = debuginfo_file_name };
	GElf_Addr vaddr;
	int fd = -1;

	(void)userdata;
	(void)modname;
	(void)base;
	*debuginfo_file_name = NULL;
	/* A dwz file (.gnu_debugaltlink) is asked for with no CRC: named
	 * absolutely or beside the debug file that refers to it. */
	if (debuglink_file && !debuglink_crc) {
		char *path = debuglink_file[0] == '/' || !file_name || !strrchr(file_name, '/')
			? tsc_strdup(debuglink_file)
			: tsc_asprintf("%.*s/%s", (int)(strrchr(file_name, '/') - file_name),
				       file_name, debuglink_file);

		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			*debuginfo_file_name = path;
		else
			free(path);
		return fd;
	}
	w.idlen = dwfl_module_build_id(mod, &w.id, &vaddr);
	fd = each_debug_dir(by_build_id, &w);
	if (fd < 0 && debuglink_file && file_name)
		fd = by_debuglink(&w, file_name);
	if (fd < 0)
		fd = by_debuginfod(&w);
	return fd;
}

/* Modules are reported by path (dwfl_report_elf): no ELF file is looked
 * for by build-id, which would go to debuginfod for executables too. */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
		    char **file_name, Elf **elfp)
{
	(void)mod;
	(void)userdata;
	(void)modname;
	(void)base;
	(void)file_name;
	(void)elfp;
	return -1;
}

const Dwfl_Callbacks *tsc_debuginfo_callbacks(void)
{
	static const Dwfl_Callbacks callbacks = {
		.find_elf = find_elf,
		.find_debuginfo = find_debuginfo,
		.section_address = dwfl_offline_section_address,
	};

	return &callbacks;
}

void tsc_debuginfo_end(void)
{
	if (dbgd.client)
		dbgd.end(dbgd.client);
	if (dbgd.so)
		dlclose(dbgd.so);
	memset(&dbgd, 0, sizeof dbgd);
}
