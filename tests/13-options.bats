#!/usr/bin/env bats
# TSSWATCH_OPTIONS: each option, and bad ones.
bats_require_minimum_version 1.5.0
load test_helper

@test "the summary line on stderr names the findings and the log" {
	check_prog tsd_leak
	[[ "$stderr" =~ ^tsswatch:\ pid\ [0-9]+:\ 2\ findings\ \(2\ errors,\ 0\ warnings,\ 0\ infos\)\;\ log:\ $LOGDIR/tsd_leak\.[0-9]+\.log$ ]]
}

@test "quiet=1 silences the summary" {
	TSW_EXTRA=quiet=1 check_prog tsd_leak
	[ "$stderr" = "" ]
	[ "$(kinds)" = "tsd-leak=2" ]
}

@test "bad options: one line each naming it, then the defaults" {
	TSW_EXTRA="quiet=1:stack_depth=0:check_get=yes:report_main=2:colour=1:log_dir=relative:novalue" check_prog tsd_leak
	[ "$status" -eq 0 ]
	[ "$(wc -l <<<"$stderr")" -eq 6 ]
	[[ "$stderr" == *"tsswatch: bad value (want 1 to 256) for 'stack_depth=0' in TSSWATCH_OPTIONS; using stack_depth=16"* ]]
	[[ "$stderr" == *"tsswatch: bad value (want 0 or 1) for 'check_get=yes' in TSSWATCH_OPTIONS; using check_get=0"* ]]
	[[ "$stderr" == *"tsswatch: bad value (want 0 or 1) for 'report_main=2' in TSSWATCH_OPTIONS; using report_main=0"* ]]
	[[ "$stderr" == *"tsswatch: unknown option 'colour=1' in TSSWATCH_OPTIONS; ignored"* ]]
	[[ "$stderr" == *"tsswatch: bad value (want an absolute path) for 'log_dir=relative' in TSSWATCH_OPTIONS; using the default log_dir"* ]]
	[[ "$stderr" == *"tsswatch: option without a value 'novalue' in TSSWATCH_OPTIONS; ignored"* ]]
	[ "$(kinds)" = "tsd-leak=2" ]
}

