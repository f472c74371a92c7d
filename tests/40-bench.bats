#!/usr/bin/env bats
# The benchmark works (its numbers are read, never asserted: see bench/).
load test_helper

@test "make bench BENCH_SMALL=1 produces the table of every workload, and instruction counts" {
	only_first_pass
	local out=$BATS_TEST_TMPDIR/bench.md
	run make -C "$TOP" -s bench BENCH_SMALL=1 BENCH_OUT="$out"
	echo "$output"
	[ "$status" -eq 0 ]
	local times
	times=$(sed -n '/^## Per-operation/,/^## [^P]/p' "$out")
	grep -q "| tsswatch / null | fastest runs: tsswatch / null |$" <<<"$times"
	for w in churn0 churn4 setget1 setget_all toggle scoped16 live64 reset64 sites16 keys tsd16 \
		 dict16 malloc; do
		grep -q "^| $w |" <<<"$times" || { echo "no row for $w"; return 1; }
	done
	if command -v valgrind >/dev/null; then
		sed -n '/^## Instructions per operation/,/^## [^I]/p' "$out" |
			grep -Eq '^\| setget1 \| [^|]+( \| [0-9]+){3} \| [+-][0-9]+ \| [0-9.]+x \|$' ||
			{ echo "no instruction counts for setget1"; return 1; }
	else
		grep -q 'valgrind not installed: no instruction counts' "$out"
	fi
	grep -q '^## Memory' "$out"
	grep -q "tsswatch report" "$out"
}

@test "bench/stats.awk: each ratio is taken within its round; dict16 is to tsd16; fastest runs" {
	only_first_pass
	run awk -f "$TOP/bench/lib.awk" -f "$TOP/bench/stats.awk" <<'IN'
tool none
tool null
tool tsswatch
work a one op
work b no base in round 1
work tsd16 another
work dict16 names
work c fastest apart
a none 1 10
a null 1 11
a tsswatch 1 12
a none 2 20
a null 2 20
a tsswatch 2 30
a none 3 10
a null 3 12
a tsswatch 3 13
b null 1 99
b none 2 10
b null 2 11
b tsswatch 2 12
tsd16 none 1 5
tsd16 null 1 6
tsd16 tsswatch 1 7
dict16 tsswatch 1 10
c none 1 10
c null 1 10
c tsswatch 1 20
c none 2 20
c null 2 9.5
c tsswatch 2 15
IN
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "| a | one op | 10.0 (10.0–20.0) | 1.10x (1.00–1.20) | 1.30x (1.20–1.50) | 1.09x (1.08–1.50) | 1.09x |" ]
	# a round without a no-tool time gives no ratio
	[ "${lines[3]}" = "| b | no base in round 1 | 10.0 (10.0–10.0) | 1.10x (1.10–1.10) | 1.20x (1.20–1.20) | 1.09x (1.09–1.09) | 1.09x |" ]
	[ "${lines[4]}" = "| tsd16 | another | 5.0 (5.0–5.0) | 1.20x (1.20–1.20) | 1.40x (1.40–1.40) | 1.17x (1.17–1.17) | 1.17x |" ]
	[ "${lines[5]}" = "| dict16 | names | – | – | 2.00x (2.00–2.00) | – | – |" ]
	# the fastest runs need not come from one round, and are compared as numbers
	[ "${lines[6]}" = "| c | fastest apart | 15.0 (10.0–20.0) | 0.74x (0.47–1.00) | 1.38x (0.75–2.00) | 1.79x (1.58–2.00) | 1.58x |" ]
}

@test "bench/real.awk: each tool's time is paired with no tool's at its size; tsswatch's own memory" {
	only_first_pass
	run awk -v redis_n=100 -v redis_small=10 -v mb=64 -v smb=2 -v tools="none tsswatch memcheck" \
		-f "$TOP/bench/lib.awk" -f "$TOP/bench/real.awk" <<'IN'
pigz full none 1 2.0 1024 0
pigz full tsswatch 1 3.0 2048 500
pigz small none 1 0.5 512 0
pigz small memcheck 1 5.0 10240 0
pigz full none 2 4.0 1024 0
pigz full tsswatch 2 4.0 3072 700
redis full none 1 2.0 4096 0
redis full tsswatch 1 2.2 5120 100
IN
	[ "$status" -eq 0 ]
	echo "$output"
	grep -qF '| pigz | pigz -p 2 of the same | 3.00 s (2.00–4.00) | 1.25x (1.00–1.50) | 10.00x (10.00–10.00) |' <<<"$output"
	grep -qF '| redis | redis-benchmark -c 50 -t set,get, 100 requests each (valgrind: 10) against redis-server --io-threads 2 | 100/s (100–100) | 1.10x (1.10–1.10) | – |' <<<"$output"
	grep -qF '| pigz | 1.0 | 2.5 | 1.5 (1.0–2.0), 150% | 600 | 10.0 (0.5) |' <<<"$output"
	grep -qF '| redis | 4.0 | 5.0 | 1.0 (1.0–1.0), 25% | 100 | – |' <<<"$output"
}
