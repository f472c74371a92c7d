bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# Issue 17: a real allocator preloaded beside tsswatch, in either order,
# and a program that forks (fork, vfork+exec, posix_spawn) hundreds of
# times from a thread while other threads create, set and delete keys and
# start threads that end.  A deadlock in a fork handler (the allocator's
# or tsswatch's) hangs the program: it runs under timeout(1), whose 124
# fails the test.  timeout itself runs outside the preload (a preloaded
# timeout would fork under it too, and hang there unseen).

load test_helper
load hostile_helper

# Seconds before a run counts as hung: 300 forks take about 2 s on an
# idle machine.
HANG=120

# fork_under LIB PACKAGE ORDER MODE ROUNDS WORKERS
fork_under() {
	local lib=/usr/lib/x86_64-linux-gnu/$1 pre
	[ -e "$lib" ] || skip "$1 not installed (Debian package $2)"
	no_foreign_allocator_under_asan
	case $3 in
	tsswatch-first) pre="$LIB $lib" ;;
	allocator-first) pre="$lib $LIB" ;;
	esac
	local exe rounds=$5
	exe=$(prog fork_busy)
	LOGDIR=$BATS_TEST_TMPDIR/logs
	REPORT=$BATS_TEST_TMPDIR/report.json
	mkdir -p "$LOGDIR"
	run --separate-stderr timeout -k 5 $HANG env LD_PRELOAD="$pre" \
		TSSWATCH_OPTIONS="log_dir=$LOGDIR:quiet=1" "$exe" "$4" "$rounds" "$6"
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		echo "hung: killed by timeout after $HANG s (status $status)" >&2
		return 1
	fi
	[ "$status" -eq 0 ] || { echo "status $status: $output $stderr" >&2; return 1; }
	[ "$output" = "children exited 7: $rounds of $rounds" ]
	"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT" || [ $? -eq 25 ]
	# every child wrote its log, and tsswatch reports nothing but the
	# allocator's own key, which it never deletes
	[ "$(jq '.processes | length' "$REPORT")" -eq $((rounds + 1)) ]
	[ "$(severity_count error)" = 0 ]
	run jq -r '[.findings[] | .kind + " " + (.stacks.key_create[0].module // "-")] | unique | join("|")' "$REPORT"
	[ -z "$output" ] || [ "$output" = "key-leak $lib" ]
}

# (main's plain fork+wait under jemalloc: 30-hostile.bats)
@test "jemalloc, tsswatch first: 200 forks from a thread among 4 busy threads" {
	fork_under libjemalloc.so.2 libjemalloc2 tsswatch-first fork 200 4
}
@test "jemalloc, jemalloc first: 200 forks from a thread among 4 busy threads" {
	fork_under libjemalloc.so.2 libjemalloc2 allocator-first fork 200 4
}
@test "jemalloc, tsswatch first: 100 vforks from a thread among 4 busy threads" {
	fork_under libjemalloc.so.2 libjemalloc2 tsswatch-first vfork 100 4
}
@test "jemalloc, jemalloc first: 100 vforks from a thread among 4 busy threads" {
	fork_under libjemalloc.so.2 libjemalloc2 allocator-first vfork 100 4
}
@test "jemalloc, tsswatch first: 100 posix_spawns from a thread among 4 busy threads" {
	fork_under libjemalloc.so.2 libjemalloc2 tsswatch-first spawn 100 4
}
@test "jemalloc, jemalloc first: 100 posix_spawns from a thread among 4 busy threads" {
	fork_under libjemalloc.so.2 libjemalloc2 allocator-first spawn 100 4
}