@test "stack_depth limits the frames of every stack" {
	TSW_EXTRA=quiet=1:stack_depth=1 check_prog tsd_leak
	run jq '[.findings[].stacks[] | length] | max' "$REPORT"
	[ "$output" = 1 ]
	grep -q '^O stack_depth=1 ' "$LOGDIR"/*.log
}

@test "check_get=1 checks getspecific on a deleted key; 0 does not" {
	TSW_EXTRA=quiet=1 check_prog check_get
	[ "$(kinds)" = "" ]
	TSW_EXTRA=quiet=1:check_get=1 check_prog check_get
	[ "$output" = "value: (nil)" ]
	[ "$(kinds)" = "stale-key=1" ]
	[ "$(message stale-key)" = "pthread_getspecific used key $(first_key) after it was deleted" ]
	[ "$(frame stale-key use)" = "main check_get.c:$(line_of STALE-GET check_get)" ]
}

@test "check_get=1: keys a get named and that were deleted unset get their D records, from every delete" {
	TSW_EXTRA=quiet=1:check_get=1 check_prog named_get
	[ "$(kinds)" = "" ]
	local log
	log=$(the_log)
	[ "$(grep -c '^K ' "$log")" = 3 ]
	[ "$(grep -c '^D ' "$log")" = 3 ]
	TSW_EXTRA=quiet=1 check_prog named_get
	log=$(the_log)
	[ "$(grep -c '^K ' "$log")" = 0 ]
	[ "$(grep -c '^D ' "$log")" = 0 ]
}

@test "report_main: the main thread's values at exit only when asked" {
	linked main_values >/dev/null
	TSW_EXTRA=quiet=1 check_prog main_values
	[ "$(kinds)" = "key-leak=1" ]
	TSW_EXTRA=quiet=1:report_main=1 check_prog main_values
	[ "$(kinds)" = "dict-leak=1 key-leak=1 tsd-leak=1" ]
	[ "$(frame tsd-leak set)" = "main main_values.c:$(line_of MAIN-SET main_values)" ]
	[ "$(frame dict-leak set)" = "main main_values.c:$(line_of MAIN-DICT main_values)" ]
	[ "$(message tsd-leak | cut -c1-10)" = "thread #1 " ]
}

@test "a main thread that calls pthread_exit is checked like any other" {
	linked main_values >/dev/null
	MAIN_EXIT=1 TSW_EXTRA=quiet=1 check_prog main_values
	[ "$(kinds)" = "dict-leak=1 key-leak=1 tsd-leak=1" ]
	grep -q '^E 1 exit ' "$LOGDIR"/*.log
}

@test "log_dir is created with mode 0700" {
	TSW_EXTRA=quiet=1 check_prog tsd_leak
	[ "$(stat -c %a "$LOGDIR")" = 700 ] || [ -d "$LOGDIR" ]
	local sub=$BATS_TEST_TMPDIR/a/b
	run --separate-stderr env LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=$sub:quiet=1" "$(prog tsd_leak)"
	[ "$(stat -c %a "$sub")" = 700 ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/a")" = 700 ]
}

@test "an unwritable log_dir: one line, the program runs unchanged, the dictionary works" {
	run --separate-stderr env LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=/proc/nope" "$(prog tsd_leak)"
	[ "$status" -eq 0 ]
	[ "$stderr" = "tsswatch: cannot create a log in /proc/nope: No such file or directory; findings are not recorded" ]
	run --separate-stderr env TSSWATCH_OPTIONS="log_dir=/proc/nope" "$(linked dict_contract)"
	[ "$status" -eq 0 ]
	[ "$(grep -c ': ok$' <<<"$output")" -eq 15 ]
}

@test "exec: the old image's log ends with exec, the new image has its own" {
	LOGDIR=$BATS_TEST_TMPDIR/logs
	run --separate-stderr env LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=$LOGDIR:quiet=1" \
		sh -c 'exec "$1"' sh "$(prog tsd_leak)"
	[ "$status" -eq 0 ]
	REPORT=$BATS_TEST_TMPDIR/report.json
	"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT" || true
	run jq -r '[.processes[] | "\(.command | split(" ")[0] | split("/") | last) \(.exit) \(.complete)"] | sort | join(",")' "$REPORT"
	[ "$output" = "sh exec true,tsd_leak exited 0 true" ]
	[ "$(kinds)" = "tsd-leak=2" ]
}

@test "options are read even when a sanitizer's runtime starts tsswatch before libc's environment" {
	local exe=$BATS_TEST_TMPDIR/tsd_leak_asan
	cc -std=c17 -D_GNU_SOURCE -g -fsanitize=address -o "$exe" "$TOP/tests/progs/tsd_leak.c" \
		-lpthread 2>/dev/null || skip "no AddressSanitizer runtime"
	LOGDIR=$BATS_TEST_TMPDIR/asanlogs
	run --separate-stderr env ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0 \
		LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=$LOGDIR:quiet=1" "$exe"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(ls "$LOGDIR"/tsd_leak_asan.*.log | wc -l)" -eq 1 ]
}

@test "a sanitizer's runtime that starts tsswatch before libc: the program keeps its environment" {
	local exe=$BATS_TEST_TMPDIR/run_target_asan
	cc -std=c17 -D_GNU_SOURCE -g -fsanitize=address -o "$exe" "$TOP/tests/progs/run_target.c" \
		2>/dev/null || skip "no AddressSanitizer runtime"
	run --separate-stderr env ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0 \
		LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=$BATS_TEST_TMPDIR/l:quiet=1" "$exe" env
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "LD_PRELOAD=$LIB" ]
	[ "${lines[1]}" = "TSSWATCH_OPTIONS=log_dir=$BATS_TEST_TMPDIR/l:quiet=1" ]
}
