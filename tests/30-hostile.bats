bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# Issue 8: a good guest under hostile conditions.  Each test runs a program
# under `tsswatch run` and checks that it behaves as without tsswatch and
# that what tsswatch says about it is exact.

load test_helper
load hostile_helper

@test "fork from a thread: the child logs as its own process, without the parent's threads" {
	local exe
	exe=$(prog fork_thread)
	tsw_run -- "$exe"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "child kept its value: 1" ]
	[[ "${lines[1]}" =~ ^child\ ([0-9]+)\ status:\ 0$ ]]
	local child=${BASH_REMATCH[1]}
	run jq -r '.processes | length' "$REPORT"
	[ "$output" = 2 ]
	local parent
	parent=$(jq -r --argjson c "$child" '.processes[] | select(.pid != $c) | .pid' "$REPORT")
	# the child's own log, whose P record names it and its parent
	run awk '$1 == "P" { print $2, $3 }' "$LOGDIR/fork_thread.$child.log"
	[ "$output" = "$child $parent" ]
	run jq -r --argjson c "$child" '.processes[] | select(.pid == $c) | .ppid' "$REPORT"
	[ "$output" = "$parent" ]
	# the parent: clean, its own counts
	[ "$(pkinds "$parent")" = "" ]
	[ "$(pcounter "$parent" threads_created)" = 3 ]
	[ "$(pcounter "$parent" threads_joined)" = 3 ]
	[ "$(pcounter "$parent" values_set)" = 3 ]
	# the child: none of the parent's threads (holding values, never joined
	# in the child) is its finding, nor the key it inherited (the parent's
	# to delete)
	[ "$(pkinds "$child")" = "" ]
	# it counts what it did itself: 4 threads, 4 values
	[ "$(pcounter "$child" threads_created)" = 4 ]
	[ "$(pcounter "$child" threads_joined)" = 4 ]
	[ "$(pcounter "$child" values_set)" = 4 ]
	[ "$(pcounter "$child" destructor_calls)" = 4 ]
}

@test "fork while another thread is inside pthread_key_delete: in the child the key is live" {
	local exe shim
	shim=$(so delete_pause)
	exe=$(prog fork_in_delete -rdynamic)
	LD_PRELOAD=$shim tsw_run -- "$exe"
	[ "$status" -eq 0 ]
	[ "$output" = "child: set 0, cleared 0, deleted 0"$'\n'"child exited 0" ]
	run jq -r '.processes | length' "$REPORT"
	[ "$output" = 2 ]
	# no stale-key for the child's uses of a key its glibc still has
	[ "$(kinds)" = "" ]
	# the child deleted it, and said so
	local child
	child=$(jq -r '.processes[] | select(.counters.values_set == 1) | .pid' "$REPORT")
	[ "$(pcounter "$child" keys_deleted)" = 1 ]
	[ "$(grep -c '^D ' "$LOGDIR/fork_in_delete.$child.log")" = 1 ]
}

@test "a fork child's stale use of a key deleted before the fork: its log names the key" {
	check_prog stale_child
	[ "$output" = "child set: 22"$'\n'"child exited 0" ]
	[ "$(kinds)" = "stale-key=1" ]
	[ "$(frame stale-key use)" = "main stale_child.c:$(line_of STALE-SET stale_child)" ]
	[ "$(frame stale-key key_create)" = "main stale_child.c:$(line_of KEY-CREATE stale_child)" ]
	[ "$(frame stale-key delete)" = "main stale_child.c:$(line_of KEY-DELETE stale_child)" ]
}

@test "vfork+exec and posix_spawn: each spawned program is traced in its own log" {
	local exe target
	exe=$(prog spawner)
	target=$(prog run_target)
	tsw_run -- "$exe" "$target" leak
	[ "$status" -eq 25 ]
	[ "$output" = "vfork child: 0, posix_spawn child: 0" ]
	run jq -r '.processes | length' "$REPORT"
	[ "$output" = 3 ]
	local parent
	parent=$(jq -r '.processes[] | select(.command | startswith("'"$exe"'")) | .pid' "$REPORT")
	[ "$(pkinds "$parent")" = "" ]
	# both children: run_target's own log, its parent the spawner, its leak
	run jq -r --argjson p "$parent" '[.processes[] | select(.ppid == $p)
		| "\(.command) \(.exit) \(.complete)"] | join("|")' "$REPORT"
	[ "$output" = "$target leak exited 0 true|$target leak exited 0 true" ]
	local c
	for c in $(jq -r --argjson p "$parent" '.processes[] | select(.ppid == $p) | .pid' "$REPORT"); do
		[ -f "$LOGDIR/run_target.$c.log" ]
		# the same leak in both: one finding seen in both processes
		[ "$(pkinds "$c")" = "tsd-leak=2" ]
	done
}

