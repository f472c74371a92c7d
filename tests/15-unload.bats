bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# The crashes users report around modules: a key deleted by a module that
# never received it (foreign-key), a key destructor in an unloaded module
# (dangling-destructor), a module kept mapped by thread_local objects
# (module-pinned); each with a plugin built here and a clean twin.

load test_helper

# Builds tests/progs/NAME.c into $BIN/NAME.so, with extra flags.
plugin() {
	local name=$1; shift
	mkdir -p "$BIN"
	cc -std=c17 -D_GNU_SOURCE -shared -fPIC -g -Wall -Wextra -Werror "${PROG_CFLAGS[@]}" \
		"$@" -o "$BIN/$name.so" "$TOP/tests/progs/$name.c" -lpthread || return 1
	echo "$BIN/$name.so"
}

foreign_plugins() {
	OWNER=$(plugin foreign_owner)
	FLIB=$(plugin foreign_lib -DUNSET_KEY="$(first_key)")
}

@test "foreign-key: a library's cleanup without its init deletes another module's key" {
	foreign_plugins
	check_prog foreign_host "$OWNER" "$FLIB" bug
	[ "$status" -eq 0 ]
	[ "$output" = "owner's key after the cleanup: deleted" ]
	# the owner's next set is the stale-key the foreign delete causes
	[ "$(kinds)" = "foreign-key=1 stale-key=1" ]
	run jq -r '.findings[] | select(.kind == "foreign-key") | "\(.severity) \(.key) \(.message)"' "$REPORT"
	[ "$output" = "error $(first_key) pthread_key_delete deleted key $(first_key), which another module created and the deleting module never received" ]
	[ "$(frame foreign-key delete)" = "lib_cleanup foreign_lib.c:$(line_of DELETE-UNSET foreign_lib)" ]
	[ "$(frame foreign-key key_create)" = "owner_init foreign_owner.c:$(line_of OWNER-CREATE foreign_owner)" ]
	# its SARIF rule, --fail-on and a suppression by the deleting function
	"$TSSWATCH" report --format sarif "$LOGDIR" | jq -e '[.runs[0].results[].ruleId] | index("foreign-key")'
	run "$TSSWATCH" report -q --fail-on=foreign-key "$LOGDIR"
	[ "$status" -eq 25 ]
	echo "foreign-key:lib_cleanup" >"$BATS_TEST_TMPDIR/supp"
	run "$TSSWATCH" report -q --fail-on=foreign-key --suppressions "$BATS_TEST_TMPDIR/supp" "$LOGDIR"
	[ "$status" -eq 0 ]
}

@test "foreign-key: a library's cleanup without its init deletes the application's key" {
	foreign_plugins
	check_prog foreign_host "$OWNER" "$FLIB" bug-app
	[ "$status" -eq 0 ]
	[ "$output" = "application's key after the cleanup: deleted" ]
	[ "$(kinds)" = "foreign-key=1 stale-key=1" ]
	[ "$(message foreign-key)" = "pthread_key_delete deleted key $(first_key), which another module created and the deleting module never received" ]
	[ "$(frame foreign-key delete)" = "lib_cleanup foreign_lib.c:$(line_of DELETE-UNSET foreign_lib)" ]
	[ "$(frame foreign-key key_create)" = "main foreign_host.c:$(line_of APP-CREATE foreign_host)" ]
}

@test "foreign-key: the same with tss_delete" {
	foreign_plugins
	check_prog foreign_host "$OWNER" "$FLIB" bug-c11
	[ "$output" = "owner's key after the cleanup: deleted" ]
	[ "$(kinds)" = "foreign-key=1 stale-key=1" ]
	[ "$(message foreign-key)" = "tss_delete deleted key $(first_key), which another module created and the deleting module never received" ]
	[ "$(frame foreign-key delete)" = "lib_cleanup_c11 foreign_lib.c:$(line_of TSS-DELETE-UNSET foreign_lib)" ]
}

