# Helpers for 30-hostile.bats, 31-real-programs.bats and 32-stress.bats.
# Load after test_helper.

# tsw_run [run options] [--] CMD ...: `tsswatch run --format json` with the
# logs kept in $LOGDIR and the report in $REPORT; $status, $output (the
# program's stdout) and $stderr as bats' run sets them.
tsw_run() {
	LOGDIR=$BATS_TEST_TMPDIR/logs
	REPORT=$BATS_TEST_TMPDIR/report.json
	rm -rf "$LOGDIR" "$REPORT"
	run --separate-stderr "$TSSWATCH" run --keep-logs "$LOGDIR" --format json -o "$REPORT" "$@"
	no_sanitizer_report
}

# plain CMD ...: runs CMD without tsswatch; sets PLAIN_OUT and PLAIN_STATUS.
plain() {
	run --separate-stderr "$@"
	PLAIN_OUT=$output
	PLAIN_STATUS=$status
	no_sanitizer_report
}

# same_as_plain CMD ...: CMD gives the same stdout and exit status under
# `tsswatch run` as without it.  Leaves tsw_run's variables set.  The
# array RUN_OPTS, when set, goes to tsswatch run.
same_as_plain() {
	plain "$@"
	tsw_run "${RUN_OPTS[@]}" -- "$@"
	[ "$output" = "$PLAIN_OUT" ] || { echo "stdout differs: '$output' vs '$PLAIN_OUT'" >&2; return 1; }
	[ "$status" -eq "$PLAIN_STATUS" ] || { echo "status $status vs $PLAIN_STATUS" >&2; return 1; }
}

# so NAME [cc args]: builds tests/progs/NAME.c into tests/bin/libNAME.so.
so() {
	local name=$1; shift
	local src=$TOP/tests/progs/$name.c out=$BIN/lib$name.so
	mkdir -p "$BIN"
	if [ ! -e "$out" ] || [ "$src" -nt "$out" ]; then
		cc -std=c17 -D_GNU_SOURCE -O0 -g -Wall -Wextra -Werror "${PROG_CFLAGS[@]}" -shared -fPIC \
			-o "$out" "$src" -lpthread -ldl "$@" || return 1
	fi
	echo "$out"
}

# Kinds and counts of the findings seen in one process (or all with no
# pid; a finding merged across processes counts them all),
# "kind=count" sorted, one line.
pkinds() {
	jq -r --argjson p "${1:-0}" '[.findings[] | select($p == 0 or (.pids | index($p)))
		| "\(.kind)=\(.count)"] | sort | join(" ")' "$REPORT"
}

# pcounter PID NAME: a counter of one process.
pcounter() {
	jq -r --argjson p "$1" --arg c "$2" '.processes[] | select(.pid == $p) | .counters[$c]' "$REPORT"
}

# Summed counts of the findings of one severity.
severity_count() {
	jq --arg s "$1" '[.findings[] | select(.severity == $s) | .count] | add // 0' "$REPORT"
}

# check_counters "name=value ...": each counter of the (single) process.
check_counters() {
	local kv
	for kv in $1; do
		[ "$(counter "${kv%%=*}")" = "${kv#*=}" ] ||
			{ echo "counter ${kv%%=*}: $(counter "${kv%%=*}"), expected ${kv#*=}" >&2; return 1; }
	done
}