@test "tcmalloc, tsswatch first: main forks 300 times" {
	fork_under libtcmalloc.so.4 libgoogle-perftools4 tsswatch-first main 300 0
}
@test "tcmalloc, tcmalloc first: main forks 300 times" {
	fork_under libtcmalloc.so.4 libgoogle-perftools4 allocator-first main 300 0
}
@test "tcmalloc, tsswatch first: 200 forks from a thread among 4 busy threads" {
	fork_under libtcmalloc.so.4 libgoogle-perftools4 tsswatch-first fork 200 4
}
@test "tcmalloc, tcmalloc first: 200 forks from a thread among 4 busy threads" {
	fork_under libtcmalloc.so.4 libgoogle-perftools4 allocator-first fork 200 4
}
@test "tcmalloc, tsswatch first: 100 vforks from a thread among 4 busy threads" {
	fork_under libtcmalloc.so.4 libgoogle-perftools4 tsswatch-first vfork 100 4
}
@test "tcmalloc, tcmalloc first: 100 vforks from a thread among 4 busy threads" {
	fork_under libtcmalloc.so.4 libgoogle-perftools4 allocator-first vfork 100 4
}
@test "tcmalloc, tsswatch first: 100 posix_spawns from a thread among 4 busy threads" {
	fork_under libtcmalloc.so.4 libgoogle-perftools4 tsswatch-first spawn 100 4
}
@test "tcmalloc, tcmalloc first: 100 posix_spawns from a thread among 4 busy threads" {
	fork_under libtcmalloc.so.4 libgoogle-perftools4 allocator-first spawn 100 4
}

@test "mimalloc, tsswatch first: main forks 300 times" {
	fork_under libmimalloc.so.2 libmimalloc2.0 tsswatch-first main 300 0
}
@test "mimalloc, mimalloc first: main forks 300 times" {
	fork_under libmimalloc.so.2 libmimalloc2.0 allocator-first main 300 0
}
@test "mimalloc, tsswatch first: 200 forks from a thread among 4 busy threads" {
	fork_under libmimalloc.so.2 libmimalloc2.0 tsswatch-first fork 200 4
}
@test "mimalloc, mimalloc first: 200 forks from a thread among 4 busy threads" {
	fork_under libmimalloc.so.2 libmimalloc2.0 allocator-first fork 200 4
}
@test "mimalloc, tsswatch first: 100 vforks from a thread among 4 busy threads" {
	fork_under libmimalloc.so.2 libmimalloc2.0 tsswatch-first vfork 100 4
}
@test "mimalloc, mimalloc first: 100 vforks from a thread among 4 busy threads" {
	fork_under libmimalloc.so.2 libmimalloc2.0 allocator-first vfork 100 4
}
@test "mimalloc, tsswatch first: 100 posix_spawns from a thread among 4 busy threads" {
	fork_under libmimalloc.so.2 libmimalloc2.0 tsswatch-first spawn 100 4
}
@test "mimalloc, mimalloc first: 100 posix_spawns from a thread among 4 busy threads" {
	fork_under libmimalloc.so.2 libmimalloc2.0 allocator-first spawn 100 4
}

@test "glibc's malloc: 200 forks from a thread among 4 busy threads" {
	# Built with ASan (tests/run's second pass), this program hangs in a
	# fork child without tsswatch too: the child's first thread waits
	# forever inside gcc 12's ASan runtime, which a fork from one thread
	# while others allocate leaves locked.
	[ -z "${TSSWATCH_TEST_ASAN:-}" ] || skip "an ASan build of fork_busy hangs in its fork children without tsswatch"
	local exe rounds=200
	exe=$(prog fork_busy)
	LOGDIR=$BATS_TEST_TMPDIR/logs
	REPORT=$BATS_TEST_TMPDIR/report.json
	mkdir -p "$LOGDIR"
	run --separate-stderr timeout -k 5 $HANG env LD_PRELOAD="$LIB" \
		TSSWATCH_OPTIONS="log_dir=$LOGDIR:quiet=1" "$exe" fork $rounds 4
	[ "$status" -eq 0 ] || { echo "status $status: $output $stderr" >&2; return 1; }
	[ "$output" = "children exited 7: $rounds of $rounds" ]
	"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT"
	[ "$(jq '.processes | length' "$REPORT")" -eq $((rounds + 1)) ]
	[ "$(kinds)" = "" ]
}
