#!/usr/bin/env bats
# Suppression files, --gen-suppressions, and what suppressed findings do to
# the reports and the exit status.

load test_helper
load report_helper
bats_require_minimum_version 1.5.0

supp() {
	SUPP=$BATS_TEST_TMPDIR/supp.txt
	printf '%s\n' "$@" > "$SUPP"
}

@test "a function pattern suppresses the finding: exit 0, reported as matched" {
	local log
	log=$(symbols_log symbols)
	supp '# the known leak' '' 'tsd-leak:set_*' 'thread-leak:start_thread'
	run --separate-stderr "$TSSWATCH" report --format json --suppressions "$SUPP" "$log"
	[ "$status" -eq 0 ]
	jq -e '[.findings[].suppressed] == [true,true] and .summary.findings == 0
		and .summary.by_kind == {}' <<<"$output"
	jq -e --arg f "$SUPP" '.suppressions == [
		{"kind":"tsd-leak","pattern":"set_*","file":$f,"line":3,"matched":1},
		{"kind":"thread-leak","pattern":"start_thread","file":$f,"line":4,"matched":1}]' <<<"$output"
	run "$TSSWATCH" report --suppressions "$SUPP" "$log"
	[ "$status" -eq 0 ]
	[[ "$output" != *"tsd-leak: error"* ]]
	[[ "$output" == *"suppression tsd-leak:set_* ($SUPP:3) matched 1"* ]]
	[ "${lines[-1]}" = "tsswatch: 0 findings (0 errors, 0 warnings, 0 infos) in 1 process" ]
}

@test "patterns match a file, its basename, a module or its basename; kind may be *" {
	local log
	log=$(symbols_log symbols)
	for pattern in 'symbols.c' "$TOP/tests/progs/*" 'libgone.so' '/nonexistent/libc.so.*' 'symbols'; do
		supp "*:$pattern"
		run "$TSSWATCH" report -q --suppressions "$SUPP" "$log"
		[ "$status" -eq 0 ] || { echo "$pattern did not match"; return 1; }
		[ "$output" = "tsswatch: 0 findings (0 errors, 0 warnings, 0 infos) in 1 process" ]
	done
}

@test "a suppression of another kind or an unmatched pattern changes nothing" {
	local log
	log=$(symbols_log symbols)
	supp 'key-leak:*' 'tsd-leak:no_such_function'
	run --separate-stderr "$TSSWATCH" report --format json --suppressions "$SUPP" "$log"
	[ "$status" -eq 25 ]
	jq -e '[.suppressions[].matched] == [0,0] and .summary.findings == 2' <<<"$output"
}

@test "the count of a merged finding is what a suppression matched" {
	supp 'tsd-leak:/nonexistent/app'
	run --separate-stderr "$TSSWATCH" report --format json --suppressions "$SUPP" "$LOGS/merge.log"
	[ "$status" -eq 0 ]
	jq -e '.suppressions[0].matched == 3' <<<"$output"
}

@test "--suppressions is repeatable" {
	local log
	log=$(symbols_log symbols)
	supp 'tsd-leak:set_value'
	cp "$SUPP" "$BATS_TEST_TMPDIR/one.txt"
	supp 'thread-leak:start_thread'
	run "$TSSWATCH" report -q --suppressions "$BATS_TEST_TMPDIR/one.txt" --suppressions "$SUPP" "$log"
	[ "$status" -eq 0 ]
}

@test "sarif carries suppressed findings with their suppression" {
	local log
	log=$(symbols_log symbols)
	supp 'tsd-leak:set_value'
	run --separate-stderr "$TSSWATCH" report --format sarif --suppressions "$SUPP" "$log"
	[ "$status" -eq 25 ]
	jq -e --arg j "$SUPP:1" '.runs[0].results[0].suppressions == [{"kind":"external","justification":$j}]
		and (.runs[0].results[1] | has("suppressions") | not)' <<<"$output"
}

@test "a bad suppression file: file and line named, exit 2" {
	supp '# fine' 'tsd-leak'
	run "$TSSWATCH" report --suppressions "$SUPP" "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $SUPP:2: expected kind:pattern" ]
	supp 'leak:foo'
	run "$TSSWATCH" report --suppressions "$SUPP" "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $SUPP:1: unknown finding kind 'leak'" ]
	supp 'tsd-leak:'
	run "$TSSWATCH" report --suppressions "$SUPP" "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $SUPP:1: expected kind:pattern" ]
	run "$TSSWATCH" report --suppressions "$BATS_TEST_TMPDIR/missing.txt" "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $BATS_TEST_TMPDIR/missing.txt: No such file or directory" ]
	run "$TSSWATCH" report --suppressions "$BATS_TEST_TMPDIR" "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $BATS_TEST_TMPDIR: Is a directory" ]
}

@test "--gen-suppressions: a line per finding that, pasted, suppresses it" {
	local log
	log=$(symbols_log symbols)
	run --separate-stderr "$TSSWATCH" report --quiet --gen-suppressions "$log"
	[ "$status" -eq 25 ]
	[ "${lines[0]}" = '# tsd-leak (pid 4242): thread #2 "worker" finished holding 0x5555deadbeef in key 3, which has no destructor' ]
	[ "${lines[1]}" = "tsd-leak:set_value" ]
	[ "${lines[3]}" = "thread-leak:start_thread" ]
	printf '%s\n' "${lines[@]:0:4}" > "$BATS_TEST_TMPDIR/gen.txt"
	run "$TSSWATCH" report -q --suppressions "$BATS_TEST_TMPDIR/gen.txt" "$log"
	[ "$status" -eq 0 ]
}

@test "--gen-suppressions with json: the document stays valid, lines on stderr" {
	local log
	log=$(symbols_log symbols)
	run --separate-stderr "$TSSWATCH" report --format json --gen-suppressions "$log"
	jq -e . <<<"$output" >/dev/null
	[[ "$stderr" == *"tsd-leak:set_value"* ]]
}

@test "--gen-suppressions: no known function, no made-up line" {
	run --separate-stderr "$TSSWATCH" report -q --gen-suppressions "$LOGS/warnings.log"
	[ "${lines[1]}" = "# (no frame with a known function to name)" ]
}

@test "ASan/UBSan: suppressions and generated suppressions" {
	local log
	log=$(symbols_log symbols)
	supp '# c' 'tsd-leak:set_*' '*:libgone.so'
	asan_run report --suppressions "$SUPP" --gen-suppressions "$log"
	[ "$status" -eq 0 ]
	supp 'bad line'
	asan_run report --suppressions "$SUPP" "$log"
	[ "$status" -eq 2 ]
}