@test "signals: a handler that calls setspecific/getspecific, sent during a set loop" {
	local exe
	exe=$(prog signal_set)
	same_as_plain "$exe"
	[ "$status" -eq 0 ]
	[ "$output" = "signals handled: 2000, counted in the key: 2000, mismatches: 0" ]
	[ "$(kinds)" = "" ]
	# every set counted, the handler's too, even when it interrupted ours
	local sets
	sets=$(sed -n 's/^values set: //p' <<<"$stderr")
	[ -n "$sets" ]
	[ "$(counter values_set)" = "$sets" ]
}

@test "cancellation right after creation: every thread still runs its start routine and finishes" {
	local exe
	exe=$(prog cancel_early)
	same_as_plain "$exe"
	[ "$output" = "cancelled: 50, destructors: 50" ]
	[ "$(kinds)" = "" ]
	check_counters "threads_created=50 threads_joined=50 values_set=50 destructor_calls=50"
	run grep -c '^E [0-9]* cancelled ' "$LOGDIR"/cancel_early.*.log
	[ "$output" = 50 ]
}

@test "threads created by a library constructor before tsswatch initialised" {
	local lib exe
	lib=$(so early_lib)
	exe=$(prog early_host -L"$BIN" -learly_lib -Wl,-rpath,"$BIN")
	same_as_plain "$exe"
	[ "$output" = "destructors: 2" ]
	# no stale-thread for joining threads whose creation tsswatch did not
	# see, no thread-leak, no tsd-leak
	[ "$(kinds)" = "" ]
	check_counters "threads_joined=2 keys_created=1 keys_deleted=1 values_set=2 destructor_calls=2"
	local log
	log=$(the_log)
	# the one created through libc directly was adopted; both finished
	run awk '$1 == "T" && $2 != 1 { print $5 }' "$log"
	[ "$(sort <<<"$output" | tr '\n' ' ')" = "a j " ]
	# the adopted one with the name it gave itself, the other its creator's
	run awk '$1 == "E" { print $4 }' "$log"
	[ "$(sort <<<"$output" | tr '\n' ' ')" = "early_host unseen " ]
	# the key the constructor created is known, with its stack
	run jq -r '.findings | length' "$REPORT"
	[ "$output" = 0 ]
	grep -q "^K 1 $(first_key) 1 " "$log"
}

@test "exit while threads still run: thread-running infos, exit status kept" {
	local exe
	exe=$(prog exit_running)
	tsw_run -- "$exe"
	[ "$status" -eq 7 ]
	[ "$output" = "exiting with 7" ]
	[ "$(kinds)" = "thread-running=3" ]
	[ "$(severity_count info)" = 3 ]
	[ "$(severity_count error)" = 0 ]
	[ "$(frame thread-running thread_create)" = "main exit_running.c:$(line_of STILL-RUNNING exit_running)" ]
	run jq -r '.processes[0] | "\(.exit) \(.complete)"' "$REPORT"
	[ "$output" = "exited 7 true" ]
}

@test "SIGKILL: the log stays readable, the process is incomplete, run exits 137" {
	local exe
	exe=$(prog killed)
	tsw_run -- "$exe"
	[ "$status" -eq 137 ]
	[ "$output" = "killing myself" ]
	run jq -r '.processes[0] | "\(.exit) \(.complete) \(.counters)"' "$REPORT"
	[ "$output" = "killed by signal 9 false null" ]
	run "$TSSWATCH" report "$LOGDIR"
	[ "$(grep -c '^  counters unknown: the process did not reach its exit$' <<<"$output")" = 1 ]
	[ "$(kinds)" = "" ]
	# what it logged before it was killed is still reported; the status
	# says the signal, findings or not
	tsw_run -- "$exe" leak
	[ "$status" -eq 137 ]
	run jq -r '.processes[0].complete' "$REPORT"
	[ "$output" = false ]
	[ "$(count_kind tsd-leak <"$REPORT")" = 1 ]
	[ "$(frame tsd-leak set)" = "leaker killed.c:$(line_of KILLED-LEAK killed)" ]
	run ! grep -q '^X ' "$LOGDIR"/killed.*.log
	run "$TSSWATCH" report --format json "$LOGDIR"
	[ "$status" -eq 25 ]
	[ "$(jq -r '.processes[0].complete' <<<"$output")" = false ]
}

