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

@test "foreign-key: clean twin (its own key, one made by a helper, one handed over and used)" {
	foreign_plugins
	check_prog foreign_host "$OWNER" "$FLIB" clean
	[ "$status" -eq 0 ]
	[ "$output" = "owner's key after the cleanup: live" ]
	[ "$(kinds)" = "" ]
	[ "$(counter keys_deleted)" = 4 ]
}
