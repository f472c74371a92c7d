#!/usr/bin/env bats
# The symbolizer (cli/symfile.c, debuginfo.c, demangle.c): a frame is named
# right or not at all, with and without libc's separate debug file;
# changed and removed modules; C++ and Rust names; debuginfod that does
# not answer; the demo's output.  Programs built here go to $BIN, whose
# deliberate leaks tests/lsan.supp lets pass in the ASan pass.

load test_helper
bats_require_minimum_version 1.5.0

setup() {
	NODEBUG=$BATS_TEST_TMPDIR/no-debug-files
	mkdir -p "$NODEBUG" "$BIN"
}

# "address function" of every named frame in libc.so.6 in $REPORT.
libc_named() {
	jq -r '.findings[].stacks[][] | select(.module // "" | test("/libc\\.so\\.6$"))
	       | select(.function != null) | "\(.address) \(.function)"' "$REPORT"
}

# Fails unless every named libc frame of $REPORT lies inside a symbol of
# that name in libc's dynamic symbol table (value <= call < value + size),
# as nm sees it: libc's own symbols, without its debug file.
libc_names_inside_symbols() {
	local libc base addr fn off
	libc=$(jq -r '[.findings[].stacks[][] | .module // "" | select(test("/libc\\.so\\.6$"))][0]' "$REPORT")
	base=$(awk -v p="$libc" '$1 == "M" && $4 == p { print $3; exit }' "$(the_log)")
	[ -n "$base" ] || { echo "no M record for $libc" >&2; return 1; }
	while read -r addr fn; do
		off=$((addr - 0x$base - 1))
		local inside=0 value size
		while read -r value size; do
			((0x$value <= off && off < 0x$value + 0x$size)) && inside=1
		done < <(nm -D -S --defined-only "$libc" |
			awk -v f="$fn" '{ n = $4; sub(/@.*/, "", n) } n == f { print $1, $2 }')
		[ "$inside" = 1 ] || { echo "$fn at $addr (+$(printf %x "$off")) is not inside $fn" >&2; return 1; }
	done < <(libc_named)
}