@test "a statically linked program runs unchanged, and tsswatch says it could not look inside" {
	local exe=$BIN/plain_threads_static
	mkdir -p "$BIN"
	cc -std=c17 -D_GNU_SOURCE -O0 -g -static -o "$exe" "$TOP/tests/progs/plain_threads.c" -lpthread 2>/dev/null ||
		skip "no static libc (libc6-dev's libc.a)"
	plain "$exe"
	[ "$PLAIN_OUT" = "destructors: 4, euid==uid: 1" ]
	tsw_run -- "$exe"
	[ "$output" = "$PLAIN_OUT" ]
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"'$exe' ran unchecked: it wrote no log (statically linked or set-user-ID?)"* ]]
}

@test "a set-user-ID program runs unchanged, and tsswatch says it could not look inside" {
	[ "$(id -u)" = 0 ] || skip "needs root to make a set-user-ID program of another user"
	[ -z "${TSSWATCH_TEST_ASAN:-}" ] ||
		skip "an ASan-built set-user-ID program fails without tsswatch (LeakSanitizer cannot ptrace it)"
	local exe=$BATS_TEST_TMPDIR/plain_setuid
	cp "$(prog plain_threads)" "$exe"
	chown nobody "$exe"
	chmod 4755 "$exe"
	plain "$exe"
	[ "$PLAIN_OUT" = "destructors: 4, euid==uid: 0" ]
	tsw_run -- "$exe"
	[ "$output" = "$PLAIN_OUT" ]
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"'$exe' ran unchecked: it wrote no log (statically linked or set-user-ID?)"* ]]
}

# An allocator preloaded with us: its own keys and threads are no error.
allocator_host() {
	local lib=/usr/lib/x86_64-linux-gnu/$1
	[ -e "$lib" ] || skip "$1 not installed (Debian package $2)"
	no_foreign_allocator_under_asan
	local exe
	exe=$(prog plain_threads)
	plain env LD_PRELOAD="$lib" "$exe"
	[ "$PLAIN_OUT" = "destructors: 4, euid==uid: 1" ]
	LD_PRELOAD=$lib tsw_run -- "$exe"
	[ "$status" -eq 0 ]
	[ "$output" = "$PLAIN_OUT" ]
	[ "$(severity_count error)" = 0 ]
	# whatever it reports is about the allocator's own keys
	run jq -r '[.findings[] | .kind + " " + (.stacks.key_create[0].module // "-")] | unique | join("|")' "$REPORT"
	[ -z "$output" ] || [ "$output" = "key-leak $lib" ]
	# the allocator's own destructors count too: at least ours
	check_counters "threads_created=4 threads_joined=4"
	run jq -r '.processes[0].counters.destructor_calls >= 4' "$REPORT"
	[ "$output" = true ]
	run jq -r '.processes[0].counters.keys_created >= 1' "$REPORT"
	[ "$output" = true ]
}

@test "jemalloc preloaded with tsswatch: no error from its own keys" {
	allocator_host libjemalloc.so.2 libjemalloc2
}

@test "tcmalloc preloaded with tsswatch: no error from its own keys" {
	allocator_host libtcmalloc.so.4 libgoogle-perftools4
}

@test "threads on PTHREAD_STACK_MIN stacks with 2 KiB of TLS run unchanged" {
	local exe
	exe=$(prog small_stack)
	same_as_plain "$exe"
	[ "$output" = "threads: 8" ]
	[ "$(kinds)" = "" ]
	check_counters "threads_created=8 threads_joined=8 values_set=8"
}

@test "jemalloc with threads on PTHREAD_STACK_MIN stacks runs unchanged" {
	local lib=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
	[ -e "$lib" ] || skip "libjemalloc.so.2 not installed (Debian package libjemalloc2)"
	no_foreign_allocator_under_asan
	local exe
	exe=$(prog many_threads)
	plain env LD_PRELOAD="$lib" "$exe" 50
	[ "$PLAIN_OUT" = "threads: 50, destructors: 50" ]
	LD_PRELOAD=$lib tsw_run -- "$exe" 50
	[ "$status" -eq 0 ]
	[ "$output" = "$PLAIN_OUT" ]
	[ "$(severity_count error)" = 0 ]
}

