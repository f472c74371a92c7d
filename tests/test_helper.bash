# Shared by every tests/*.bats file.
TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
TSSWATCH=${TSSWATCH:-$TOP/cli/tsswatch}
TSSWATCH_ASAN=$TOP/build/asan/tsswatch
LIB=$TOP/preload/libtsswatch.so
# The version, said once in the Makefile.
VERSION=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
# tests/run's second pass (TSSWATCH_TEST_ASAN=1) builds every test program
# with ASan and UBSan too, into a bin directory of its own.
if [ -n "${TSSWATCH_TEST_ASAN:-}" ]; then
	BIN=$TOP/tests/bin-asan
	PROG_CFLAGS=(-fsanitize=address,undefined -fno-omit-frame-pointer)
else
	BIN=$TOP/tests/bin
	PROG_CFLAGS=()
fi

# Builds tests/progs/NAME.c into $BIN/NAME (once per suite run).
prog() {
	local name=$1; shift
	local src=$TOP/tests/progs/$name.c out=$BIN/$name
	mkdir -p "$BIN"
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		cc -std=c17 -D_GNU_SOURCE -O0 -g -Wall -Wextra -Werror "${PROG_CFLAGS[@]}" \
			-I"$TOP/preload" -o "$out" "$src" -lpthread -ldl "$@" || return 1
	fi
	echo "$out"
}

# The index a test program's first key gets, as built for this pass (an
# ASan runtime creates a key of its own before main).
first_key() {
	"$(prog first_key)"
}

# Builds tests/progs/NAME.c linked with -ltsswatch.
linked() {
	prog "$1" -L"$TOP/preload" -ltsswatch -Wl,-rpath,"$TOP/preload"
}

# Runs a program under the preload with a private log dir; sets $LOGDIR.
preload_run() {
	LOGDIR=$BATS_TEST_TMPDIR/logs
	rm -rf "$LOGDIR"
	mkdir -p "$LOGDIR"
	run --separate-stderr env LD_PRELOAD="$LIB" TSSWATCH_OPTIONS="log_dir=$LOGDIR${TSW_EXTRA:+:$TSW_EXTRA}" "$@"
	no_sanitizer_report
}

# Fails when the last run's stderr holds a sanitizer's report: the test
# programs are ASan and UBSan builds in tests/run's second pass.
no_sanitizer_report() {
	if grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' <<<"$stderr"; then
		echo "$stderr" >&2
		return 1
	fi
}

# The one log the last preload_run wrote.
the_log() {
	local logs=("$LOGDIR"/*.log)
	[ ${#logs[@]} -eq 1 ] || { echo "expected one log, got ${#logs[@]}" >&2; return 1; }
	echo "${logs[0]}"
}

# JSON report of the logs in $LOGDIR.
report_json() {
	"$TSSWATCH" report --format json "$@" "$LOGDIR"
}

# Counts findings of one kind (summed counts) in a JSON report on stdin.
count_kind() {
	jq --arg k "$1" '[.findings[] | select(.kind == $k) | .count] | add // 0'
}

# The line of the comment /* MARK */ in tests/progs/FILE.c.
line_of() {
	grep -n "/\* $1 \*/" "$TOP/tests/progs/$2.c" | cut -d: -f1
}

# Runs tests/progs/NAME under the preload and writes the JSON report to
# $REPORT; $output holds the program's output.
check_prog() {
	local name=$1; shift
	local exe
	exe=$(prog "$name") || return 1
	preload_run "$exe" "$@"
	REPORT=$BATS_TEST_TMPDIR/report.json
	"$TSSWATCH" report --format json "$LOGDIR" >"$REPORT" || [ $? -eq 25 ]
}

# Kinds and counts of the report, "kind=count" sorted, one line.
kinds() {
	jq -r '[.findings[] | "\(.kind)=\(.count)"] | sort | join(" ")' "$REPORT"
}

# "function file:line" of frame N (default 0) of stack STACK of the first
# finding of KIND.
frame() {
	jq -r --arg k "$1" --arg s "$2" --argjson n "${3:-0}" \
		'[.findings[] | select(.kind == $k)][0].stacks[$s][$n]
		 | "\(.function) \(.file | split("/") | last):\(.line)"' "$REPORT"
}

message() {
	jq -r --arg k "$1" '[.findings[] | select(.kind == $k)][0].message' "$REPORT"
}

counter() {
	jq -r --arg c "$1" '.processes[0].counters[$c]' "$REPORT"
}

# These tests preload an allocator into tsswatch and the program, which
# cannot share malloc with ASan: in tests/run's second pass both are ASan
# builds (an ASan program with jemalloc preloaded crashes without tsswatch).
no_foreign_allocator_under_asan() {
	if [ "$TSSWATCH" = "$TSSWATCH_ASAN" ] || [ -n "${TSSWATCH_TEST_ASAN:-}" ]; then
		skip "a foreign allocator preloaded into ASan-built programs and CLI"
	fi
}

# For tests that do not run the CLI under test: once is enough.
only_first_pass() {
	if [ "$TSSWATCH" = "$TSSWATCH_ASAN" ]; then
		skip "does not use the CLI under test: run in the first pass"
	fi
}
