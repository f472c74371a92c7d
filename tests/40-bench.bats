#!/usr/bin/env bats
# The benchmark works (its numbers are read, never asserted: see bench/).
load test_helper

@test "make bench BENCH_SMALL=1 produces the table of every workload" {
	only_first_pass
	local out=$BATS_TEST_TMPDIR/bench.md
	run make -C "$TOP" -s bench BENCH_SMALL=1 BENCH_OUT="$out"
	[ "$status" -eq 0 ]
	for w in churn0 churn4 setget1 setget_all toggle live64 keys tsd16 dict16; do
		grep -q "^| $w |" "$out" || { echo "no row for $w"; return 1; }
	done
	grep -q '^## Memory' "$out"
	grep -q "tsswatch report" "$out"
}