# Counts, by name, the calls among those tsswatch could make that the
# command makes: "name count" lines.
syscalls_of() {
	# (LeakSanitizer cannot stop a traced process's threads)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq -o "$BATS_TEST_TMPDIR/strace" \
		-e trace=prctl,gettid,getpid,openat,read,write,close,readlink "$@" >/dev/null 2>&1
	sed -E 's/^[0-9]+ +//; s/\(.*//' "$BATS_TEST_TMPDIR/strace" | sort | uniq -c | awk '{ print $2, $1 }'
}

@test "a thread's start and end add none of the system calls tsswatch makes" {
	local exe n
	strace -qq -o /dev/null true || skip "strace cannot trace here (no ptrace)"
	exe=$(prog churn)
	for n in 10 40; do
		LOGDIR=$BATS_TEST_TMPDIR/logs.$n
		mkdir -p "$LOGDIR"
		syscalls_of "$exe" 1 $n >"$BATS_TEST_TMPDIR/plain"
		syscalls_of env LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=$LOGDIR" "$exe" 1 $n \
			>"$BATS_TEST_TMPDIR/preload"
		[ "$("$TSSWATCH" report --format json "$LOGDIR" | jq '.processes[0].counters.threads_created')" = $((n + 1)) ]
		# tsswatch's own calls: with the preload, less those without
		awk 'NR == FNR { plain[$1] = $2; next } { print $1, $2 - plain[$1] }' \
			"$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/preload" >"$BATS_TEST_TMPDIR/ours.$n"
	done
	cat "$BATS_TEST_TMPDIR/ours.40"
	diff "$BATS_TEST_TMPDIR/ours.10" "$BATS_TEST_TMPDIR/ours.40"
}

@test "10,000 threads alive at once on small stacks: counters exact" {
	local n=10000
	[ "$(ulimit -u)" = unlimited ] || [ "$(ulimit -u)" -gt $((n + 200)) ] || skip "ulimit -u below $n"
	[ "$(cat /proc/sys/kernel/threads-max)" -gt $((n + 200)) ] || skip "threads-max below $n"
	local exe
	exe=$(prog many_threads)
	same_as_plain "$exe" $n
	[ "$output" = "threads: $n, destructors: $n" ]
	[ "$(kinds)" = "" ]
	check_counters "threads_created=$n threads_joined=$n threads_detached=0 threads_peak_live=$((n + 1)) values_set=$n destructor_calls=$n keys_created=1 keys_deleted=1"
}

@test "a host that closes every descriptor and reuses the log's number: its file stays its own" {
	local own=$BATS_TEST_TMPDIR/own.txt
	TSW_EXTRA=quiet=1 check_prog fd_reuse "$own"
	[ "$status" -eq 0 ]
	[ "$(cat "$own")" = "mine" ]
	# the log was opened again by its path and is whole
	[ "$(kinds)" = "tsd-leak=1" ]
	[ "$(frame tsd-leak set)" = "worker fd_reuse.c:$(line_of REUSE-SET fd_reuse)" ]
	run jq -r '.processes[0].complete' "$REPORT"
	[ "$output" = true ]
}

@test "_exit from a signal handler that interrupted tsswatch: no hang, the handler's status" {
	local exe
	exe=$(prog signal_exit)
	for i in 1 2 3 4 5; do
		run env LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=$BATS_TEST_TMPDIR/l:quiet=1" \
			timeout 60 "$exe"
		[ "$status" -eq 3 ]
	done
}

@test "_Fork (no atfork handler): the child's log is its own and readable; its first hooked call keeps errno" {
	check_prog fork_raw
	[ "$output" = "child: 0" ]
	[ "$(ls "$LOGDIR" | wc -l)" -eq 2 ]
	run jq -r '[.processes[] | "\(.counters.keys_created) \(.complete)"] | sort | join(",")' "$REPORT"
	[ "$output" = "1 true,1 true" ]
	# none of the parent's threads is the child's finding
	[ "$(kinds)" = "" ]
	# the child's main thread has the name it gave itself before its log began
	[ "$(grep -h '^N 1 ' "$LOGDIR"/*.log | sort | tr '\n' ,)" = "N 1 fork_raw,N 1 raw-child," ]
}

