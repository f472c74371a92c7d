# Helpers of the report tests (20-29): hand-written logs that point into a
# real program, and sanitizer checks.

# The address of function $2 in program $1, in hex without 0x.
sym_addr() {
	nm "$1" | awk -v s="$2" '$3 == s { print $1 }'
}

# The return address after create_key's call into sink (inside the
# always_inline function), as the preload would record it.
inlined_return() {
	objdump -d --no-show-raw-insn "$1" |
		awk '/<create_key>:/ { in_fn = 1; next }
		     in_fn && /call.*<sink>/ { want = 1; next }
		     in_fn && want { sub(":", "", $1); print $1; exit }'
}

# Fills tests/logs/NAME.log.in with tests/bin/symbols' path and offsets
# (each a return address: the function's start + 1); prints the log's path.
symbols_log() {
	local name=$1 p out
	p=$(prog symbols) || return 1
	out=$BATS_TEST_TMPDIR/$name.log
	sed -e "s|@PROG@|$p|g" \
	    -e "s|@SET@|$(printf %x $((0x$(sym_addr "$p" set_value) + 1)))|g" \
	    -e "s|@START@|$(printf %x $((0x$(sym_addr "$p" start_thread) + 1)))|g" \
	    -e "s|@MAIN@|$(printf %x $((0x$(sym_addr "$p" main) + 1)))|g" \
	    -e "s|@CREATE@|$(inlined_return "$p")|g" \
	    "$TOP/tests/logs/$name.log.in" > "$out" || return 1
	echo "$out"
}

# Runs the ASan/UBSan build; fails on any sanitizer report.
asan_run() {
	[ -x "$TSSWATCH_ASAN" ] || { echo "build/asan/tsswatch missing: make asan" >&2; return 1; }
	run "$TSSWATCH_ASAN" "$@"
	if grep -qE 'Sanitizer|runtime error:' <<<"$output"; then
		echo "$output" >&2
		return 1
	fi
}

LOGS=$TOP/tests/logs