# Function names of stack $2 of the first finding of kind $1, one line.
stack_functions() {
	jq -r --arg k "$1" --arg s "$2" '[.findings[] | select(.kind == $k)][0].stacks[$s]
		| map(.function // "null") | join(" ")' "$REPORT"
}

@test "without libc's debug file, libc's static functions are unnamed, never a neighbour" {
	export TSSWATCH_DEBUG_DIRS=$NODEBUG
	check_prog libc_frames
	[ "$(kinds)" = "tsd-leak=1" ]
	[ "$(frame tsd-leak set)" = "worker libc_frames.c:$(line_of SET libc_frames)" ]
	# start_thread and clone3 have no symbol in the stripped libc
	run stack_functions tsd-leak set
	[[ "$output" =~ ^"worker "(.* )?"null null"$ ]]
	run stack_functions tsd-leak key_create
	[[ "$output" =~ ^"main "(.* )?"null __libc_start_main _start"$ ]]
	for wrong in pthread_condattr_setpshared __xmknodat __libc_init_first; do
		! grep -q "\"$wrong\"" "$REPORT"
	done
	libc_names_inside_symbols
	run "$TSSWATCH" report "$LOGDIR"
	[[ "$output" == *"(/"*"libc.so.6+0x"*")"* ]]
}

@test "with libc's debug file (libc6-dbg), libc's static functions are named, with lines" {
	ls /usr/lib/debug/.build-id/*/*.debug >/dev/null   # tests/ensure-deps installs libc6-dbg
	check_prog libc_frames
	[ "$(kinds)" = "tsd-leak=1" ]
	run stack_functions tsd-leak set
	[[ "$output" =~ ^"worker "(.* )?"start_thread "(__)?"clone3"$ ]]
	run stack_functions tsd-leak key_create
	[[ "$output" == "main __libc_start_call_main __libc_start_main_impl _start" ]]
	jq -e '[.findings[0].stacks.set[] | select(.function == "start_thread")][0]
	       | (.file | endswith("nptl/pthread_create.c")) and .line > 0' "$REPORT"
}

@test "the clean twin: nothing to report, with or without debug files" {
	export TSSWATCH_DEBUG_DIRS=$NODEBUG
	check_prog libc_frames clean
	[ "$(kinds)" = "" ]
	unset TSSWATCH_DEBUG_DIRS
	check_prog libc_frames clean
	[ "$(kinds)" = "" ]
}

@test "the log records each module's build-id, as readelf reads it" {
	local exe
	exe=$(prog libc_frames)
	preload_run "$exe"
	local want
	want=$(readelf -n "$exe" | awk '/Build ID:/ { print $3 }')
	[ -n "$want" ]
	awk -v p="$exe" -v w="$want" '$1 == "M" && $4 == p { found = ($5 == w) } END { exit !found }' "$(the_log)"
}

@test "a module rebuilt since the run: its frames say so and name nothing" {
	local exe=$BIN/symbols-rebuilt src=$TOP/tests/progs/libc_frames.c
	cc -std=c17 -D_GNU_SOURCE -O0 -g "${PROG_CFLAGS[@]}" -o "$exe" "$src" -lpthread
	preload_run "$exe"
	cc -std=c17 -D_GNU_SOURCE -O0 -g "${PROG_CFLAGS[@]}" -DREBUILT -o "$exe" "$src" -lpthread
	run --separate-stderr "$TSSWATCH" report --format json "$LOGDIR"
	[ "$status" -eq 25 ]
	jq -e --arg m "$exe" '[.findings[].stacks[][] | select(.module == $m)]
		| length > 0 and all(.function == null and .module_note == "module changed since the run")' <<<"$output"
	# libc did not change: still symbolized
	jq -e '[.findings[].stacks[][] | select(.module // "" | test("/libc\\.so\\.6$"))]
		| all(has("module_note") | not)' <<<"$output"
	run "$TSSWATCH" report "$LOGDIR"
	[[ "$output" == *"($exe+0x"*") [module changed since the run]"* ]]
	rm "$exe"
	run --separate-stderr "$TSSWATCH" report --format json "$LOGDIR"
	jq -e --arg m "$exe" '[.findings[].stacks[][] | select(.module == $m)]
		| all(.function == null and .module_note == "module not found")' <<<"$output"
}

@test "C++ names are demangled, from DWARF and from the symbol table" {
	local exe=$BIN/symbols-cxx src=$TOP/tests/progs/cxx_frames.cc
	for g in -g -g0; do
		c++ -O0 "$g" "${PROG_CFLAGS[@]}" -o "$exe" "$src" -pthread
		preload_run "$exe"
		REPORT=$BATS_TEST_TMPDIR/report.json
		"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT" || [ $? -eq 25 ]
		[ "$(kinds)" = "tsd-leak=1" ]
		run stack_functions tsd-leak set
		[[ "$output" == "ns::Worker::run() start"* ]]
	done
}

@test "Rust names: legacy ones demangled without their hash, v0 ones shown as they are" {
	local exe=$BIN/symbols-rust
	cc -std=c17 -O0 -g0 "${PROG_CFLAGS[@]}" -o "$exe" "$TOP/tests/progs/rust_names.c" -lpthread
	preload_run "$exe"
	REPORT=$BATS_TEST_TMPDIR/report.json
	"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT" || [ $? -eq 25 ]
	run stack_functions tsd-leak set
	[[ "$output" == "demo::worker _RNvCs1234_4demo6worker start "* ]]
}

@test "debuginfod: a server that refuses or never answers costs one note, not a hang" {
	only_first_pass
	exe=$(prog libc_frames)
	preload_run "$exe"
	export TSSWATCH_DEBUG_DIRS=$NODEBUG DEBUGINFOD_CACHE_PATH=$BATS_TEST_TMPDIR/cache
	DEBUGINFOD_URLS=http://127.0.0.1:9 run --separate-stderr timeout 120 "$TSSWATCH" report --format json "$LOGDIR"
	[ "$status" -eq 25 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "tsswatch: note: debuginfod server "*" did not answer ("*"); not asked again" ]]
	jq -e '.findings[0].stacks.set[0].function == "worker"' <<<"$output"
	# a server that accepts the connection and never says a word
	coproc silent { exec python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)'; }
	read -r port <&"${silent[0]}"
	DEBUGINFOD_URLS=http://127.0.0.1:$port DEBUGINFOD_TIMEOUT=1 \
		run --separate-stderr timeout 120 "$TSSWATCH" report --format json "$LOGDIR"
	kill "$silent_PID"
	[ "$status" -eq 25 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "tsswatch: note: debuginfod server "*" did not answer ("*"); not asked again" ]]
	jq -e '[.findings[0].stacks.set[] | select(.module | test("/libc\\.so\\.6$")) | .function] | all(. == null)' <<<"$output"
}

@test "debuginfod: libc's debug file fetched by build-id names libc's static functions" {
	only_first_pass
	exe=$(prog libc_frames)
	preload_run "$exe"
	export TSSWATCH_DEBUG_DIRS=$NODEBUG DEBUGINFOD_CACHE_PATH=$BATS_TEST_TMPDIR/cache
	coproc server { exec "$TOP/tests/fake-debuginfod"; }
	read -r port <&"${server[0]}"
	DEBUGINFOD_URLS=http://127.0.0.1:$port run --separate-stderr timeout 120 \
		"$TSSWATCH" report --format json "$LOGDIR"
	kill "$server_PID"
	[ "$status" -eq 25 ]
	[ -z "$stderr" ]
	jq -e '[.findings[0].stacks.set[].function] | index("start_thread") != null' <<<"$output"
}

@test "without DEBUGINFOD_URLS no server is asked" {
	only_first_pass
	exe=$(prog libc_frames)
	preload_run "$exe"
	TSSWATCH_DEBUG_DIRS=$NODEBUG run --separate-stderr strace -f -e trace=connect,openat \
		-o "$BATS_TEST_TMPDIR/trace" env -u DEBUGINFOD_URLS "$TSSWATCH" report "$LOGDIR"
	[ "$status" -eq 25 ]
	[ -z "$stderr" ]
	! grep -q 'connect(' "$BATS_TEST_TMPDIR/trace"
	! grep -q 'libdebuginfod' "$BATS_TEST_TMPDIR/trace"
}

# Every frame line of make demo's output names a function of the demo's own
# programs or one of libc's around them, or no function at all.
demo_frames_right() {
	local allowed name
	allowed=$'start_thread\nclone3\n__clone3\n__libc_start_call_main\n__libc_start_main_impl\n__libc_start_main\n'
	allowed+=$(nm --defined-only "$TOP/build/examples/leaky" "$TOP/build/examples/connections" |
		awk 'NF == 3 && $2 ~ /[Tt]/ { print $3 }')
	grep -E '^ +#[0-9]+ 0x' <<<"$1" >"$BATS_TEST_TMPDIR/frames"
	[ -s "$BATS_TEST_TMPDIR/frames" ]
	while read -r _ _ in name _; do
		[ "$in" = in ] || continue
		grep -qxF -- "$name" <<<"$allowed" || { echo "made-up frame: $name" >&2; return 1; }
	done <"$BATS_TEST_TMPDIR/frames"
}

@test "make demo: every frame right or unnamed, with and without libc's debug file" {
	only_first_pass
	TSSWATCH_DEBUG_DIRS=$NODEBUG run "$TOP/examples/demo"
	[ "$status" -eq 0 ]
	[[ "$output" == *"tsd-leak: error, 1 occurrence"* ]]
	[[ "$output" == *"in worker $TOP/examples/leaky.c:"* ]]
	[[ "$output" == *"(/"*"libc.so.6+0x"*")"* ]]
	[[ "$output" != *start_thread* ]]
	demo_frames_right "$output"
	run "$TOP/examples/demo"
	[ "$status" -eq 0 ]
	[[ "$output" == *" in start_thread "*"pthread_create.c:"* ]]
	[[ "$output" == *" in __libc_start_call_main "* ]]
	demo_frames_right "$output"
}
