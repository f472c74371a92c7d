bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# One finding per bug: the same bug in several processes is merged (count
# summed, pids listed) in every format; fingerprints name a bug the same
# way on every run and tell two bugs apart.

load test_helper

# "function count npids" of each tsd-leak finding whose set is at line $1.
leak_at() {
	jq -r --argjson l "$1" '[.findings[] | select(.kind == "tsd-leak" and .stacks.set[0].line == $l)
		| "\(.stacks.set[0].function) \(.count) \(.pids | length)"] | join(",")' "${2:-$REPORT}"
}

fingerprint_of() {
	jq -r --argjson l "$1" '.findings[] | select(.stacks.set[0].line == $l) | .fingerprint' "$2"
}

@test "the same bug in 4 fork children: one finding, count 4, 4 pids; other bugs apart" {
	local child parent other
	check_prog fork_same_bug 4
	child=$(line_of CHILD-SET fork_same_bug)
	parent=$(line_of PARENT-SET fork_same_bug)
	other=$(line_of OTHER-SET fork_same_bug)
	[ "$(ls "$LOGDIR"/*.log | wc -l)" = 5 ]
	[ "$(leak_at "$child")" = "worker_a 4 4" ]
	[ "$(leak_at "$parent")" = "worker_a 1 1" ]
	[ "$(leak_at "$other")" = "worker_b 1 1" ]
	[ "$(kinds)" = "key-leak=1 recycled-id=1 tsd-leak=1 tsd-leak=1 tsd-leak=4" ]
	# the pids are the children's (every process but the parent), "pid" the first
	jq -e --argjson c "$child" --argjson p "$parent" '
		([.findings[] | select(.stacks.set[0].line == $p)][0].pid) as $parent
		| [.findings[] | select(.stacks.set[0].line == $c)][0] as $f
		| ($f.pids | sort) == ([.processes[].pid | select(. != $parent)] | sort)
		  and $f.pid == $f.pids[0]' "$REPORT"
	[ "$(jq '.summary.by_kind["tsd-leak"]' "$REPORT")" = 6 ]
}

@test "the merged finding in text and sarif: \"in 4 processes\", the pids, partialFingerprints" {
	local exe child fp
	exe=$(prog fork_same_bug)
	preload_run "$exe" 4
	child=$(line_of CHILD-SET fork_same_bug)
	REPORT=$BATS_TEST_TMPDIR/r.json
	report_json >"$REPORT" || [ $? -eq 25 ]
	fp=$(fingerprint_of "$child" "$REPORT")
	[[ "$fp" =~ ^[0-9a-f]{16}$ ]]
	run "$TSSWATCH" report "$LOGDIR"
	[ "$status" -eq 25 ]
	[[ "$output" == *"tsd-leak: error, 4 occurrences"$'\n'*$'\n'"  in 4 processes: pids "[0-9]*", "[0-9]*", "[0-9]*", "[0-9]*"; threads of pid "[0-9]*" #2 \"fork_same_bug\"; key "[0-9]*"; fingerprint $fp"$'\n'* ]]
	run "$TSSWATCH" report --format sarif "$LOGDIR"
	[ "$status" -eq 25 ]
	jq -e --arg fp "$fp" '[.runs[0].results[] | select(.partialFingerprints["tsswatchStack/v1"] == $fp
		and .properties.count == 4)] | length == 1
		and (.[0].properties.pids | length) == 4' <<<"$output"
}

@test "fingerprints: the same on two runs (other pids, addresses), different for two bugs" {
	local exe child parent other r1 r2
	exe=$(prog fork_same_bug)
	child=$(line_of CHILD-SET fork_same_bug)
	parent=$(line_of PARENT-SET fork_same_bug)
	other=$(line_of OTHER-SET fork_same_bug)
	r1=$BATS_TEST_TMPDIR/r1.json
	r2=$BATS_TEST_TMPDIR/r2.json
	preload_run "$exe" 2
	report_json >"$r1" || [ $? -eq 25 ]
	preload_run "$exe" 3
	report_json >"$r2" || [ $? -eq 25 ]
	[ "$(leak_at "$child" "$r1")" = "worker_a 2 2" ]
	[ "$(leak_at "$child" "$r2")" = "worker_a 3 3" ]
	[ "$(jq -c '[.findings[].pids[]] | sort' "$r1")" != "$(jq -c '[.findings[].pids[]] | sort' "$r2")" ]
	for l in "$child" "$parent" "$other"; do
		[ "$(fingerprint_of "$l" "$r1")" = "$(fingerprint_of "$l" "$r2")" ]
	done
	# no line numbers: two lines of one function are one fingerprint
	[ "$(fingerprint_of "$child" "$r1")" = "$(fingerprint_of "$parent" "$r1")" ]
	[ "$(fingerprint_of "$child" "$r1")" != "$(fingerprint_of "$other" "$r1")" ]
	# every finding has one, and the kinds tell apart the same stack
	[ "$(jq '[.findings[] | .fingerprint | select(test("^[0-9a-f]{16}$"))] | length' "$r1")" = \
	  "$(jq '.findings | length' "$r1")" ]
}
