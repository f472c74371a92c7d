#!/usr/bin/env bats
# tsswatch report --format trace and --format html: the timeline of threads,
# keys and findings from the log's times (format version 2), and version 1
# logs, which have none.  The page in a real browser: 29-browser.bats.

load test_helper
load report_helper
bats_require_minimum_version 1.5.0

# Runs tests/progs/timeline under the preload ($LOGDIR, $REPORT) and writes
# its trace to $TRACE.
timeline_trace() {
	check_prog timeline "$@"
	TRACE=$BATS_TEST_TMPDIR/trace.json
	run "$TSSWATCH" report --format trace -o "$TRACE" "$LOGDIR"
	[ "$status" -eq 25 ]
}

@test "trace: a process per pid, a track per thread named #serial \"name\", in time order" {
	timeline_trace
	# the same processes as the JSON report, each named by its command
	[ "$(jq -c '[.traceEvents[] | select(.name == "process_name") | .pid] | sort' "$TRACE")" = \
	  "$(jq -c '[.processes[].pid] | sort' "$REPORT")" ]
	jq -e '[.traceEvents[] | select(.name == "process_name") | .args.name] | all(test("timeline \\(pid [0-9]+\\)$"))' "$TRACE"
	# every thread: a name, and one slice from create to finish on its track
	jq -e '[.traceEvents[] | select(.name == "thread_name") | .args.name] | all(test("^#[0-9]+ \""))' "$TRACE"
	run jq -r '[.traceEvents[] | select(.name == "thread_name") | .args.name] | sort | unique | join(",")' "$TRACE"
	[ "$output" = '#1 "timeline",#2 "worker",#3 "worker",#4 "worker",#5 "holder",#6 "forgotten",#7 "worker"' ]
	[ "$(jq '[.traceEvents[] | select(.ph == "X")] | length' "$TRACE")" = \
	  "$(jq '[.traceEvents[] | select(.name == "thread_name")] | length' "$TRACE")" ]
	jq -e '[.traceEvents[] | select(.ph == "X")] | all(.cat == "thread" and .dur >= 0)' "$TRACE"
	jq -e '[.traceEvents[] | select(.ph == "X" and .args.serial == 6)] | .[0].args.finished' "$TRACE"
	# the events come in time order, after the metadata
	jq -e '[.traceEvents[] | select(.ph != "M") | .ts] | . == sort' "$TRACE"
	jq -e '[.traceEvents[] | .ph] | (index("X") > (rindex("M")))' "$TRACE"
	jq -e '.displayTimeUnit == "ns" and .otherData.tool == "tsswatch" and .otherData.timeline' "$TRACE"
}

@test "trace: keys from first use to delete, findings as instant events with message and frame" {
	timeline_trace
	# each key: a begin and an end with one id, in order; the deleted ones say so
	jq -e '[.traceEvents[] | select(.cat == "key")] | group_by(.id) |
		all(length == 2 and .[0].ph == "b" and .[1].ph == "e" and .[0].ts <= .[1].ts)' "$TRACE"
	[ "$(jq '[.traceEvents[] | select(.ph == "b" and .pid == '"$(jq '.processes[0].pid' "$REPORT")"')] | length' "$TRACE")" = 3 ]
	# one instant event per occurrence of an unsuppressed finding
	[ "$(jq '[.traceEvents[] | select(.ph == "i")] | length' "$TRACE")" = "$(jq .summary.findings "$REPORT")" ]
	jq -e '[.traceEvents[] | select(.ph == "i")] | all(.cat == "finding" and (.args.message | length > 0))' "$TRACE"
	# the three leaks of the parent, each on its worker's track, at the set's line
	local line pid
	line=$(line_of LEAK-SET timeline)
	pid=$(jq '.processes[0].pid' "$REPORT")
	run jq -r --argjson pid "$pid" '.traceEvents as $all | [$all[] | select(.ph == "i" and .name == "tsd-leak" and .pid == $pid) |
		. as $e | ($all[] | select(.name == "thread_name" and .pid == $pid and .tid == $e.tid) | .args.name) + " " + .args.frame] | .[]' "$TRACE"
	[ "${#lines[@]}" -eq 3 ]
	for l in "${lines[@]}"; do
		[[ "$l" == "#"[234]' "worker" worker '*"/tests/progs/timeline.c:$line" ]] || { echo "$l"; return 1; }
	done
	# an instant event on a thread comes after the thread's creation (a
	# thread-leak is found at exit, after the thread finished)
	jq -e '.traceEvents as $all | [$all[] | select(.ph == "i" and .s == "t") | . as $e |
		($all[] | select(.ph == "X" and .pid == $e.pid and .tid == $e.tid)) as $t |
		$e.ts >= $t.ts] | all' "$TRACE"
	jq -e '[.traceEvents[] | select(.ph == "i" and .name == "tsd-leak")] | all(.s == "t")' "$TRACE"
}

