bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# A program gets the key indexes it gets without tsswatch: tsswatch's own
# key (the thread-exit hook) takes the highest free index, and no key of
# the program's is held back.

load test_helper

# Runs tests/progs/key_indexes MODE without tsswatch and under it, and
# checks that both print the same indexes and that nothing is reported.
same_indexes() {
	local exe plain
	exe=$(prog key_indexes)
	run "$exe" "$1"
	[ "$status" -eq 0 ]
	plain=$output
	check_prog key_indexes "$1"
	[ "$status" -eq 0 ]
	[ "$output" = "$plain" ]
	[ "$(kinds)" = "" ]
}

@test "key indexes: a thread before the first key changes no index" {
	same_indexes thread-first
	local k
	k=$(first_key)
	[ "$output" = "after a thread: $k $((k + 1))
re-created: $k" ]
}

@test "key indexes: keys, then a thread, then keys in the holes" {
	same_indexes keys-first
	local k
	k=$(first_key)
	[ "$output" = "before a thread: $k $((k + 1)) $((k + 2))
after a thread: $((k + 1)) $((k + 3))" ]
}

@test "key indexes: threads deleting and re-creating keys, theirs and others'" {
	same_indexes churn
	[ "$(counter keys_created)" = 35 ]
	[ "$(counter keys_deleted)" = 35 ]
}

@test "key indexes: tsswatch's own key is the highest free index" {
	local exe k
	exe=$(prog key_indexes)
	k=$(first_key)
	run "$exe" fill
	[ "$output" = "created $((1024 - k)), highest 1023" ]
	check_prog key_indexes fill
	[ "$status" -eq 0 ]
	[ "$output" = "created $((1023 - k)), highest 1022" ]
	[ "$(kinds)" = "key-exhaustion=1" ]
}
