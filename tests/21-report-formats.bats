#!/usr/bin/env bats
# tsswatch report: the text, json and sarif formats, symbolization, output
# files, and what fails the check.

load test_helper
load report_helper
bats_require_minimum_version 1.5.0

@test "messages: the exact wording of every kind" {
	run --separate-stderr "$TSSWATCH" report --format json "$LOGS/all-kinds.log"
	[ "$status" -eq 25 ]
	diff -u - <(jq -r '.findings[] | "\(.kind) \(.severity) \(.message)"' <<<"$output") <<'EOF2'
tsd-leak error thread #2 "worker" finished holding 0x5555deadbeef in key 3, which has no destructor
dtor-exhausted error thread #3 "-" still held 0x5555cafe0000 in key 5 after the last destructor round: its destructor kept re-setting it
delete-live error key 5 was deleted while 2 threads still held values: their destructors will never run
stale-key error pthread_setspecific used key 5 after it was deleted
stale-key error pthread_getspecific used key 5 after its index was recycled by a key created elsewhere
key-exhaustion error pthread_key_create failed: every key is in use (1024 live)
key-leak error key 7 was never deleted and the module that created it was unloaded
dict-leak error thread #2 "worker" finished holding 0x5555beef0000 in dictionary entry "session", which has no destructor
thread-leak error thread #2 "worker" finished but was never joined or detached
stale-thread error pthread_join was given the pthread_t of thread #2 "worker", which was already joined or detached
stale-thread error pthread_detach was given a pthread_t that names no live or unjoined thread
key-leak warning key 3 was never deleted
recycled-id warning thread #4 got the pthread_t and tid of thread #2 "worker", which finished with storage unreleased
thread-running info thread #4 "spinner" was still running at process exit
EOF2
}

@test "delete-live says 1 thread" {
	sed 's/^F delete-live 0 2 0 2 /F delete-live 0 2 0 1 /' "$LOGS/all-kinds.log" > "$BATS_TEST_TMPDIR/one.log"
	run "$TSSWATCH" report "$BATS_TEST_TMPDIR/one.log"
	[[ "$output" == *"key 5 was deleted while 1 thread still held values: their destructors will never run"* ]]
}

@test "json: the document's shape" {
	run --separate-stderr "$TSSWATCH" report --format json "$LOGS/all-kinds.log"
	jq -e --arg v "$VERSION" '.tool == "tsswatch" and .version == $v' <<<"$output"
	jq -e '.summary == {"findings":14,"errors":11,"warnings":2,"infos":1,"by_kind":
		{"tsd-leak":1,"dtor-exhausted":1,"delete-live":1,"stale-key":2,"key-exhaustion":1,
		 "key-leak":2,"dict-leak":1,"thread-leak":1,"stale-thread":2,"recycled-id":1,
		 "thread-running":1}}' <<<"$output"
	jq -e '.processes == [{"pid":100,"ppid":1,"command":"./app --flag","exit":"exited 3",
		"complete":true,"log":"'"$LOGS"'/all-kinds.log","counters":{"threads_created":4,
		"threads_joined":1,"threads_detached":0,"threads_peak_live":3,"keys_created":3,
		"keys_deleted":1,"keys_peak_live":3,"values_set":9,"destructor_calls":2,
		"pthread_t_recycles":1,"tid_recycles":0}}]' <<<"$output"
	jq -e '.findings[0] | .count == 1 and .pid == 100 and .key == 3 and .suppressed == false
		and .threads == [{"serial":2,"name":"worker"}]
		and (.stacks | keys_unsorted) == ["set","key_create","thread_create"]' <<<"$output"
	jq -e '.findings[] | select(.kind == "key-exhaustion") | .key == null
		and .stack_counts == {"top_creator":700,"top_creator_2":300}' <<<"$output"
	jq -e '.suppressions == []' <<<"$output"
}

@test "json: unknown frames are null, libtsswatch frames hidden, no-module frames bare" {
	run --separate-stderr "$TSSWATCH" report --format json "$LOGS/all-kinds.log"
	jq -e '.findings[0].stacks.set == [
		{"address":"0x555555555189","module":"/nonexistent/app","function":null,"file":null,"line":null,"inlined":false,"module_note":"module not found"},
		{"address":"0x7ffff7c29d90","module":"/nonexistent/libc.so.6","function":null,"file":null,"line":null,"inlined":false,"module_note":"module not found"}]' <<<"$output"
	jq -e '[.findings[] | select(.kind == "dtor-exhausted") | .stacks.thread_create[1]] ==
		[{"address":"0x7fffdeadbeef","module":null,"function":null,"file":null,"line":null,"inlined":false}]' <<<"$output"
	run "$TSSWATCH" report "$LOGS/all-kinds.log"
	[[ "$output" == *"    #0 0x555555555189 (/nonexistent/app+0x1189) [module not found]"* ]]
	[[ "$output" != *libtsswatch* ]]
}