@test "foreign-key: clean twin (its own key, one made by a helper, one handed over and used by the owner and one by the application, one set through a helper)" {
	foreign_plugins
	check_prog foreign_host "$OWNER" "$FLIB" clean
	[ "$status" -eq 0 ]
	[ "$output" = "owner's key after the cleanup: live" ]
	[ "$(kinds)" = "" ]
	[ "$(counter keys_deleted)" = 6 ]
}

@test "foreign-key: not for a library destructor whose delete is a tail call into the loader's frame" {
	local so
	so=$(plugin fini_delete -O2)
	objdump -d "$so" | grep -A3 '<stop>:' | grep -q 'jmp.*pthread_key_delete' ||
		skip "the compiler made no tail call of the delete"
	check_prog load_unload "$so"
	[ "$status" -eq 0 ]
	[ "$output" = unloaded ]
	[ "$(kinds)" = "" ]
	[ "$(counter keys_deleted)" = 1 ]
}

# The host crashes as it does without tsswatch (an ASan build would turn
# the SIGSEGV into a report of its own and exit 1: handle_segv=0).
dangle() {
	local so
	so=$(plugin dangle_plugin) || return 1
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0 check_prog dangle_host "$so" "$@"
}

@test "dangling-destructor: a thread holds a value when the plugin with its key's destructor is unloaded" {
	dangle bug
	# glibc calls the unmapped destructor as the thread ends, under tsswatch too
	[ "$status" -eq 139 ]
	# one bug, one finding: no key-leak for the key
	[ "$(kinds)" = "dangling-destructor=1" ]
	run jq -r '.findings[0] | "\(.severity) \(.key) \(.message)"' "$REPORT"
	[ "$output" = "error $(first_key) the module holding key $(first_key)'s destructor was unloaded while 1 thread still held values: glibc will call unmapped code when it ends" ]
	[ "$(frame dangling-destructor dlclose)" = "main dangle_host.c:$(line_of UNLOAD dangle_host)" ]
	[ "$(frame dangling-destructor key_create)" = "plugin_start dangle_plugin.c:$(line_of PLUGIN-CREATE dangle_plugin)" ]
	[ "$(frame dangling-destructor set)" = "plugin_hold dangle_plugin.c:$(line_of PLUGIN-SET dangle_plugin)" ]
	# written at the dlclose, before the crash (only tsswatch run knows
	# the signal)
	run jq -r '.processes[0] | "\(.complete) \(.exit)"' "$REPORT"
	[ "$output" = "false unknown" ]
}

@test "dangling-destructor: a value set in the key after the plugin was unloaded" {
	dangle late
	[ "$status" -eq 139 ]
	[ "$(kinds)" = "dangling-destructor=1" ]
	# the thread died before its name was taken
	[ "$(message dangling-destructor)" = "thread #2 set a value in key $(first_key) after the module holding its destructor was unloaded: glibc will call unmapped code when the thread ends" ]
	[ "$(frame dangling-destructor dlclose)" = "main dangle_host.c:$(line_of UNLOAD dangle_host)" ]
	[ "$(frame dangling-destructor set)" = "worker dangle_host.c:$(line_of LATE-SET dangle_host)" ]
}

@test "dangling-destructor: a plugin dlopened by a relative path is known by its absolute one" {
	plugin dangle_plugin >/dev/null
	cd "$BIN"
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0 check_prog dangle_host ./dangle_plugin.so bug
	[ "$(kinds)" = "dangling-destructor=1" ]
	run jq -r '.findings[0].stacks.key_create[0].module' "$REPORT"
	[ "$output" = "$BIN/dangle_plugin.so" ]
}

@test "dangling-destructor: under tsswatch run, the crash's report and 128+signal" {
	local so
	so=$(plugin dangle_plugin)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0 \
		run --separate-stderr "$TSSWATCH" run --format json -- "$(prog dangle_host)" "$so" bug
	[ "$status" -eq 139 ]
	jq -e '[.findings[] | "\(.kind)=\(.count)"] == ["dangling-destructor=1"]' <<<"$stderr"
	jq -e '.processes[0] | .complete == false and .exit == "killed by signal 11"' <<<"$stderr"
}