@test "trace: a version 1 log has no timeline, only its process" {
	run --separate-stderr "$TSSWATCH" report --format trace "$LOGS/all-kinds.log"
	[ "$status" -eq 25 ]
	jq -e '.otherData.timeline == false' <<<"$output"
	[ "$(jq -c '[.traceEvents[] | .name]' <<<"$output")" = '["process_name"]' ]
}

@test "trace and html: every log the suite keeps, version 1 logs too; ASan/UBSan quiet" {
	for log in all-kinds killed noexit merge warnings multi; do
		run --separate-stderr "$TSSWATCH" report --format trace "$LOGS/$log"*
		[ "$status" -eq 25 ] || [ "$status" -eq 0 ] || { echo "$log: $status"; return 1; }
		jq -e . <<<"$output" >/dev/null
		run --separate-stderr "$TSSWATCH" report --format html "$LOGS/$log"*
		[[ "$output" == *"No timeline: this log is of format version 1"* ]] || { echo "$log"; return 1; }
		[[ "$output" == *"</html>" ]]
		asan_run report --format html "$LOGS/$log"* >/dev/null
		asan_run report --format trace "$LOGS/$log"* >/dev/null
	done
	check_prog timeline
	asan_run report --format html "$LOGDIR"
	asan_run report --format trace "$LOGDIR"
}

@test "html: one page, no network, no other file: the summary, a timeline per process, every finding" {
	check_prog timeline
	local page=$BATS_TEST_TMPDIR/report.html
	run "$TSSWATCH" report --format html -o "$page" "$LOGDIR"
	[ "$status" -eq 25 ]
	# self-contained: nothing is fetched (no src, no stylesheet link, no url(), no http)
	run grep -Eci '<(link|img|iframe|object|embed)|src=|url\(|https?:|@import' "$page"
	[ "$output" = 0 ]
	[ "$(grep -c '<svg class="timeline"' "$page")" = "$(jq '.processes | length' "$REPORT")" ]
	[ "$(grep -c '<article class="finding"' "$page")" = "$(jq '.findings | length' "$REPORT")" ]
	grep -q "<p id=\"summary\">$(jq .summary.findings "$REPORT") findings" "$page"
	# each finding has a mark on the timeline, linked to it
	for i in $(seq "$(jq '.findings | length' "$REPORT")"); do
		grep -q "<a class=\"mark\" href=\"#f$i\"" "$page" || { echo "no mark for f$i"; return 1; }
	done
	# the leak's stack, with its source line
	grep -q "timeline.c:$(line_of LEAK-SET timeline)</span>" "$page"
	# a typical run's page is small
	[ "$(stat -c %s "$page")" -lt 100000 ]
}

@test "html: a thread name, an argument and a logged string are text, never markup" {
	check_prog timeline '<b id=pwn>x</b>' '</code><script id=pwn2>document.title="pwned"</script>'
	local page=$BATS_TEST_TMPDIR/report.html
	run "$TSSWATCH" report --format html -o "$page" "$LOGDIR"
	[ "$status" -eq 25 ]
	run grep -Ec '<b id=pwn|<script id=pwn2' "$page"
	[ "$output" = 0 ]
	grep -q '#2 &quot;&lt;b id=pwn&gt;x&lt;/b&gt;&quot;' "$page"
	grep -q '&lt;/code&gt;&lt;script id=pwn2&gt;document.title=&quot;pwned&quot;&lt;/script&gt;' "$page"
	# the one script is the page's own
	[ "$(grep -c '<script' "$page")" = 1 ]
	# a log can hold any byte: quotes, apostrophes, ampersands, control and
	# non-UTF-8 bytes in a command and a thread name
	local log=$BATS_TEST_TMPDIR/evil.log
	printf '%s\n' 'tsswatch-log 2' "P 1 1 1 /x %22%27%3cimg%20src=x%20onerror=alert(1)%3e%26%01%ff @10" \
		'T 1 0 0 a @20' 'E 1 returned %3c/title%3e%3cscript%3ealert(2)%3c/script%3e @30' \
		'F thread-leak 1 0 0 0 - @25' 'X exit 0 @40' > "$log"
	run "$TSSWATCH" report --format html "$log"
	[ "$status" -eq 25 ]
	[[ "$output" != *"<img"* && "$output" != *"<script>alert"* && "$output" != *"</title><script"* ]]
	[[ "$output" == *'&quot;&#39;&lt;img src=x onerror=alert(1)&gt;&amp;'$'\xef\xbf\xbd\xef\xbf\xbd'* ]]
	[[ "$output" == *'#1 &quot;&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;&quot;'* ]]
}