@test "symbols: function, file and line, address = base + offset" {
	local log p
	log=$(symbols_log symbols)
	p=$(prog symbols)
	run --separate-stderr "$TSSWATCH" report --format json "$log"
	[ "$status" -eq 25 ]
	[ -z "$stderr" ]
	local set_addr=$(printf '0x%x' $((0x555555554000 + 0x$(sym_addr "$p" set_value) + 1)))
	jq -e --arg a "$set_addr" --arg m "$p" --arg f "$TOP/tests/progs/symbols.c" \
		'.findings[0].stacks.set[0] == {"address":$a,"module":$m,"function":"set_value",
		 "file":$f,"line":7,"inlined":false}' <<<"$output"
	jq -e '.findings[0].stacks.set | map(.function) == ["set_value",null,"main"]' <<<"$output"
	jq -e '.findings[0].stacks.set[2].line == 12' <<<"$output"
}

@test "symbols: an inlined call becomes two frames, the inner one marked" {
	local log
	log=$(symbols_log symbols)
	run --separate-stderr "$TSSWATCH" report --format json "$log"
	jq -e '.findings[0].stacks.key_create | map([.function, .line, .inlined]) ==
		[["inlined_setter",6,true],["create_key",8,false],["main",12,false]]' <<<"$output"
	jq -e '.findings[0].stacks.key_create[0].address == .findings[0].stacks.key_create[1].address' <<<"$output"
}

@test "symbols: a module that no longer exists keeps its raw offset" {
	local log
	log=$(symbols_log symbols)
	run --separate-stderr "$TSSWATCH" report --format json "$log"
	jq -e '.findings[0].stacks.thread_create | map([.module, .function]) ==
		[["/nonexistent/libc.so.6",null],["'"$(prog symbols)"'","start_thread"],
		 ["/nonexistent/gone/libgone.so",null],[null,null]]' <<<"$output"
	run "$TSSWATCH" report "$log"
	[[ "$output" == *"(/nonexistent/gone/libgone.so+0x1f00)"* ]]
}

@test "text: frames, labels, threads, processes and summary" {
	local log p
	log=$(symbols_log symbols)
	p=$(prog symbols)
	run --separate-stderr "$TSSWATCH" report "$log"
	[ "$status" -eq 25 ]
	[ "${lines[0]}" = "tsd-leak: error, 1 occurrence" ]
	[ "${lines[1]}" = '  thread #2 "worker" finished holding 0x5555deadbeef in key 3, which has no destructor' ]
	[[ "${lines[2]}" =~ ^'  pid 4242; threads #2 "worker"; key 3; fingerprint '[0-9a-f]{16}$ ]]
	[ "${lines[3]}" = "  set:" ]
	[[ "${lines[4]}" =~ ^"    #0 0x"[0-9a-f]+" in set_value $TOP/tests/progs/symbols.c:7 ($p)"$ ]]
	[[ "$output" == *"  key created:"*"in inlined_setter $TOP/tests/progs/symbols.c:6 ($p) [inlined]"* ]]
	[[ "$output" == *"  thread created:"* ]]
	[[ "$output" == *"process 4242 (ppid 1) $p one arg: exited 0, complete"* ]]
	[ "${lines[-1]}" = "tsswatch: 2 findings (2 errors, 0 warnings, 0 infos) in 1 process" ]
	[[ "$output" != *$'\033'* ]]
}

@test "text: --quiet prints the summary line only" {
	run "$TSSWATCH" report -q "$LOGS/merge.log"
	[ "$status" -eq 25 ]
	[ "$output" = "tsswatch: 3 findings (3 errors, 0 warnings, 0 infos) in 1 process" ]
}

