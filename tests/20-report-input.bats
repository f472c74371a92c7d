#!/usr/bin/env bats
# tsswatch report: reading logs, merging processes, rejecting bad input.

load test_helper
load report_helper
bats_require_minimum_version 1.5.0

@test "a complete log: every finding counted, exit 25 on errors" {
	run "$TSSWATCH" report --quiet "$LOGS/all-kinds.log"
	[ "$status" -eq 25 ]
	[ "$output" = "tsswatch: 14 findings (11 errors, 2 warnings, 1 info) in 1 process" ]
}

@test "a log with only warnings passes the default check" {
	run "$TSSWATCH" report --quiet "$LOGS/warnings.log"
	[ "$status" -eq 0 ]
	[ "$output" = "tsswatch: 1 finding (0 errors, 1 warning, 0 infos) in 1 process" ]
}

@test "a cut last line is dropped and the process marked incomplete" {
	run --separate-stderr "$TSSWATCH" report --format json "$LOGS/killed.log"
	[ "$status" -eq 25 ]
	[ -z "$stderr" ]
	[ "$(jq -c '.processes[0] | [.pid, .complete, .exit]' <<<"$output")" = '[200,false,"unknown"]' ]
	[ "$(jq -c '[.findings[].kind]' <<<"$output")" = '["thread-leak"]' ]
}

@test "a log without an X record is incomplete, its findings still reported" {
	run --separate-stderr "$TSSWATCH" report --format json "$LOGS/noexit.log"
	[ "$status" -eq 0 ]
	[ "$(jq -c '.processes[0] | [.complete, .exit]' <<<"$output")" = '[false,"unknown"]' ]
	[ "$(jq -r '.findings[0].message' <<<"$output")" = 'thread #2 "busy loop" was still running at process exit' ]
}

@test "a file that is not a log: one line, exit 2" {
	run "$TSSWATCH" report "$LOGS/notlog.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $LOGS/notlog.log: not a tsswatch log" ]
	printf '' > "$BATS_TEST_TMPDIR/empty.log"
	run "$TSSWATCH" report "$BATS_TEST_TMPDIR/empty.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $BATS_TEST_TMPDIR/empty.log: not a tsswatch log" ]
}

@test "a newer log format version is refused by name" {
	run "$TSSWATCH" report "$LOGS/newer.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $LOGS/newer.log: log format version 3 is newer than this tsswatch reads (2)" ]
}

@test "a bad field in the middle names file and line" {
	run "$TSSWATCH" report "$LOGS/badfield.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $LOGS/badfield.log:4: bad S record: offset 'zz' is not a hexadecimal number" ]
}

@test "a reference to an undefined id names file and line" {
	run "$TSSWATCH" report "$LOGS/undefined.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $LOGS/undefined.log:6: bad F record: stack 7 is not defined" ]
}

@test "more malformed records are errors, never a wrong report" {
	local log=$BATS_TEST_TMPDIR/bad.log head='tsswatch-log 1\nP 1 1 1 x x\n'
	for rec in 'Z 1 2' 'M 1 1000' 'M 0 1000 /x' 'S 1  1:10' 'T 1 0 0 q' 'K 1 3 2 0 0' \
		   'F no-such-kind 0 0 0 0 -' 'E 9 returned x' 'X exit 300' 'C threads_created=x' \
		   'M 1 1000 /bad%zzescape' 'M 1 1000 /nul%00byte' 'D 1 0' 'M 1 1000 /x abc' \
		   'M 1 1000 /x 0G' 'M 1 1000 /x ABCD' 'M 1 1000 /x ab cd'; do
		printf "${head}%s\nX exit 0\n" "$rec" > "$log"
		run "$TSSWATCH" report "$log"
		[ "$status" -eq 2 ] || { echo "accepted: $rec"; return 1; }
		[[ "$output" == "tsswatch: $log:3: "* ]] || { echo "$rec: $output"; return 1; }
		[ "${#lines[@]}" -eq 1 ]
	done
}

@test "a version 2 record without its @time, or with a bad one, is an error" {
	local log=$BATS_TEST_TMPDIR/bad.log
	for rec in 'X exit 0' 'X exit 0 @' 'X exit 0 @12x' 'X exit 0 12'; do
		printf 'tsswatch-log 2\nP 1 1 1 x x @5\n%s\n' "$rec" > "$log"
		run "$TSSWATCH" report "$log"
		[ "$status" -eq 2 ] || { echo "accepted: $rec"; return 1; }
		[[ "$output" == "tsswatch: $log:3: bad X record: "* ]] || { echo "$rec: $output"; return 1; }
	done
	printf 'tsswatch-log 2\nP 1 1 1 x x @5\nX exit 0 @7\n' > "$log"
	run "$TSSWATCH" report "$log"
	[ "$status" -eq 0 ]
}

