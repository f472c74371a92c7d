#!/usr/bin/env bats
# --baseline FILE: an earlier run's JSON report; its findings are unchanged
# and never fail the check, new ones do, what it held and this run has not
# is absent (SARIF).  Bad baseline files: one line, exit 2.
bats_require_minimum_version 1.5.0
load test_helper

setup() {
	LEAK=$(prog tsd_leak)
	THREADS=$(prog thread_leak)
	CLEAN=$(prog tsd_clean)
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
	BASE=$BATS_TEST_TMPDIR/base.json
	# the old code base: a tsd-leak and a thread-leak
	run "$TSSWATCH" run --format json --output "$BASE" -- sh -c "$LEAK; $THREADS"
	[ "$status" -eq 25 ]
	[ "$(jq -r '[.findings[].kind] | sort | join(" ")' "$BASE")" = "thread-leak tsd-leak" ]
}

# "kind=state" of every finding of the JSON report on stdin, sorted.
states() {
	jq -r '[.findings[] | "\(.kind)=\(.baseline)"] | sort | join(" ")'
}

@test "same findings as the baseline: exit 0, every finding unchanged" {
	run --separate-stderr "$TSSWATCH" run --baseline "$BASE" --format json -- sh -c "$LEAK; $THREADS"
	[ "$status" -eq 0 ]
	[ "$(states <<<"$stderr")" = "thread-leak=unchanged tsd-leak=unchanged" ]
	run "$TSSWATCH" run -q --baseline "$BASE" -- sh -c "$LEAK; $THREADS"
	[ "$status" -eq 0 ]
	[[ "$output" == *"in 3 processes; 0 new, 3 unchanged from the baseline, 0 of its 2 gone" ]]
}

@test "one new finding: exit 25, marked new in JSON, SARIF and text, and shown first" {
	local keys
	keys=$(prog key_leak)
	run --separate-stderr "$TSSWATCH" run --baseline "$BASE" --fail-on=warning --format json \
		-- sh -c "$LEAK; $keys; $THREADS"
	[ "$status" -eq 25 ]
	[ "$(states <<<"$stderr")" = "key-leak=new thread-leak=unchanged tsd-leak=unchanged" ]
	run --separate-stderr "$TSSWATCH" run --baseline "$BASE" --fail-on=warning --format sarif \
		-- sh -c "$LEAK; $keys; $THREADS"
	[ "$status" -eq 25 ]
	[ "$(jq -r '[.runs[0].results[] | "\(.ruleId)=\(.baselineState)"] | sort | join(" ")' \
		<<<"$stderr")" = "key-leak=new thread-leak=unchanged tsd-leak=unchanged" ]
	run --separate-stderr "$TSSWATCH" run --baseline "$BASE" --fail-on=warning -- sh -c "$LEAK; $keys; $THREADS"
	[ "$status" -eq 25 ]
	# the new finding first, though a warning comes after errors without a baseline
	[ "$(grep -E '^[a-z-]+: (error|warning|info),' <<<"$stderr" | head -n 1)" = \
		"key-leak: warning, 1 occurrence, new" ]
	[ "$(grep -c ', unchanged$' <<<"$stderr")" -eq 2 ]
	[[ "$stderr" == *"; 1 new, 3 unchanged from the baseline, 0 of its 2 gone" ]]
}

@test "a new finding that does not fail the check keeps the program's status" {
	local keys
	keys=$(prog key_leak)
	run "$TSSWATCH" run -q --baseline "$BASE" -- sh -c "$LEAK; $keys; exit 4"
	[ "$status" -eq 4 ]
}

@test "one fixed finding: absent in SARIF, at its old place, with its fingerprint" {
	local fp
	fp=$(jq -r '.findings[] | select(.kind == "thread-leak") | .fingerprint' "$BASE")
	run --separate-stderr "$TSSWATCH" run --baseline "$BASE" --format sarif -- "$LEAK"
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.runs[0].results[] | "\(.ruleId)=\(.baselineState)"] | sort | join(" ")' \
		<<<"$stderr")" = "thread-leak=absent tsd-leak=unchanged" ]
	run jq -r '.runs[0].results[] | select(.baselineState == "absent")
		| "\(.partialFingerprints["tsswatchStack/v1"]) \(.level)
		   \(.locations[0].physicalLocation.artifactLocation.uri | split("/") | last)
		   \(.locations[0].physicalLocation.region.startLine)"' <<<"$stderr"
	[ "$(echo $output)" = "$fp error thread_leak.c $(line_of UNJOINED thread_leak)" ]
	# the text and JSON reports have no absent findings, only the count
	run "$TSSWATCH" run -q --baseline "$BASE" -- "$CLEAN"
	[ "$status" -eq 0 ]
	[[ "$output" == *"; 0 new, 0 unchanged from the baseline, 2 of its 2 gone" ]]
}

