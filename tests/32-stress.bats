bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# Issue 8: stress.  Threads creating, setting and deleting keys and
# creating, joining and detaching threads all at once, for a bounded number
# of rounds: no deadlock, no crash, no finding, and the counters equal what
# the program counted itself.  Each runs a few times: the races it looks for
# do not show on every run.

load test_helper
load hostile_helper

# Runs PROGRAM ARGS under tsswatch RUNS times; each time the program's own
# "name=value ..." line must equal the report's counters, with no finding.
counted_runs() {
	local runs=$1 exe=$2; shift 2
	local i kv
	for ((i = 0; i < runs; i++)); do
		tsw_run -- "$exe" "$@"
		[ "$status" -eq 0 ] || { echo "run $i: status $status: $stderr" >&2; return 1; }
		[[ $stderr != *"WARNING: ThreadSanitizer"* ]] || { echo "run $i: $stderr" >&2; return 1; }
		[ "$(kinds)" = "" ] || { echo "run $i: findings: $(kinds)" >&2; return 1; }
		for kv in $output; do
			[ "$(counter "${kv%%=*}")" = "${kv#*=}" ] ||
				{ echo "run $i: ${kv%%=*}: $(counter "${kv%%=*}"), the program says ${kv#*=}" >&2; return 1; }
		done
	done
}

@test "stress: 4 threads x 400 rounds of keys, values, joined, detached and C11 threads" {
	local exe
	exe=$(prog stress)
	plain "$exe" 4 400
	[ "$PLAIN_OUT" = "threads_created=2204 threads_joined=1804 threads_detached=400 keys_created=1802 keys_deleted=1802 values_set=5600 destructor_calls=3800" ]
	counted_runs 3 "$exe" 4 400
}

@test "stress: 4 threads creating and joining 500 threads each: no stale-thread, no thread-leak" {
	local exe
	exe=$(prog churn)
	counted_runs 3 "$exe" 4 500
}

@test "stress: the same with check_get (getspecific and tss_get checked too)" {
	local exe
	exe=$(prog stress)
	local i
	for i in 1 2; do
		tsw_run --check-get -- "$exe" 2 300
		[ "$status" -eq 0 ]
		[ "$(kinds)" = "" ]
		[ "$(counter keys_created)" = "$(counter keys_deleted)" ]
	done
}

# tsswatch's own code under ThreadSanitizer: the preload built with it
# (make tsan) in a TSan-built stress program, which TSan checks as one
# program.  Any race or lock-order inversion TSan sees fails the run
# (status 66, its report on stderr).  What it covers: tests/README.md.
@test "stress under ThreadSanitizer: tsswatch built with TSan reports no race, counters exact" {
	echo 'int main(void) { return 0; }' | gcc -x c -fsanitize=thread -o "$BATS_TEST_TMPDIR/t" - ||
		skip "gcc cannot link -fsanitize=thread: no libtsan (package libtsan2)"
	export TSSWATCH_LIB=$TOP/build/tsan/libtsswatch.so
	[ -f "$TSSWATCH_LIB" ] || { echo "$TSSWATCH_LIB: not built (make tsan)" >&2; return 1; }
	local exe=$BATS_TEST_TMPDIR/stress_tsan
	gcc -std=c17 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -fsanitize=thread \
		-o "$exe" "$TOP/tests/progs/stress.c" -lpthread
	export TSAN_OPTIONS=halt_on_error=1
	counted_runs 3 "$exe" 4 1000 no-thrd
	[ "$output" = "threads_created=5504 threads_joined=4504 threads_detached=1000 keys_created=4502 keys_deleted=4502 values_set=14000 destructor_calls=9500" ]
	tsw_run --check-get -- "$exe" 2 300 no-thrd
	[ "$status" -eq 0 ]
	[[ $stderr != *ThreadSanitizer* ]]
	[ "$(kinds)" = "" ]
}