@test "dangling-destructor: clean twins (value given back: key-leak; RTLD_NODELETE; key deleted first)" {
	dangle empty
	[ "$(kinds)" = "key-leak=1" ]
	run jq -r '.findings[0].severity' "$REPORT"
	[ "$output" = error ]
	dangle nodelete
	[ "$(kinds)" = "key-leak=1" ]
	run jq -r '.findings[0].severity' "$REPORT"
	[ "$output" = warning ]
	[ "$(counter destructor_calls)" = 1 ]
	dangle clean
	[ "$output" = "joined" ]
	[ "$(kinds)" = "" ]
	[ "$(counter destructor_calls)" = 1 ]
}

pinned() {
	local so=$BIN/pinned_plugin.so
	mkdir -p "$BIN"
	c++ -shared -fPIC -g "${PROG_CFLAGS[@]}" -o "$so" "$TOP/tests/progs/pinned_plugin.cc" || return 1
	check_prog pinned_host "$so" "$@"
}

@test "module-pinned: dlclose leaves a C++ plugin mapped while a thread holds its thread_local" {
	pinned bug
	[ "$status" -eq 0 ]
	[ "$output" = "after dlclose: mapped" ]
	[ "$(kinds)" = "module-pinned=1" ]
	run jq -r '.findings[0] | "\(.severity) \(.message)"' "$REPORT"
	[ "$output" = "warning dlclose dropped the last reference to $BIN/pinned_plugin.so but it stays mapped: 1 live thread (#2 \"pinned_host\") holds its thread_local objects" ]
	[ "$(frame module-pinned dlclose)" = "main pinned_host.c:$(line_of UNLOAD pinned_host)" ]
	[ "$(frame module-pinned thread_create)" = "main pinned_host.c:$(line_of WORKER pinned_host)" ]
	run "$TSSWATCH" report -q --fail-on=module-pinned "$LOGDIR"
	[ "$status" -eq 25 ]
}

@test "module-pinned: clean twins (another reference held; the last dropped after the thread ended; needed by another module)" {
	pinned clean
	[ "$status" -eq 0 ]
	[ "$output" = "after dlclose: mapped" ]
	[ "$(kinds)" = "" ]
	cc -shared -fPIC -g "${PROG_CFLAGS[@]}" -o "$BIN/pinned_user.so" "$TOP/tests/progs/pinned_user.c" \
		"$BIN/pinned_plugin.so" -Wl,-rpath,"$BIN"
	pinned needed "$BIN/pinned_user.so"
	[ "$status" -eq 0 ]
	[ "$output" = "after dlclose: mapped" ]
	[ "$(kinds)" = "" ]
}

@test "key budget: a plugin that burns a key per load ends in key-exhaustion, and the report says so" {
	local so=$BIN/plugin.so n=$((1024 - $(first_key)))
	mkdir -p "$BIN"
	cc -shared -fPIC -g "${PROG_CFLAGS[@]}" -o "$so" "$TOP/tests/progs/plugin.c"
	check_prog plugin_host "$so" 1100
	[ "$status" -eq 0 ]
	# the loads past the last free key fail their create; the keys never come back
	[ "$(kinds)" = "key-exhaustion=$((1100 - n)) key-leak=$n" ]
	[ "$(message key-exhaustion)" = "pthread_key_create failed: every key is in use ($n live); plugin.so created $n keys in $n loads, $n of them not deleted: 1 per load, so 1024 loads use up the process's 1024 keys" ]
	[ "$(frame key-exhaustion create)" = "plugin_load plugin.c:$(line_of PLUGIN-KEY plugin)" ]
	[[ "$(message key-leak)" = *"; plugin.so created $n keys in 1100 loads, $n of them not deleted: "* ]]
}
