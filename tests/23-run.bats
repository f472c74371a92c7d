#!/usr/bin/env bats
# tsswatch run: starting the program under the preload, its exit status,
# the environment it gets, and the logs.

load test_helper
load report_helper
bats_require_minimum_version 1.5.0

setup() {
	[ -f "$LIB" ] || { echo "preload/libtsswatch.so missing: make" >&2; return 1; }
	T=$(prog run_target)
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
}

@test "a clean program's own exit status comes through" {
	run "$TSSWATCH" run -q -- "$T" exit 3
	[ "$status" -eq 3 ]
	[ "$output" = "tsswatch: 0 findings (0 errors, 0 warnings, 0 infos) in 1 process" ]
	run "$TSSWATCH" run -q "$T" exit 0
	[ "$status" -eq 0 ]
}

@test "a finding that fails the check: the error exit code" {
	run "$TSSWATCH" run -q -- "$T" leak
	[ "$status" -eq 25 ]
	run "$TSSWATCH" run -q --error-exitcode 9 -- "$T" leak
	[ "$status" -eq 9 ]
	run "$TSSWATCH" run -q --fail-on=thread-leak -- "$T" leak
	[ "$status" -eq 0 ]
}

@test "the report goes to stderr, the program's output stays on stdout" {
	run --separate-stderr "$TSSWATCH" run -- "$T" env
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "$stderr" == *"tsswatch: 0 findings"* ]]
}

@test "killed by a signal: 128+signal, and the json says so" {
	run --separate-stderr "$TSSWATCH" run --format json -- "$T" signal 15
	[ "$status" -eq 143 ]
	jq -e '.processes[0] | .exit == "killed by signal 15" and .complete == false' <<<"$stderr"
}

