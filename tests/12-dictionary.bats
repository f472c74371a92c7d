#!/usr/bin/env bats
# The tracked storage dictionary (<tsswatch.h>).
bats_require_minimum_version 1.5.0
load test_helper

@test "each function keeps its contract (linked with -ltsswatch)" {
	local exe
	exe=$(linked dict_contract)
	LOGDIR=$BATS_TEST_TMPDIR/logs
	run --separate-stderr env TSSWATCH_OPTIONS="log_dir=$LOGDIR:quiet=1" "$exe"
	[ "$status" -eq 0 ]
	[ "$(grep -c ': ok$' <<<"$output")" -eq 15 ]
	[ "$(grep -c FAILED <<<"$output" || true)" -eq 0 ]
	[[ "$output" == *"same pthread_t: yes"* ]]
	[ "$stderr" = "" ]
}

@test "dict-leak: an entry without a destructor, at the line that set it" {
	exe=$(linked dict_leak)
	check_prog dict_leak
	[ "$(kinds)" = "dict-leak=1" ]
	[[ "$(message dict-leak)" =~ ^thread\ \#2\ \"dict_leak\"\ finished\ holding\ 0x[0-9a-f]+\ in\ dictionary\ entry\ \"db.conn\",\ which\ has\ no\ destructor$ ]]
	[ "$(frame dict-leak set)" = "worker dict_leak.c:$(line_of DICT-SET dict_leak)" ]
	[ "$(frame dict-leak thread_create)" = "main dict_leak.c:$(line_of DICT-THREAD dict_leak)" ]
}

@test "dict-leak: clean twin, every destructor run once" {
	linked dict_clean >/dev/null
	check_prog dict_clean
	[ "$output" = "freed: 3" ]
	[ "$(kinds)" = "" ]
	[ "$(counter destructor_calls)" = 3 ]
}

@test "the dictionary works from a key destructor during thread exit" {
	linked dict_in_dtor >/dev/null
	check_prog dict_in_dtor
	[ "$output" = "seen in destructor: 1, entries freed: 2" ]
	[ "$(kinds)" = "" ]
	[ "$(counter destructor_calls)" = 3 ]
}

@test "threads that existed before the library was loaded get a dictionary" {
	local exe
	exe=$(prog dict_late_load)
	LOGDIR=$BATS_TEST_TMPDIR/logs
	run --separate-stderr env TSSWATCH_OPTIONS="log_dir=$LOGDIR:quiet=1" "$exe" "$LIB"
	[ "$status" -eq 0 ]
	[ "$output" = "worker: ok, serial above 1: yes, main empty: yes" ]
	REPORT=$BATS_TEST_TMPDIR/report.json
	"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT" || true
	[ "$(kinds)" = "dict-leak=1" ]
	grep -q "^T 2 0 0 a @[0-9]*$" "$LOGDIR"/*.log
	grep -q "^E 2 unknown " "$LOGDIR"/*.log
}

@test "a program that only looks the functions up works under the preload" {
	local exe
	exe=$(prog dict_late_load)
	preload_run "$exe" "$LIB"
	[ "$status" -eq 0 ]
	[ "$output" = "worker: ok, serial above 1: yes, main empty: yes" ]
}

@test "the dictionary in a fork child: inherited, then the child's own" {
	linked dict_fork >/dev/null
	check_prog dict_fork
	[ "$status" -eq 0 ]
	[ "$output" = "child: ok, parent still has conn: yes
freed at thread end: 1" ]
	[ "$(kinds)" = "" ]
}