@test "a host's fork handler that runs before tsswatch's: one log for the child" {
	local lib exe
	lib=$(so atfork_lib)
	exe=$(prog atfork_host -L"$BIN" -Wl,--no-as-needed -latfork_lib -Wl,-rpath,"$BIN")
	check_prog atfork_host
	[ "$output" = "child: 0" ]
	[ "$(ls "$LOGDIR" | wc -l)" -eq 2 ]
	run jq -r '[.processes[] | "\(.counters.keys_created) \(.counters.keys_deleted)"] | sort | join(",")' "$REPORT"
	[ "$output" = "0 0,1 1" ]
}

@test "loading tsswatch by dlopen into a process running threads: their key creates never fail" {
	local exe
	exe=$(prog late_load_keys)
	for i in 1 2 3 4 5; do
		run env TSSWATCH_OPTIONS="log_dir=$BATS_TEST_TMPDIR/l:quiet=1" "$exe" "$LIB"
		[ "$status" -eq 0 ]
		[ "$output" = "failed creates: 0" ]
	done
}

# sanitized_tsd_leak EXE [VAR=value ...]: EXE, tests/progs/tsd_leak.c built
# with a sanitizer, run under the preload with the variables given, writes
# nothing on stderr and gets the plain build's report: the runtime's own
# key, threads and frames are not the program's.
sanitized_tsd_leak() {
	local exe=$1; shift
	LOGDIR=$BATS_TEST_TMPDIR/logs
	run --separate-stderr env "$@" LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=$LOGDIR:quiet=1" "$exe"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	REPORT=$BATS_TEST_TMPDIR/report.json
	"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT" || true
	[ "$(kinds)" = "tsd-leak=2" ]
	[ "$(frame tsd-leak set)" = "worker tsd_leak.c:$(line_of LEAK-SET tsd_leak)" ]
	[ "$(frame tsd-leak key_create)" = "main tsd_leak.c:$(line_of KEY-CREATE tsd_leak)" ]
	[ "$(frame tsd-leak thread_create)" = "main tsd_leak.c:$(line_of THREAD-CREATE tsd_leak)" ]
}

@test "an ASan+UBSan build of a program gets the same report as the plain build" {
	local exe=$BATS_TEST_TMPDIR/tsd_leak_asan
	cc -std=c17 -D_GNU_SOURCE -O0 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
		-o "$exe" "$TOP/tests/progs/tsd_leak.c" -lpthread 2>/dev/null || skip "no sanitizer runtime"
	sanitized_tsd_leak "$exe" ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0
}

# TSan's runtime creates its key while it starts, before its interceptors work.
@test "a ThreadSanitizer build of a program runs and gets the same report as the plain build" {
	local exe=$BATS_TEST_TMPDIR/tsd_leak_tsan
	gcc -std=c17 -D_GNU_SOURCE -O0 -g -fsanitize=thread -o "$exe" "$TOP/tests/progs/tsd_leak.c" \
		-lpthread || skip "gcc cannot link -fsanitize=thread: no libtsan (package libtsan2)"
	sanitized_tsd_leak "$exe"
}

# An allocator whose start-up creates a key and registers fork handlers:
# a preload that allocates inside that key's hook re-enters the start-up,
# the handlers are registered twice and the next fork deadlocks.  A hang
# fails the test (timeout's 124), in both preload orders.
fork_with_allocator() {
	local lib=$1 exe
	exe=$(prog fork_wait)
	plain env LD_PRELOAD="$lib" "$exe"
	[ "$PLAIN_OUT" = "child status 7" ]
	LOGDIR=$BATS_TEST_TMPDIR/logs
	for order in "$LIB $lib" "$lib $LIB"; do
		rm -rf "$LOGDIR"
		mkdir -p "$LOGDIR"
		run --separate-stderr timeout 30 env LD_PRELOAD="$order" \
			TSSWATCH_OPTIONS="log_dir=$LOGDIR:quiet=1" "$exe"
		[ "$status" -eq 0 ] || { echo "LD_PRELOAD='$order': status $status" >&2; return 1; }
		[ "$output" = "$PLAIN_OUT" ]
		run "$TSSWATCH" report --format json "$LOGDIR"
		[ "$status" -eq 0 ]
		[ "$(jq '.processes | length' <<<"$output")" = 2 ]
	done
}

@test "fork under an allocator that starts lazily from a key's hook does not hang" {
	no_foreign_allocator_under_asan
	fork_with_allocator "$(so lazy_alloc)"
}

@test "fork under jemalloc preloaded beside tsswatch does not hang" {
	local lib=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
	[ -e "$lib" ] || skip "libjemalloc.so.2 not installed (Debian package libjemalloc2)"
	no_foreign_allocator_under_asan
	fork_with_allocator "$lib"
}