@test "a command that cannot run: 127 not found, 126 not executable" {
	run -127 "$TSSWATCH" run -- "$BATS_TEST_TMPDIR/no-such-program"
	[ "$output" = "tsswatch: cannot run '$BATS_TEST_TMPDIR/no-such-program': No such file or directory" ]
	run -127 "$TSSWATCH" run -- no-such-program-in-path
	touch "$BATS_TEST_TMPDIR/data"
	run "$TSSWATCH" run -- "$BATS_TEST_TMPDIR/data"
	[ "$status" -eq 126 ]
	[ "$output" = "tsswatch: cannot run '$BATS_TEST_TMPDIR/data': Permission denied" ]
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "LD_PRELOAD and TSSWATCH_OPTIONS: ours first, the user's kept after" {
	run --separate-stderr env LD_PRELOAD= TSSWATCH_OPTIONS= "$TSSWATCH" run -- "$T" env
	[ "${lines[0]}" = "LD_PRELOAD=$LIB" ]
	[[ "${lines[1]}" =~ ^TSSWATCH_OPTIONS=log_dir=$TMPDIR/tsswatch-run\.[A-Za-z0-9]{6}:quiet=1$ ]]
	run --separate-stderr env LD_PRELOAD=libm.so.6 TSSWATCH_OPTIONS=stack_depth=4 \
		"$TSSWATCH" run --stack-depth 7 --check-get --report-main -- "$T" env
	[ "${lines[0]}" = "LD_PRELOAD=$LIB libm.so.6" ]
	[[ "${lines[1]}" =~ ^TSSWATCH_OPTIONS=log_dir=[^:]+:quiet=1:stack_depth=7:check_get=1:report_main=1:stack_depth=4$ ]]
}

@test "--stack-depth 100 and 256, the limit: stacks of that many frames" {
	local exe
	exe=$(prog deep_create)
	for depth in 100 256; do
		run --separate-stderr "$TSSWATCH" run --stack-depth "$depth" --format json \
			-o "$BATS_TEST_TMPDIR/r.json" -- "$exe"
		[ "$status" -eq 25 ]
		[[ "$stderr" != *"bad value"* ]]
		run jq -r '.findings[] | select(.kind == "tsd-leak") | .stacks.thread_create | length' \
			"$BATS_TEST_TMPDIR/r.json"
		[ "$output" = "$depth" ]
	done
	run jq -r '.findings[] | select(.kind == "tsd-leak") | .stacks.thread_create[0].line' \
		"$BATS_TEST_TMPDIR/r.json"
	[ "$output" = "$(line_of DEEP-CREATE deep_create)" ]
	run "$TSSWATCH" run --stack-depth 257 -- "$exe"
	[ "$status" -eq 2 ]
}

@test "TSSWATCH_LIB chooses the library; a missing one is exit 2" {
	run --separate-stderr env TSSWATCH_LIB="$LIB" "$TSSWATCH" run -- "$T" env
	[ "${lines[0]}" = "LD_PRELOAD=$LIB" ]
	run env TSSWATCH_LIB="$BATS_TEST_TMPDIR/nope.so" "$TSSWATCH" run -- "$T" exit 0
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: TSSWATCH_LIB: $BATS_TEST_TMPDIR/nope.so: No such file or directory" ]
}

@test "the private log dir is removed; --keep-logs keeps this run's logs" {
	run "$TSSWATCH" run -q -- "$T" fork
	[ "$status" -eq 25 ]
	[ "$output" = "tsswatch: 1 finding (1 error, 0 warnings, 0 infos) in 2 processes" ]
	[ -z "$(ls -A "$TMPDIR")" ]
	run "$TSSWATCH" run -q --keep-logs "$BATS_TEST_TMPDIR/kept" -- "$T" fork
	[ "$status" -eq 25 ]
	[ "$(ls "$BATS_TEST_TMPDIR/kept" | grep -c '\.log$')" -eq 2 ]
	# a second run into the same dir reports only its own processes
	run "$TSSWATCH" run -q --keep-logs "$BATS_TEST_TMPDIR/kept" -- "$T" exit 0
	[ "$status" -eq 0 ]
	[ "$output" = "tsswatch: 0 findings (0 errors, 0 warnings, 0 infos) in 1 process" ]
	run "$TSSWATCH" report -q "$BATS_TEST_TMPDIR/kept"
	[ "$output" = "tsswatch: 1 finding (1 error, 0 warnings, 0 infos) in 3 processes" ]
}

@test "run: usage errors" {
	run "$TSSWATCH" run
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: run: no command given" ]
	run "$TSSWATCH" run --bogus -- "$T"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: unknown option '--bogus'" ]
	[ "${lines[1]}" = "try 'tsswatch --help'" ]
	run "$TSSWATCH" run --stack-depth x -- "$T"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: option '--stack-depth': 'x' is not a number from 1 to 256" ]
}

@test "ASan/UBSan: run, with findings, a signal and a program that cannot run" {
	export TSSWATCH_LIB=$LIB        # build/asan has no ../preload next to it
	asan_run run -q -- "$T" leak
	[ "$status" -eq 25 ]
	asan_run run -q --format sarif -- "$T" signal 15
	[ "$status" -eq 143 ]
	touch "$BATS_TEST_TMPDIR/data"
	asan_run run -- "$BATS_TEST_TMPDIR/data"
	[ "$status" -eq 126 ]
}

@test "run: a statically linked program runs unchecked, says so, keeps its status" {
	local exe=$BATS_TEST_TMPDIR/static
	printf '#include <stdio.h>\nint main(void) { puts("static hello"); return 4; }\n' >"$BATS_TEST_TMPDIR/s.c"
	cc -static -o "$exe" "$BATS_TEST_TMPDIR/s.c" || skip "no static libc"
	run --separate-stderr "$TSSWATCH" run -- "$exe"
	[ "$status" -eq 4 ]
	[ "$output" = "static hello" ]
	[ "${stderr%%$'\n'*}" = "tsswatch: '$exe' ran unchecked: it wrote no log (statically linked or set-user-ID?)" ]
	# a CI job still finds its report
	local json=$BATS_TEST_TMPDIR/r.json
	run --separate-stderr "$TSSWATCH" run --format json --output "$json" -- "$exe"
	[ "$status" -eq 4 ]
	[ "$(jq -c '[.summary.findings, (.processes | length)]' "$json")" = "[0,0]" ]
}

@test "run: a shell that leaves by _exit is complete; the text report shows the process tree" {
	local leak clean
	leak=$(prog tsd_leak)
	clean=$(prog thread_clean)
	run --separate-stderr "$TSSWATCH" run -- sh -c "$leak; exec $clean"
	[ "$status" -eq 25 ]
	local procs
	procs=$(grep 'process [0-9]' <<<"$stderr" | sed -E 's/(process|ppid|exited) [0-9]+/\1 N/g')
	[ "$procs" = "process N (ppid N) sh -c $leak; exec $clean: exec, complete
process N (ppid N) $clean: exited N, complete
  process N (ppid N) $leak: exited N, complete" ]
	run --separate-stderr "$TSSWATCH" run --format json -- sh -c "$clean; $clean"
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.processes[] | .complete] | all' <<<"$stderr")" = true ]
	[ "$(jq -r '.processes | length' <<<"$stderr")" = 3 ]
}
