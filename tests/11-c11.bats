#!/usr/bin/env bats
# C11 threads and tss, which glibc implements without the pthread symbols.
bats_require_minimum_version 1.5.0
load test_helper

@test "C11: tss leak and an unjoined thrd are reported at the right lines" {
	check_prog c11_leak
	[ "$output" = "result: 7" ]
	[ "$(kinds)" = "thread-leak=1 tsd-leak=1" ]
	[ "$(frame tsd-leak set)" = "worker c11_leak.c:$(line_of C11-SET c11_leak)" ]
	[ "$(frame tsd-leak key_create)" = "main c11_leak.c:$(line_of C11-KEY c11_leak)" ]
	[ "$(frame tsd-leak thread_create)" = "main c11_leak.c:$(line_of C11-CREATE c11_leak)" ]
	[ "$(frame thread-leak thread_create)" = "main c11_leak.c:$(line_of C11-UNJOINED c11_leak)" ]
	grep -q '^T 2 1 [0-9]* jc @[0-9]*$' "$LOGDIR"/*.log
}

@test "C11: clean twin, and the int result passes through the trampoline" {
	check_prog c11_clean
	[ "$output" = "result: 7" ]
	[ "$(kinds)" = "" ]
	[ "$(counter destructor_calls)" = 1 ]
	[ "$(counter threads_joined)" = 1 ]
}

@test "results and errno are what glibc gives without tsswatch" {
	local exe
	exe=$(prog errno_kept)
	run "$exe"
	local plain=$output
	preload_run "$exe"
	[ "$status" -eq 0 ]
	[ "$output" = "$plain" ]
	[[ "$output" == *"errno changes: 0" ]]
}

@test "a set glibc has no memory for: tss_set says thrd_nomem, as without tsswatch" {
	[ -z "${TSSWATCH_TEST_ASAN:-}" ] || skip "the program's own calloc and ASan's cannot both be"
	local exe
	exe=$(prog tss_nomem)
	run "$exe"
	[ "$status" -eq 0 ]
	[ "$output" = "tss_set: 3 (thrd_nomem 3), pthread_setspecific: 12 (ENOMEM 12)" ]
	preload_run "$exe"
	[ "$status" -eq 0 ]
	[ "$output" = "tss_set: 3 (thrd_nomem 3), pthread_setspecific: 12 (ENOMEM 12)" ]
}