@test "a module record with or without its build-id is read" {
	local log=$BATS_TEST_TMPDIR/ids.log
	printf 'tsswatch-log 1\nP 1 1 1 x x\nM 1 1000 /x\nM 2 2000 /y -\nM 3 3000 /z %s\nX exit 0\n' \
		"$(printf '%040d' 7)" > "$log"
	run "$TSSWATCH" report "$log"
	[ "$status" -eq 0 ]
}

@test "a record before the process record is an error" {
	printf 'tsswatch-log 1\nM 1 1000 /x\n' > "$BATS_TEST_TMPDIR/first.log"
	run "$TSSWATCH" report "$BATS_TEST_TMPDIR/first.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $BATS_TEST_TMPDIR/first.log:2: bad M record: the process (P record) must come first" ]
}

@test "a directory: every *.log, processes merged, findings keep their pid" {
	run --separate-stderr "$TSSWATCH" report --format json "$LOGS/multi"
	[ "$status" -eq 25 ]
	[ "$(jq -c '[.processes[] | [.pid, .command, .exit]]' <<<"$output")" = \
	  '[[400,"sh -c ./child","exec"],[400,"./child","exited 0"]]' ]
	[ "$(jq -c '[.findings[] | [.pid, .kind]]' <<<"$output")" = '[[400,"thread-leak"],[400,"key-leak"]]' ]
}

@test "logs and directories can be mixed" {
	run "$TSSWATCH" report --quiet "$LOGS/warnings.log" "$LOGS/multi"
	[ "$status" -eq 25 ]
	[ "$output" = "tsswatch: 3 findings (1 error, 2 warnings, 0 infos) in 3 processes" ]
}

@test "an empty directory or a missing path: one line, exit 2" {
	run "$TSSWATCH" report "$LOGS/empty"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $LOGS/empty: no tsswatch logs (*.log) in this directory" ]
	run "$TSSWATCH" report "$LOGS/no-such-thing"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $LOGS/no-such-thing: No such file or directory" ]
}

@test "no argument reads \${TMPDIR:-/tmp}/tsswatch-UID" {
	mkdir -p "$BATS_TEST_TMPDIR/tsswatch-$(id -u)"
	cp "$LOGS/warnings.log" "$BATS_TEST_TMPDIR/tsswatch-$(id -u)/"
	TMPDIR=$BATS_TEST_TMPDIR run "$TSSWATCH" report --quiet
	[ "$status" -eq 0 ]
	[ "$output" = "tsswatch: 1 finding (0 errors, 1 warning, 0 infos) in 1 process" ]
}

@test "identical findings merge: same process, kind and primary stack" {
	run --separate-stderr "$TSSWATCH" report --format json "$LOGS/merge.log"
	[ "$status" -eq 25 ]
	[ "$(jq -c '[.findings[] | .count]' <<<"$output")" = '[2,1]' ]
	[ "$(jq -c '.findings[0].threads' <<<"$output")" = '[{"serial":2,"name":"w1"},{"serial":3,"name":"w2"}]' ]
	[ "$(jq '.summary.findings' <<<"$output")" = 3 ]
}

@test "usage errors: unknown option, unknown command, missing value" {
	run "$TSSWATCH" report --x "$LOGS/warnings.log"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: unknown option '--x'" ]
	[ "${lines[1]}" = "try 'tsswatch --help'" ]
	run "$TSSWATCH" frobnicate
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: unknown command 'frobnicate'" ]
	run "$TSSWATCH" report --format
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: option '--format' needs a value" ]
	run "$TSSWATCH" report --format=xml "$LOGS/warnings.log"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: option '--format': unknown format 'xml' (text, json, sarif, html or trace)" ]
	run "$TSSWATCH"
	[ "$status" -eq 2 ]
}

@test "help and version" {
	run "$TSSWATCH" --version
	[ "$status" -eq 0 ]
	[ "$output" = "tsswatch $VERSION" ]
	run "$TSSWATCH" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"run "*"report "* ]]
	run "$TSSWATCH" help run
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: tsswatch run "* ]]
	run "$TSSWATCH" run --help
	[[ "${lines[0]}" == "usage: tsswatch run "* ]]
	[[ "$output" == *--keep-logs* ]]
	run "$TSSWATCH" report --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: tsswatch report "* ]]
	[[ "$output" == *--suppressions* ]]
}

@test "ASan/UBSan: every input above, no sanitizer report" {
	for log in all-kinds killed noexit notlog newer badfield undefined merge warnings multi empty; do
		asan_run report --format json "$LOGS/$log"* >/dev/null
		asan_run report --format sarif "$LOGS/$log"* >/dev/null
		asan_run report "$LOGS/$log"* >/dev/null
	done
	asan_run report --frobnicate
	[ "$status" -eq 2 ]
}