@test "sarif: required fields, one rule per kind, located at the first user frame" {
	local log
	log=$(symbols_log symbols)
	cd "$BATS_TEST_TMPDIR"  # sources outside the working directory: file:// URIs
	run --separate-stderr "$TSSWATCH" report --format sarif "$log"
	[ "$status" -eq 25 ]
	jq -e '.version == "2.1.0" and (.["$schema"] | test("sarif"))' <<<"$output"
	jq -e --arg v "$VERSION" '.runs[0].tool.driver | .name == "tsswatch" and .version == $v
		and (.informationUri | startswith("https://"))
		and (.rules | map(.id)) == ["tsd-leak","dtor-exhausted","delete-live","stale-key",
			"key-exhaustion","key-leak","dangling-destructor","foreign-key","dict-leak",
			"thread-leak","stale-thread","recycled-id","thread-running","module-pinned"]
		and all(.rules[]; .shortDescription.text and .fullDescription.text and .help.text
			and (.defaultConfiguration.level | IN("error","warning","note"))
			and (.properties.tags | length > 0))' <<<"$output"
	jq -e '.runs[0].results | length == 2 and all(.[]; .ruleId and (.ruleIndex | type == "number")
		and .level and .message.text and (.partialFingerprints | length == 1))' <<<"$output"
	jq -e '.runs[0].results[0] | .ruleId == "tsd-leak" and .ruleIndex == 0 and .level == "error"' <<<"$output"
	# the libc and libtsswatch frames are skipped: set_value's line
	jq -e --arg u "file://$TOP/tests/progs/symbols.c" '.runs[0].results[0].locations[0].physicalLocation
		== {"artifactLocation":{"uri":$u},"region":{"startLine":7}}' <<<"$output"
	# thread-leak's only stack starts in libc: start_thread's line
	jq -e '.runs[0].results[1].locations[0].physicalLocation.region.startLine == 9' <<<"$output"
}

@test "sarif: a file under the working directory is relative to %SRCROOT%" {
	local log
	log=$(symbols_log symbols)
	cd "$TOP"
	run --separate-stderr "$TSSWATCH" report --format sarif "$log"
	jq -e '.runs[0].results[0].locations[0].physicalLocation.artifactLocation ==
		{"uri":"tests/progs/symbols.c","uriBaseId":"%SRCROOT%"}' <<<"$output"
}

@test "sarif: levels follow severity, findings without a source line have no location" {
	run --separate-stderr "$TSSWATCH" report --format sarif "$LOGS/all-kinds.log"
	jq -e '[.runs[0].results[] | .level] | (map(select(. == "error")) | length) == 11
		and (map(select(. == "warning")) | length) == 2 and (map(select(. == "note")) | length) == 1' <<<"$output"
	jq -e 'all(.runs[0].results[]; has("locations") | not)' <<<"$output"
}

@test "--output writes the file; a write error is exit 2 with a message" {
	run "$TSSWATCH" report --format json --output "$BATS_TEST_TMPDIR/r.json" "$LOGS/merge.log"
	[ "$status" -eq 25 ]
	[ -z "$output" ]
	jq -e '.summary.findings == 3' "$BATS_TEST_TMPDIR/r.json"
	run "$TSSWATCH" report -o /dev/full "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: /dev/full: write error: No space left on device" ]
	run sh -c '"$0" report "$1" > /dev/full' "$TSSWATCH" "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: standard output: write error: No space left on device" ]
	run "$TSSWATCH" report -o "$BATS_TEST_TMPDIR/no/such/dir/r.txt" "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "$output" = "tsswatch: $BATS_TEST_TMPDIR/no/such/dir/r.txt: No such file or directory" ]
}

@test "--fail-on: kinds, severities, and --error-exitcode" {
	run "$TSSWATCH" report -q --fail-on=warning "$LOGS/warnings.log"
	[ "$status" -eq 25 ]
	run "$TSSWATCH" report -q --fail-on info --error-exitcode 7 "$LOGS/warnings.log"
	[ "$status" -eq 7 ]
	run "$TSSWATCH" report -q --fail-on=thread-running "$LOGS/noexit.log"
	[ "$status" -eq 25 ]
	run "$TSSWATCH" report -q --fail-on=key-leak,thread-running "$LOGS/merge.log"
	[ "$status" -eq 0 ]
	run "$TSSWATCH" report -q --fail-on=error "$LOGS/noexit.log"
	[ "$status" -eq 0 ]
	run "$TSSWATCH" report --fail-on=leaks "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: option '--fail-on': 'leaks' is not a finding kind or a severity" ]
	run "$TSSWATCH" report --error-exitcode 300 "$LOGS/merge.log"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "tsswatch: option '--error-exitcode': '300' is not a number from 0 to 255" ]
}

@test "ASan/UBSan: formats, symbolization and output errors" {
	local log
	log=$(symbols_log symbols)
	for f in text json sarif; do
		asan_run report --format $f "$log"
		[ "$status" -eq 25 ]
		asan_run report --format $f "$LOGS/all-kinds.log"
		[ "$status" -eq 25 ]
	done
	asan_run report -o /dev/full "$log"
	[ "$status" -eq 2 ]
}