@test "html: a clean run has a timeline and no finding" {
	check_prog tsd_clean
	run --separate-stderr "$TSSWATCH" report --format html "$LOGDIR"
	[ "$status" -eq 0 ]
	[[ "$output" == *'<p id="summary">0 findings'* ]]
	[[ "$output" == *"<p>No findings.</p>"* ]]
	[ "$(grep -c '<svg class="timeline"' <<<"$output")" = 1 ]
	[ "$(grep -c 'class="mark"' <<<"$output")" = 0 ]
}

@test "html: 10,000 threads fold into one row, the marked and the longest-lived kept" {
	check_prog storm 4 2500
	local page=$BATS_TEST_TMPDIR/report.html
	run "$TSSWATCH" report --format html -o "$page" "$LOGDIR"
	[ "$status" -eq 25 ]
	# at most 40 thread rows and one folded row for the rest
	[ "$(grep -c '<rect class="thread' "$page")" -le 40 ]
	grep -Eq '<text class="fold-label" x="4" y="[0-9.]+">[0-9]{4} more threads</text>' "$page"
	# the workers, which live longest, have rows
	for s in 2 3 4; do grep -q "<text class=\"name\" x=\"4\" y=\"[0-9.]*\">#$s &quot;" "$page"; done
	# every finding is marked, the page stays small
	for i in $(seq "$(jq '.findings | length' "$REPORT")"); do
		grep -q "<a class=\"mark\" href=\"#f$i\"" "$page" || { echo "no mark for f$i"; return 1; }
	done
	[ "$(stat -c %s "$page")" -lt 300000 ]
}

@test "html: more keys than fit fold too; the fold code under ASan/UBSan" {
	# a written log: 60 threads and 30 keys, one key named by a finding
	local log=$BATS_TEST_TMPDIR/many.log
	awk 'BEGIN {
		print "tsswatch-log 2"; print "P 9 1 1 /x x @1000"
		print "T 1 0 0 a @1000"
		for (t = 2; t <= 60; t++) { print "T " t " 1 0 j @" 1000 + t * 10; print "E " t " returned w @" 1005 + t * 10 }
		for (k = 1; k <= 30; k++) { print "K " k " " k - 1 " 0 0 0 @" 2000 + k; if (k % 2) print "D " k " 0 @" 2100 + k }
		print "F key-leak 0 30 0 0 - @3000"
		print "X exit 0 @4000" }' > "$log"
	run "$TSSWATCH" report --format html "$log"
	[ "$status" -eq 0 ]
	[[ "$output" == *'>52 more threads</text>'* ]]
	[[ "$output" == *'>7 more keys</text>'* ]]
	[ "$(grep -c '<rect class="key' <<<"$output")" -le 24 ]
	# the key the finding names keeps its row, and its mark is on it
	[[ "$output" == *'>key 29</text>'* ]]
	[ "$(grep -c 'class="mark"' <<<"$output")" = 1 ]
	asan_run report --format html "$log"
	asan_run report --format trace "$log"
}

@test "trace: a written version 2 log gives its times exactly, in microseconds from P" {
	run --separate-stderr "$TSSWATCH" report --format trace "$LOGS/times.log"
	[ "$status" -eq 25 ]
	diff -u - <(jq -c '.traceEvents[] | select(.ph != "M") | [.ph, .name, .tid, .ts, .dur]' <<<"$output") <<'EOF2'
["X","#1 \"app\"",1,2,48]
["X","#2 \"worker\"",2,10,21]
["b","key 0",null,20,null]
["i","tsd-leak",2,30,null]
["e","key 0",null,40,null]
EOF2
	# the unfinished main thread says so; the worker finished
	[ "$(jq -c '[.traceEvents[] | select(.ph == "X") | .args.finished]' <<<"$output")" = '[false,true]' ]
	jq -e '.traceEvents[] | select(.ph == "i") | .args.message == "thread #2 \"worker\" finished holding 0x5555deadbeef in key 0, which has no destructor"' <<<"$output"
}