@test "report --baseline reads kept logs as run does" {
	local logs=$BATS_TEST_TMPDIR/logs keys
	keys=$(prog key_leak)
	run "$TSSWATCH" run -q --keep-logs "$logs" -- sh -c "$LEAK; $keys"
	run --separate-stderr "$TSSWATCH" report --baseline "$BASE" --format json "$logs"
	[ "$status" -eq 0 ]
	[ "$(states <<<"$output")" = "key-leak=new tsd-leak=unchanged" ]
	run --separate-stderr "$TSSWATCH" report --baseline "$BASE" --fail-on=warning --format json "$logs"
	[ "$status" -eq 25 ]
}

@test "without --baseline the JSON has no baseline member and SARIF no baselineState" {
	run --separate-stderr "$TSSWATCH" run --format json -- "$LEAK"
	jq -e '[.findings[] | has("baseline")] == [false]' <<<"$stderr"
	run --separate-stderr "$TSSWATCH" run --format sarif -- "$LEAK"
	jq -e '[.runs[0].results[] | has("baselineState")] == [false]' <<<"$stderr"
}

@test "a report made with --baseline is itself a baseline" {
	local again=$BATS_TEST_TMPDIR/again.json
	run "$TSSWATCH" run --baseline "$BASE" --format json --output "$again" -- sh -c "$LEAK; $THREADS"
	[ "$status" -eq 0 ]
	run "$TSSWATCH" run -q --baseline "$again" -- sh -c "$LEAK; $THREADS"
	[ "$status" -eq 0 ]
}

# A bad baseline: exit 2, one line on stderr naming the file, nothing run.
bad_baseline() {
	local file=$1 want=$2 marker=$BATS_TEST_TMPDIR/ran
	rm -f "$marker"
	run --separate-stderr "$TSSWATCH" run --baseline "$file" -- touch "$marker"
	[ "$status" -eq 2 ] || { echo "run: $status: $stderr"; return 1; }
	[ "$(wc -l <<<"$stderr")" -eq 1 ] || { echo "$stderr"; return 1; }
	[[ "$stderr" == "tsswatch: $file: $want"* ]] || { echo "$stderr"; return 1; }
	[ ! -e "$marker" ]
	run --separate-stderr "$TSSWATCH" report --baseline "$file" "$BATS_TEST_TMPDIR"
	[ "$status" -eq 2 ] && [ "$(wc -l <<<"$stderr")" -eq 1 ]
}

@test "bad baseline files: missing, unreadable, a directory, not JSON, not tsswatch's: exit 2, one line" {
	local d=$BATS_TEST_TMPDIR
	bad_baseline "$d/missing.json" "No such file or directory"
	bad_baseline "$d" "Is a directory"
	printf 'leak: yes\n' >"$d/text"
	bad_baseline "$d/text" "not a tsswatch JSON report: line 1: not JSON"
	head -c 200 "$BASE" >"$d/cut.json"
	bad_baseline "$d/cut.json" "not a tsswatch JSON report: line "
	: >"$d/empty.json"
	bad_baseline "$d/empty.json" "not a tsswatch JSON report: line 1: the document ends early"
	"$TSSWATCH" run --format sarif --output "$d/r.sarif" -- "$LEAK" || true
	bad_baseline "$d/r.sarif" "not a tsswatch JSON report (no \"tool\": \"tsswatch\""
	echo '{"tool": "tsswatch", "version": "0.1.0"}' >"$d/nofindings.json"
	bad_baseline "$d/nofindings.json" "not a tsswatch JSON report (no \"findings\" array)"
	jq 'del(.findings[1].fingerprint)' "$BASE" >"$d/old.json"
	bad_baseline "$d/old.json" "finding 2 has no fingerprint"
	if [ "$(id -u)" != 0 ]; then
		cp "$BASE" "$d/secret.json"
		chmod 000 "$d/secret.json"
		bad_baseline "$d/secret.json" "Permission denied"
	fi
}

@test "--baseline twice is a usage error" {
	run "$TSSWATCH" report --baseline "$BASE" --baseline "$BASE" "$BATS_TEST_TMPDIR"
	[ "$status" -eq 2 ]
	[[ "$output" == *"option '--baseline' is given twice"* ]]
}
