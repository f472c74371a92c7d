bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# tsd-leak, dtor-exhausted and dict-leak mean the memory was lost: a value
# in static data or a stack, one freed later by whoever owns it, or one
# still referenced from static data at exit is no finding.  Each case has a
# twin that really loses its memory, found with its exact count and frame.

load test_helper

# R records of the last run's logs, "how" words sorted, one line.
not_lost() {
	cat "$LOGDIR"/*.log | awk '$1 == "R" { print $3 }' | sort | tr '\n' ' ' | sed 's/ $//'
}

@test "perl's pattern: a registry frees the contexts after the joins: no finding" {
	check_prog lost_registry
	[ "$(kinds)" = "" ]
	# both were logged as they were dropped, then freed
	[ "$(grep -c '^F tsd-leak ' "$LOGDIR"/*.log)" = 2 ]
	[ "$(not_lost)" = "freed freed" ]
}

@test "perl's pattern and a global at exit, twin: the registry forgets them: two tsd-leaks" {
	check_prog lost_registry leak
	[ "$(kinds)" = "tsd-leak=2" ]
	[ "$(frame tsd-leak set)" = "worker lost_registry.c:$(line_of CONTEXT-SET lost_registry)" ]
	[ "$(not_lost)" = "" ]
}

@test "pointers to a static slot, a stack and a __thread variable: never logged" {
	check_prog lost_static
	[ "$(kinds)" = "" ]
	[ "$(grep -c '^F ' "$LOGDIR"/*.log)" = 0 ]
	[ "$(counter values_set)" = 6 ]
}

@test "static slots, twin: the malloc'd value beside them is found" {
	check_prog lost_static leak
	[ "$(kinds)" = "tsd-leak=2" ]
	[ "$(frame tsd-leak set)" = "worker lost_static.c:$(line_of HEAP-SET lost_static)" ]
	[ "$(counter values_set)" = 8 ]
}

@test "a value freed by another thread after its owner finished: no finding" {
	check_prog lost_reaper
	[ "$(kinds)" = "" ]
	[ "$(not_lost)" = "freed" ]
}

@test "freed by another thread, twin: the reaper drops it: one tsd-leak" {
	check_prog lost_reaper leak
	[ "$(kinds)" = "tsd-leak=1" ]
	[ "$(frame tsd-leak set)" = "owner lost_reaper.c:$(line_of OWNER-SET lost_reaper)" ]
}

@test "a value still referenced from a global at exit: no finding" {
	check_prog lost_registry keep
	[ "$(kinds)" = "" ]
	[ "$(not_lost)" = "reachable reachable" ]
}

@test "a fork child freeing its copy frees nothing of the parent's: fork and _Fork" {
	local mode
	for mode in fork raw; do
		check_prog lost_fork "$mode"
		[ "$(kinds)" = "tsd-leak=1" ]
		[ "$(frame tsd-leak set)" = "worker lost_fork.c:$(line_of DROPPED-SET lost_fork)" ]
		[ "$(ls "$LOGDIR"/*.log | wc -l)" = 2 ]
		[ "$(not_lost)" = "" ]
	done
}

# Runs tests/progs/$1 with tsswatch and then allocator $2 preloaded (its
# free is the one after ours), $3 the program's argument.
with_allocator() {
	local exe
	exe=$(prog "$1") || return 1
	LOGDIR=$BATS_TEST_TMPDIR/logs
	rm -rf "$LOGDIR"
	mkdir -p "$LOGDIR"
	run --separate-stderr env LD_PRELOAD="$LIB:$2" TSSWATCH_OPTIONS="log_dir=$LOGDIR" "$exe" ${3:+"$3"}
	[ "$status" -eq 0 ]
	REPORT=$BATS_TEST_TMPDIR/report.json
	"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT" || [ $? -eq 25 ]
}

# Kinds as kinds() does, but for the allocator's own never-deleted key.
own_kinds() {
	jq -r --arg lib "$1" '[.findings[] | select(.kind != "key-leak"
		or .stacks.key_create[0].module != $lib) | "\(.kind)=\(.count)"] | sort | join(" ")' "$REPORT"
}

allocator_after_tsswatch() {
	local lib=/usr/lib/x86_64-linux-gnu/$1
	[ -e "$lib" ] || skip "$1 not installed (Debian package $2)"
	no_foreign_allocator_under_asan
	with_allocator lost_registry "$lib"
	[ "$(own_kinds "$lib")" = "" ]
	[ "$(not_lost)" = "freed freed" ]
	with_allocator lost_reaper "$lib"
	[ "$(own_kinds "$lib")" = "" ]
	with_allocator lost_registry "$lib" leak
	[ "$(own_kinds "$lib")" = "tsd-leak=2" ]
	[ "$(frame tsd-leak set)" = "worker lost_registry.c:$(line_of CONTEXT-SET lost_registry)" ]
}

@test "jemalloc preloaded after tsswatch: frees go to jemalloc's free and are seen" {
	allocator_after_tsswatch libjemalloc.so.2 libjemalloc2
}

@test "tcmalloc preloaded after tsswatch: frees go to tcmalloc's free and are seen" {
	allocator_after_tsswatch libtcmalloc.so.4 libgoogle-perftools4
}
