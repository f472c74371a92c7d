/* Start-up, process exit and fork. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tsw.h"

static pid_t tsw_pid;
volatile int tsw_ready;              /* 1 once tsw_init() finished */

/* Our pid, also on a page the kernel zeroes in every fork child (_Fork
 * too, which runs no atfork handler), so a new process is seen with one
 * load at every entry into tsswatch.  A vfork child shares the page; it
 * must touch nothing, and does not. */
volatile pid_t *tsw_pid_page;

static void note_pid(void)
{
	tsw_pid = getpid();
	if (!tsw_pid_page) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED && madvise(p, 4096, MADV_WIPEONFORK) == 0)
			tsw_pid_page = p;
		else if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	if (tsw_pid_page)
		*tsw_pid_page = tsw_pid;
}

bool tsw_in_new_process(void)
{
	return tsw_pid_page ? *tsw_pid_page == 0 : getpid() != tsw_pid;
}

/* Another process sharing our memory, which must touch nothing: its pid
 * is not ours, yet the page a fork child gets zeroed is not zero.  Without
 * that page, any child not reset yet. */
bool tsw_in_vfork_child(void)
{
	return getpid() != tsw_pid && !(tsw_pid_page && *tsw_pid_page == 0);
}

/* The end of the process, with its status: the analysis that needs the
 * whole process (unjoined threads, keys never deleted) runs now, once. */
static void process_end(int status)
{
	static int ended;
	if (!tsw_ready || __atomic_exchange_n(&ended, 1, __ATOMIC_ACQ_REL))
		return;
	struct tsw_guard g;
	tsw_guard_hold(&g);
	if (tsw_in_new_process())
		tsw_forked();
	struct tsw_thread *self = tsw_self_or_adopt();
	if (tsw_opt.report_main && self && self->serial == 1)
		tsw_teardown_at_exit(self);
	tsw_threads_at_exit();
	tsw_budget_log();
	tsw_keys_at_exit();
	tsw_lost_at_exit();
	tsw_lost_stop();             /* no R record after the X record */

	TSW_REC(r, TSW_BUF_MEDIUM);
	tsw_rec_start(&r, TSW_REC_COUNTERS);
	pthread_mutex_lock(&tsw_reg_lock);
#define TSW_COUNTER_REC(name)                          \
	tsw_rec_raw(&r, " " #name "=");                \
	r.n += tsw_fmt_dec(r.b + r.n, tsw_count.name);
	TSW_COUNTERS(TSW_COUNTER_REC)
#undef TSW_COUNTER_REC
	pthread_mutex_unlock(&tsw_reg_lock);
	tsw_rec_end(&r);

	tsw_rec_start(&r, TSW_REC_EXIT);
	tsw_rec_str(&r, TSW_EXIT_EXIT);
	tsw_rec_dec(&r, (unsigned)status & 0xff);
	tsw_rec_end(&r);
	tsw_findings_summary();
	tsw_ready = 0;               /* what other threads do now is not logged */
	tsw_guard_leave(&g);
}

/* exit() and a return from main.  Registered first, so it runs after the
 * host's own atexit handlers. */
static void at_exit(int status, void *arg)
{
	(void)arg;
	process_end(status);
}

/* _exit and _Exit skip exit handlers (shells leave this way, and fork
 * children); a vfork child shares its parent's memory and must touch
 * nothing. */
static void before_exit(int status)
{
	/* From a signal handler that interrupted tsswatch in this thread, our
	 * locks may be held: the process ends unaccounted rather than hang. */
	if (!tsw_in_vfork_child() && !tsw_inside())
		process_end(status);
}

TSW_API void _exit(int status)
{
	before_exit(status);
	TSW_REAL(_exit)(status);
	__builtin_unreachable();
}

TSW_API void _Exit(int status)
{
	before_exit(status);
	TSW_REAL(_Exit)(status);
	__builtin_unreachable();
}

/* A fork child (by fork's handler, or found by a changed pid after _Fork):
 * its own log, locks reset, the parent's other threads forgotten. */
void tsw_forked(void)
{
	note_pid();
	tsw_alloc_atfork_child();
	tsw_modules_atfork_child();
	tsw_stacks_atfork_child();
	tsw_keys_atfork_child();
	tsw_foreign_atfork_child();
	tsw_unload_atfork_child();
	tsw_pin_atfork_child();
	tsw_budget_atfork_child();
	tsw_findings_atfork_child();
	tsw_lost_atfork_child();
	tsw_log_reopen_child();
	tsw_threads_atfork_child();
}

/* Unless a hook the host's own atfork handler called has done it already. */
static void atfork_child(void)
{
	if (tsw_ready && tsw_in_new_process()) {
		struct tsw_guard g;
		tsw_guard_hold(&g);
		tsw_forked();
		tsw_guard_leave(&g);
	}
}

void tsw_init(void)
{
	static int state;            /* 0 not started, 1 running, 2 done */
	int expected = 0;
	if (!__atomic_compare_exchange_n(&state, &expected, 1, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	struct tsw_guard g;
	tsw_guard_hold(&g);
	note_pid();
	tsw_resolve_all();
	tsw_options_parse();
	tsw_stacks_init();
	/* Without a log, findings go unrecorded, but the program's tracked
	 * storage dictionary must work all the same. */
	if (!tsw_log_open()) {
		TSW_REC(r, TSW_BUF_MEDIUM);
		tsw_rec_raw(&r, "tsswatch: cannot create a log in ");
		tsw_rec_raw(&r, tsw_opt.log_dir);
		tsw_rec_raw(&r, ": ");
		tsw_rec_raw(&r, strerror(errno));
		tsw_rec_raw(&r, "; findings are not recorded\n");
		(void)!tsw_write(2, r.b, r.n);
	}
	tsw_modules_refresh();
	on_exit(at_exit, NULL);
	pthread_atfork(NULL, NULL, atfork_child);
	__atomic_store_n(&tsw_ready, 1, __ATOMIC_RELEASE);   /* see adopt() in threads.c */
	tsw_self_or_adopt();
	tsw_guard_leave(&g);
	__atomic_store_n(&state, 2, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void tsw_constructor(void)
{
	tsw_init();
}
