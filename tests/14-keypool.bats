bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# A key deleted unused is kept in its thread's pool for that thread's next
# create (preload/keypool.c): what the program sees stays glibc's.

load test_helper

@test "key pool: a pooled key stays deleted; a new key starts empty and runs its own destructor" {
	local exe
	exe=$(prog key_pool)
	run "$exe" semantics
	local plain=$output
	[ "$status" -eq 0 ]
	check_prog key_pool semantics
	[ "$status" -eq 0 ]
	[ "$output" = "$plain" ]
	[ "$output" = "set after delete: Invalid argument
get after delete: (nil)
delete again: Invalid argument
tss_set after delete: thrd_error
new key starts empty: yes
deleted by another thread: Success
destructors: a 0, b 1, c 0" ]
	[ "$(kinds)" = "stale-key=1 stale-key=1" ]
	run jq -r '[.findings[] | .stacks.use[0].line] | sort | join(" ")' "$REPORT"
	[ "$output" = "$(line_of STALE-SET key_pool) $(line_of STALE-TSS key_pool)" ]
	[ "$(counter keys_created)" = 8 ]
	[ "$(counter keys_deleted)" = 8 ]
}

@test "key pool: glibc runs out of keys only when the program holds them all, pools or not" {
	check_prog key_pool exhaust
	[ "$status" -eq 0 ]
	# tsswatch's own key, taken at the first thread, is the one missing
	local n=$((1023 - $(first_key)))
	[ "$output" = "main created $n, then EAGAIN" ]
	[ "$(kinds)" = "key-exhaustion=1" ]
	[ "$(message key-exhaustion)" = "pthread_key_create failed: every key is in use ($n live)" ]
}

@test "key pool: a fork child frees the other threads' pooled keys; the forking thread's serves it" {
	check_prog key_pool fork
	[ "$status" -eq 0 ]
	local n=$((1023 - $(first_key)))
	[ "$output" = "child's key: set 0, get ok
child created $n, then EAGAIN" ]
	run jq -r '[.findings[] | .kind] | join(" ")' "$REPORT"
	[ "$output" = "key-exhaustion" ]
}
