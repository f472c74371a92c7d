bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# Each finding kind reported (kind, count, message, the bug's frame), and
# each clean twin with none.

load test_helper

@test "tsd-leak: a value left in a key without a destructor" {
	check_prog tsd_leak
	[ "$status" -eq 0 ]
	[ "$(kinds)" = "tsd-leak=2" ]
	[[ "$(message tsd-leak)" =~ ^thread\ \#[23]\ \"tsd_leak\"\ finished\ holding\ 0x[0-9a-f]+\ in\ key\ $(first_key),\ which\ has\ no\ destructor$ ]]
	[ "$(frame tsd-leak set)" = "worker tsd_leak.c:$(line_of LEAK-SET tsd_leak)" ]
	[ "$(frame tsd-leak key_create)" = "main tsd_leak.c:$(line_of KEY-CREATE tsd_leak)" ]
	[ "$(frame tsd-leak thread_create)" = "main tsd_leak.c:$(line_of THREAD-CREATE tsd_leak)" ]
	[ "$(counter threads_created)" = 2 ]
	[ "$(counter threads_joined)" = 2 ]
	[ "$(counter keys_created)" = 1 ]
	[ "$(counter keys_deleted)" = 1 ]
	[ "$(counter values_set)" = 2 ]
}

@test "tsd-leak: the set stack is the set that gave the thread a value after it held none" {
	check_prog reset_site
	[ "$(kinds)" = "tsd-leak=1 tsd-leak=1" ]
	# a value replaced from another site keeps the first set's stack; one
	# set after the slot was cleared starts anew
	run jq -r '[.findings[] | .stacks.set[0] | "\(.function) \(.file | split("/") | last):\(.line)"]
		   | sort | join(",")' "$REPORT"
	[ "$output" = "init_value reset_site.c:$(line_of INIT-SET reset_site),set_again reset_site.c:$(line_of SET-AGAIN reset_site)" ]
	[ "$(counter values_set)" = 8 ]
}

@test "tsd-leak: clean twin (destructor, flag values, cleared values)" {
	check_prog tsd_clean
	[ "$(kinds)" = "" ]
	[ "$(counter values_set)" = 6 ]
	[ "$(counter destructor_calls)" = 2 ]
}

@test "dtor-exhausted: a destructor re-setting its value every round" {
	check_prog dtor_exhausted
	[ "$output" = "destructor calls: 4" ]
	[ "$(kinds)" = "dtor-exhausted=1" ]
	[[ "$(message dtor-exhausted)" =~ ^thread\ \#2\ \"dtor_exhausted\"\ still\ held\ 0x[0-9a-f]+\ in\ key\ $(first_key)\ after\ the\ last\ destructor\ round ]]
	[ "$(frame dtor-exhausted set)" = "stubborn dtor_exhausted.c:$(line_of RESET dtor_exhausted)" ]
	[ "$(counter destructor_calls)" = 4 ]
}

@test "dtor-exhausted: clean twin re-sets once" {
	check_prog dtor_clean
	[ "$output" = "destructor calls: 2" ]
	[ "$(kinds)" = "" ]
	[ "$(counter destructor_calls)" = 2 ]
}

@test "dtor-exhausted: a key created after a thread ran is judged by its destructor's calls" {
	check_prog dtor_exhausted thread-first
	[ "$output" = "destructor calls: 4" ]
	[ "$(kinds)" = "dtor-exhausted=1" ]
	[ "$(frame dtor-exhausted set)" = "stubborn dtor_exhausted.c:$(line_of RESET dtor_exhausted)" ]
	# the key's index is the first free one: tsswatch's own is the highest
	grep -q "^K [0-9]* $(first_key) 1 " "$LOGDIR"/*.log
}

@test "dtor-exhausted: clean twin, its key created after a thread ran" {
	check_prog dtor_clean thread-first
	[ "$output" = "destructor calls: 2" ]
	[ "$(kinds)" = "" ]
}

@test "stale-key: a key deleted before the first thread stays deleted; tsswatch's own key is not its" {
	check_prog deleted_first
	[ "$output" = "stale set: 22"$'\n'"second delete: 22" ]
	[ "$(kinds)" = "stale-key=1" ]
	[ "$(frame stale-key use)" = "stale deleted_first.c:$(line_of STALE-SET deleted_first)" ]
	[ "$(grep -c '^E ' "$LOGDIR"/*.log)" -eq 2 ]
}

@test "delete-live: a key deleted while three threads hold values" {
	check_prog delete_live
	[ "$(kinds)" = "delete-live=1" ]
	[ "$(message delete-live)" = "key $(first_key) was deleted while 3 threads still held values: their destructors will never run" ]
	[ "$(frame delete-live delete)" = "main delete_live.c:$(line_of DELETE delete_live)" ]
	[ "$(frame delete-live set)" = "worker delete_live.c:$(line_of HOLD delete_live)" ]
	# the deleting main thread had not finished: named by its N record
	run jq -r '.findings[0].threads | map("\(.serial) \(.name)") | join(",")' "$REPORT"
	[ "$output" = "1 delete_live" ]
}

@test "delete-live: the same from call sites seen before (the path that enters tsswatch only to log)" {
	check_prog delete_live 3
	# each round's threads leaked and were joined: the next round's reuse
	# their pthread_t (recycled-id)
	[ "$(jq -r '[.findings[].kind] | unique | join(" ")' "$REPORT")" = "delete-live recycled-id" ]
	[ "$(count_kind delete-live <"$REPORT")" = 3 ]
	[ "$(frame delete-live delete)" = "main delete_live.c:$(line_of DELETE delete_live)" ]
	[ "$(frame delete-live key_create)" = "main delete_live.c:$(line_of CREATE delete_live)" ]
	[ "$(frame delete-live set)" = "worker delete_live.c:$(line_of HOLD delete_live)" ]
	[ "$(counter keys_created)" = 3 ]
	[ "$(counter keys_deleted)" = 3 ]
}

@test "delete-live, then the index recycled: the orphaned value is not the new key's" {
	check_prog delete_reuse
	[ "$output" = "same index: 1" ]
	[ "$(kinds)" = "delete-live=1 stale-key=1 tsd-leak=1" ]
	[ "$(frame tsd-leak set)" = "hold delete_reuse.c:$(line_of HOLD delete_reuse)" ]
	[ "$(frame tsd-leak key_create)" = "main delete_reuse.c:$(line_of B-CREATE delete_reuse)" ]
	[ "$(frame delete-live key_create)" = "main delete_reuse.c:$(line_of A-CREATE delete_reuse)" ]
}

@test "delete-live: clean twin releases values first" {
	check_prog delete_clean
	[ "$(kinds)" = "" ]
}

@test "keys created and deleted unused leave no record; a first use after delete still names them" {
	check_prog keys_unused
	[ "$output" = "use after delete: EINVAL" ]
	[ "$(kinds)" = "stale-key=1" ]
	[ "$(message stale-key)" = "pthread_setspecific used key $(first_key) after it was deleted" ]
	[ "$(frame stale-key use)" = "main keys_unused.c:$(line_of UNUSED-USE keys_unused)" ]
	[ "$(frame stale-key key_create)" = "main keys_unused.c:$(line_of UNUSED-CREATE keys_unused)" ]
	[ "$(frame stale-key delete)" = "main keys_unused.c:$(line_of UNUSED-DELETE keys_unused)" ]
	[ "$(counter keys_created)" = 102 ]
	[ "$(counter keys_deleted)" = 102 ]
	local log
	log=$(the_log)
	[ "$(grep -c '^K ' "$log")" = 2 ]
	[ "$(grep -c '^D ' "$log")" = 2 ]
}

@test "stale-key: use after delete, and after the index was recycled" {
	check_prog stale_key
	[ "$output" = "same index: 1" ]
	[ "$(kinds)" = "stale-key=1 stale-key=1" ]
	run jq -r '[.findings[] | .message] | sort | join("|")' "$REPORT"
	local k
	k=$(first_key)
	[ "$output" = "pthread_setspecific used key $k after it was deleted|pthread_setspecific used key $k after its index was recycled by a key created elsewhere" ]
	run jq -r '.findings[] | select(.message | test("deleted$")) | .stacks.use[0].line' "$REPORT"
	[ "$output" = "$(line_of DELETED-USE stale_key)" ]
	run jq -r '.findings[] | select(.message | test("elsewhere$")) | .stacks.use[0].line' "$REPORT"
	[ "$output" = "$(line_of USE stale_key)" ]
	[ "$(frame stale-key key_create 0)" = "main stale_key.c:$(line_of CACHE-CREATE stale_key)" ]
	[ "$(frame stale-key delete)" = "main stale_key.c:$(line_of CACHE-DELETE stale_key)" ]
}

@test "stale-key: clean twin recreates the key from the same site" {
	check_prog stale_key_clean
	[ "$(kinds)" = "" ]
}

@test "key-exhaustion: creating keys until none is left" {
	check_prog key_exhaustion
	local n=$((1024 - $(first_key)))
	[ "$output" = "created $n, then EAGAIN" ]
	[ "$(kinds)" = "key-exhaustion=1" ]
	[ "$(message key-exhaustion)" = "pthread_key_create failed: every key is in use ($n live); key_exhaustion created $n keys, $n of them not deleted" ]
	[ "$(frame key-exhaustion create)" = "make_key key_exhaustion.c:$(line_of EXHAUST key_exhaustion)" ]
	[ "$(frame key-exhaustion top_creator)" = "make_key key_exhaustion.c:$(line_of EXHAUST key_exhaustion)" ]
	[ "$(counter keys_peak_live)" = "$n" ]
}

@test "key-exhaustion: once a thread ran, tsswatch holds one key" {
	check_prog key_exhaustion threaded
	local n=$((1023 - $(first_key)))
	[ "$output" = "created $n, then EAGAIN" ]
	[ "$(kinds)" = "key-exhaustion=1" ]
	[ "$(message key-exhaustion)" = "pthread_key_create failed: every key is in use ($n live); key_exhaustion created $n keys, $n of them not deleted" ]
	[ "$(counter keys_peak_live)" = "$n" ]
}

@test "key-leak: a key never deleted is a warning" {
	check_prog key_leak
	[ "$(kinds)" = "key-leak=1" ]
	run jq -r '.findings[0] | "\(.severity) \(.message)"' "$REPORT"
	[ "$output" = "warning key $(first_key) was never deleted; key_leak created 1 key, 1 of them not deleted" ]
	[ "$(frame key-leak key_create)" = "main key_leak.c:$(line_of NEVER-DELETED key_leak)" ]
}

@test "key-leak: a plugin's key, loaded and unloaded 50 times, is an error" {
	local so=$BIN/plugin.so
	mkdir -p "$BIN"
	cc -shared -fPIC -g "${PROG_CFLAGS[@]}" -o "$so" "$TOP/tests/progs/plugin.c"
	check_prog plugin_host "$so"
	[ "$status" -eq 0 ]
	[ "$(kinds)" = "key-leak=50" ]
	run jq -r '.findings[0] | "\(.severity) \(.message)"' "$REPORT"
	[ "$output" = "error key $(first_key) was never deleted and the module that created it was unloaded; plugin.so created 50 keys in 50 loads, 50 of them not deleted: 1 per load, so 1024 loads use up the process's 1024 keys" ]
	[ "$(frame key-leak key_create)" = "plugin_load plugin.c:$(line_of PLUGIN-KEY plugin)" ]
}

@test "thread-leak: a finished thread never joined" {
	check_prog thread_leak
	[ "$(kinds)" = "thread-leak=1" ]
	[ "$(message thread-leak)" = 'thread #2 "thread_leak" finished but was never joined or detached' ]
	[ "$(frame thread-leak thread_create)" = "main thread_leak.c:$(line_of UNJOINED thread_leak)" ]
}

@test "thread-leak: clean twin joins one thread and detaches another" {
	check_prog thread_clean
	[ "$(kinds)" = "" ]
	[ "$(counter threads_joined)" = 1 ]
	[ "$(counter threads_detached)" = 1 ]
}

@test "thread-running: a thread still blocked at exit is an info" {
	check_prog thread_running
	[ "$(kinds)" = "thread-running=1" ]
	[ "$(message thread-running)" = 'thread #2 "blocked" was still running at process exit' ]
	run jq -r '.findings[0].severity' "$REPORT"
	[ "$output" = info ]
	[ "$(frame thread-running thread_create)" = "main thread_running.c:$(line_of RUNNING thread_running)" ]
}

@test "thread names: as set by pthread_setname_np or prctl, else the creator's, as the kernel has them" {
	exe=$(prog thread_names)
	run "$exe"
	local plain=$output
	check_prog thread_names
	[ "$status" -eq 0 ]
	[ "$output" = "$plain" ]   # results and errno as without tsswatch
	local bad="bad pointer: -1 Bad address"
	[ -z "${TSSWATCH_TEST_ASAN:-}" ] || bad="bad pointer: skipped (ASan's prctl reads the name first)"
	[ "${lines[*]}" = "0 self-named by main: 0 1 by-main prctl: 0 3 prctl-named-and 2 prctl-named-and $bad too long: 34 4 thread_names bad option: -1 Invalid argument" ]
	[ "$(kinds)" = "thread-leak=1 thread-leak=4" ]
	run jq -r '[.findings[].threads[]] | sort_by(.serial) | map("\(.serial) \(.name)") | join(",")' "$REPORT"
	[ "$output" = "2 self-named,3 by-main,4 prctl-named-and,5 prctl-named-and,6 thread_names" ]
}

@test "stale-thread: a thread joined twice" {
	check_prog stale_thread
	[ "$output" = "second join: 1" ]
	[ "$(kinds)" = "stale-thread=1" ]
	[ "$(message stale-thread)" = 'pthread_join was given the pthread_t of thread #2 "stale_thread", which was already joined or detached' ]
	[ "$(frame stale-thread call)" = "main stale_thread.c:$(line_of SECOND-JOIN stale_thread)" ]
	[ "$(frame stale-thread thread_create)" = "main stale_thread.c:$(line_of OLD-CREATE stale_thread)" ]
}

@test "recycled-id: new threads get the pthread_t of leaking ones" {
	check_prog recycled_id
	local n=${output#recycled: }
	[ "$n" -ge 1 ]
	[ "$(kinds)" = "recycled-id=$n tsd-leak=3" ]
	[[ "$(message recycled-id)" =~ ^thread\ \#[0-9]+\ \"recycled_id\"\ got\ the\ pthread_t\ of\ thread\ \#[0-9]+\ \"recycled_id\",\ which\ finished\ with\ storage\ unreleased$ ]]
	[ "$(frame recycled-id thread_create)" = "main recycled_id.c:$(line_of NEW-THREAD recycled_id)" ]
	[ "$(counter pthread_t_recycles)" -ge "$n" ]
}

@test "pthread_exit deep in a call chain and cancellation still finish the thread" {
	check_prog exit_deep
	[ "$(kinds)" = "tsd-leak=1 tsd-leak=1" ]
	run jq -r '[.findings[].stacks.set[0].line] | sort | join(" ")' "$REPORT"
	local want
	want=$(printf '%s\n' "$(line_of DEEP-SET exit_deep)" "$(line_of CANCEL-SET exit_deep)" | sort | tr '\n' ' ')
	[ "$output " = "$want" ]
	[ "$(frame tsd-leak set 0)" != "null null:null" ]
	grep -q '^E [0-9]* exit ' "$LOGDIR"/*.log
	grep -q '^E [0-9]* cancelled ' "$LOGDIR"/*.log
}

@test "stale-thread: joining a thread created detached, after it ended" {
	check_prog detached_join
	[ "$output" = "join failed: 1" ]
	[ "$(kinds)" = "stale-thread=1" ]
	[ "$(message stale-thread)" = 'pthread_join was given the pthread_t of thread #2 "detached_join", which was already joined or detached' ]
	[ "$(frame stale-thread call)" = "main detached_join.c:$(line_of LATE-JOIN detached_join)" ]
	[ "$(frame stale-thread thread_create)" = "main detached_join.c:$(line_of DETACHED-CREATE detached_join)" ]
}
