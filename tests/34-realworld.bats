bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# Issue 17: real programs that fork, spawn, serve and link, each run plainly
# and under `tsswatch run`: the same output and exit status, no hang, and a
# report read from their logs.  Every run is bounded by timeout(1) (outside
# tsswatch), so a hang fails the test.  Servers listen on loopback only, on
# a port the kernel hands out, with their files in the test's temporary
# directory, and teardown stops them whatever happened.  What each one
# reports, and whether it is true: tests/real/README.
#
# CI (make test) runs the fast ones; the slow ones (rustc, cargo, node, the
# JVM, PostgreSQL) skip unless TSSWATCH_REALWORLD=1, which `make realworld`
# sets (it installs their packages with tests/ensure-deps --realworld).

load test_helper
load hostile_helper

REAL=$TOP/tests/real
# Seconds one run (a compile, a server's life) may take before it counts
# as hung.
HANG=${HANG:-300}

need() {
	command -v "$1" >/dev/null || skip "$1 not installed (tests/ensure-deps${2:+ --realworld} installs it)"
}

slow() {
	[ -n "${TSSWATCH_REALWORLD:-}" ] || skip "slow: make realworld runs it"
}

# Findings that fail `tsswatch run`: only a crash-like kind, so that its
# exit status is the program's own and can be compared; the findings are
# checked from the report.
RUN_OPTS=(--fail-on stale-thread)

# Every command of a run starts with "${AS[@]}": PostgreSQL's tests run
# theirs as the postgres user.
AS=()

# bounded CMD...: runs CMD under timeout; a hang fails.
bounded() {
	run --separate-stderr timeout -k 10 $HANG "${AS[@]}" "$@"
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		echo "hung: $* killed after $HANG s" >&2
		return 1
	fi
}

# same_bounded CMD...: same_as_plain, each run under timeout.
same_bounded() {
	bounded "$@"
	PLAIN_OUT=$output PLAIN_STATUS=$status
	no_sanitizer_report
	[ -z "${BETWEEN_RUNS:-}" ] || "$BETWEEN_RUNS"
	LOGDIR=$WORK/logs
	REPORT=$WORK/report.json
	rm -rf "$LOGDIR" "$REPORT"
	bounded "$TSSWATCH" run "${RUN_OPTS[@]}" --keep-logs "$LOGDIR" --format json -o "$REPORT" -- "$@"
	no_sanitizer_report
	[ "$output" = "$PLAIN_OUT" ] || { echo "stdout differs: '$output' vs '$PLAIN_OUT'" >&2; return 1; }
	[ "$status" -eq "$PLAIN_STATUS" ] || { echo "status $status vs $PLAIN_STATUS" >&2; return 1; }
}

no_errors() {
	[ "$(severity_count error)" = 0 ] || { echo "errors: $(kinds)" >&2; return 1; }
}

# only_kinds KIND...: every finding is of one of these kinds (none at all
# with no argument).
only_kinds() {
	local extra
	extra=$(jq -r --arg ok "$*" '[.findings[] | .kind | select(. as $k | $ok | split(" ") | index($k) | not)]
		| unique | join(" ")' "$REPORT")
	[ -z "$extra" ] || { echo "unexpected findings: $(kinds)" >&2; return 1; }
}

# A loopback TCP port nothing listens on, from the kernel.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# until_ok CMD...: retries CMD until it succeeds, for at most HANG seconds.
until_ok() {
	local i
	for ((i = 0; i < HANG * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "never ready: $*" >&2
	return 1
}

# serve MODE READY CLIENT -- SERVER...: starts SERVER in the background,
# plainly (MODE plain) or under tsswatch run (MODE tsswatch, logs and
# report as same_bounded's), waits until READY succeeds, runs CLIENT
# (which stops the server) into $CLIENT_OUT, and waits for the server's
# end: $SERVER_STATUS.  teardown stops whatever is left.
serve() {
	local mode=$1 ready=$2 client=$3
	shift 4
	LOGDIR=$WORK/logs
	REPORT=$WORK/report.json
	rm -rf "$LOGDIR" "$REPORT"
	if [ "$mode" = plain ]; then
		timeout -k 10 $HANG "${AS[@]}" "$@" >"$WORK/server.out" 2>&1 3>&- &
	else
		timeout -k 10 $HANG "${AS[@]}" "$TSSWATCH" run "${RUN_OPTS[@]}" --keep-logs "$LOGDIR" --format json \
			-o "$REPORT" -- "$@" >"$WORK/server.out" 2>&1 3>&- &
	fi
	SERVER_JOB=$!
	until_ok "$ready" || return 1
	CLIENT_OUT=$("$client") || { echo "client failed: $CLIENT_OUT" >&2; return 1; }
	SERVER_STATUS=0
	wait "$SERVER_JOB" || SERVER_STATUS=$?
	SERVER_JOB=
	if [ "$SERVER_STATUS" -eq 124 ] || [ "$SERVER_STATUS" -eq 137 ]; then
		echo "hung: $* killed after $HANG s" >&2
		return 1
	fi
}

# serve_both READY CLIENT -- SERVER...: serve, plainly then under tsswatch;
# the client's transcript and the server's status must be the same.  The
# function named by BETWEEN_RUNS, when set, runs between the two (as it
# does in same_bounded): it puts back what the first run changed.
serve_both() {
	serve plain "$@"
	local plain_out=$CLIENT_OUT plain_status=$SERVER_STATUS
	[ -z "${BETWEEN_RUNS:-}" ] || "$BETWEEN_RUNS"
	serve tsswatch "$@"
	cat "$WORK/server.out" >&2
	[ "$CLIENT_OUT" = "$plain_out" ] || { echo "client saw '$CLIENT_OUT' vs '$plain_out'" >&2; return 1; }
	[ "$SERVER_STATUS" -eq "$plain_status" ] || { echo "server status $SERVER_STATUS vs $plain_status" >&2; return 1; }
}

setup() {
	WORK=$BATS_TEST_TMPDIR
}

teardown() {
	# a server still running: its own pid file first, then the job
	local f pid
	for f in "$WORK"/*.pid "$WORK"/pg/postmaster.pid; do
		[ -f "$f" ] || continue
		pid=$(head -n 1 "$f")
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	done
	if [ -n "${SERVER_JOB:-}" ]; then
		kill -TERM "$SERVER_JOB" 2>/dev/null
		wait "$SERVER_JOB" 2>/dev/null
	fi
	[ "$WORK" = "$BATS_TEST_TMPDIR" ] || rm -rf "$WORK"
	return 0
}

# ---- redis: BGSAVE forks a child that writes the dump (issue 17's hang)

redis_ready() {
	[ "$(redis-cli -p "$PORT" ping)" = PONG ]
}

# Sets 1000 keys, BGSAVEs and waits for the child's end, reads back, and
# shuts the server down.  Prints what a user would compare.
redis_client() {
	local i
	for ((i = 0; i < 1000; i++)); do echo "SET key:$i value-$i"; done | redis-cli -p "$PORT" >/dev/null
	redis-cli -p "$PORT" BGSAVE >/dev/null
	until_ok redis_saved
	redis-cli -p "$PORT" INFO persistence | grep -E '^rdb_last_bgsave_status' | tr -d '\r'
	redis-cli -p "$PORT" DBSIZE
	redis-cli -p "$PORT" GET key:999
	redis-cli -p "$PORT" SHUTDOWN NOSAVE >/dev/null 2>&1
	return 0
}

redis_saved() {
	redis-cli -p "$PORT" INFO persistence | tr -d '\r' | grep -qx 'rdb_bgsave_in_progress:0' &&
		[ -s "$BATS_TEST_TMPDIR/redis/dump.rdb" ]
}

redis_reset() {
	rm -f "$BATS_TEST_TMPDIR/redis/dump.rdb"
}

redis_both() {
	need redis-server
	need redis-cli
	PORT=$(free_port)
	mkdir -p "$BATS_TEST_TMPDIR/redis"
	BETWEEN_RUNS=redis_reset
	serve_both redis_ready redis_client -- redis-server --port "$PORT" --bind 127.0.0.1 \
		--dir "$BATS_TEST_TMPDIR/redis" --pidfile "$BATS_TEST_TMPDIR/redis.pid" \
		--save '' --appendonly no --daemonize no --logfile '' "$@"
	[ "$CLIENT_OUT" = "$(printf 'rdb_last_bgsave_status:ok\n1000\nvalue-999')" ]
	[ "$SERVER_STATUS" -eq 0 ]
	# the server and its BGSAVE child both wrote a log
	[ "$(jq '.processes | length' "$REPORT")" -ge 2 ]
}

@test "redis-server: 1000 SETs, BGSAVE (a fork), SHUTDOWN" {
	redis_both
	no_errors
	# jemalloc's key; redis's bio threads and jemalloc's background threads
	# still run at exit (tests/real/README)
	only_kinds key-leak thread-running
}

@test "redis-server --io-threads 2: BGSAVE" {
	redis_both --io-threads 2 --io-threads-do-reads yes
	no_errors
	only_kinds key-leak thread-running
}

# ---- memcached: 4 worker threads

memcached_ready() {
	python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])))' "$PORT"
}

memcached_client() {
	python3 "$REAL/memcached_client.py" "$PORT"
}

@test "memcached -t 4: sets, gets, incr, shutdown" {
	need memcached
	PORT=$(free_port)
	serve_both memcached_ready memcached_client -- memcached -u "$(id -un)" -l 127.0.0.1 -p "$PORT" \
		-U 0 -t 4 -A
	[ "$(sed -n 51p <<<"$CLIENT_OUT")" = "VALUE k7 0 2 | 49 | VALUE k49 0 4 | 2401 | END" ]
	[ "$SERVER_STATUS" -eq 0 ]
	no_errors
	# its key, and its threads at exit (tests/real/README)
	only_kinds key-leak thread-running
}

# ---- Python: multiprocessing (fork) with a thread pool in each worker

@test "python3 multiprocessing (fork), a thread pool in each worker" {
	need python3
	# the interpreter itself, not a wrapper script (pyenv's shims are)
	local py
	py=$(python3 -c 'import sys; print(sys.executable)')
	same_bounded "$py" "$REAL/mp_threads.py"
	[ "$status" -eq 0 ]
	[ "${output:0:13}" = "[2690780196, " ]
	# the parent and its three pool workers
	[ "$(jq '.processes | length' "$REPORT")" -eq 4 ]
	no_errors
	# each worker ends in os._exit, which never deletes Python's key; a
	# pool thread may still be winding down (tests/real/README)
	only_kinds key-leak thread-running
	# (one per worker that got to os._exit before the pool's terminate()
	# killed it: none to three, as the workers are scheduled)
	[ "$(count_kind key-leak <"$REPORT")" -le 3 ]
	# and each is the interpreter's own key
	run jq -r '[.findings[] | select(.kind == "key-leak") | .stacks.key_create[0].module
		| test("python")] | all' "$REPORT"
	[ "$output" = true ]
}

# ---- OpenSSL from 8 threads

@test "OpenSSL (EVP, RAND_bytes) from 8 threads" {
	[ -e /usr/include/openssl/evp.h ] || skip "libssl-dev not installed (tests/ensure-deps installs it)"
	local exe=$BATS_TEST_TMPDIR/openssl_threads
	cc -O1 -g "${PROG_CFLAGS[@]}" -o "$exe" "$REAL/openssl_threads.c" -lcrypto -lpthread
	same_bounded "$exe"
	[ "$status" -eq 0 ]
	[ "$output" = "1acf695f 357dcf3e 7a650a60 22a6dcad 4f88ac10 c882139c b20785ab 4ffd68f8" ]
	[ "$(kinds)" = "" ]
}

# ---- the slow ones: make realworld

@test "rustc: compile and link a program with threads (rustc forks cc)" {
	slow
	need rustc --realworld
	local out=$BATS_TEST_TMPDIR/threads
	same_bounded rustc -O -o "$out" "$REAL/threads.rs"
	[ "$status" -eq 0 ]
	run "$out"
	[ "$output" = "[0, 50000, 99999, 150000]" ]
	no_errors
	# keys of libstdc++, jemalloc and Rust's std; LLVM's and rustc's
	# threads at exit (tests/real/README)
	only_kinds key-leak thread-running
}

@test "cargo build --offline of a crate without dependencies" {
	slow
	need cargo --realworld
	local crate=$BATS_TEST_TMPDIR/crate
	mkdir -p "$crate/src"
	printf '[package]\nname = "threads"\nversion = "0.1.0"\nedition = "2018"\n' >"$crate/Cargo.toml"
	cp "$REAL/threads.rs" "$crate/src/main.rs"
	export CARGO_TARGET_DIR=$BATS_TEST_TMPDIR/target
	same_bounded cargo build --offline --quiet --manifest-path "$crate/Cargo.toml"
	[ "$status" -eq 0 ]
	run "$CARGO_TARGET_DIR/debug/threads"
	[ "$output" = "[0, 50000, 99999, 150000]" ]
	no_errors
	only_kinds key-leak thread-running
}

@test "node with 4 worker_threads" {
	slow
	need node --realworld
	same_bounded node "$REAL/node_workers.js"
	[ "$status" -eq 0 ]
	[ "$output" = "299995,599994,899997,1199997" ]
	no_errors
	# node's signal-handler thread at exit (tests/real/README)
	only_kinds thread-running
}

@test "java: 8 threads with a ThreadLocal (source launcher, JIT and GC threads)" {
	slow
	need java --realworld
	same_bounded java -Xshare:auto "$REAL/Threads.java"
	[ "$status" -eq 0 ]
	[ "$output" = "total 12000000" ]
	no_errors
	# HotSpot's key; its GC and compiler threads at exit (tests/real/README)
	only_kinds key-leak thread-running
}

# ---- PostgreSQL: initdb, a server that forks per connection, a query, stop

pg_ready() {
	"$PGBIN/pg_isready" -q -h "$WORK/sock" -p "$PORT"
}

pg_client() {
	"${AS[@]}" psql -X -q -A -t -h "$WORK/sock" -p "$PORT" -U postgres -d postgres -c \
		"CREATE TABLE t AS SELECT g AS x FROM generate_series(1, 100000) g;
		 SELECT count(*), sum(x) FROM t;" &&
	"${AS[@]}" "$PGBIN/pg_ctl" stop -s -D "$WORK/pg" -m fast -w
}

pg_wipe() {
	"${AS[@]}" rm -rf "$WORK/pg"
}

pg_reset() {
	pg_wipe
	"${AS[@]}" "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust --no-sync --no-instructions >/dev/null
}

@test "PostgreSQL: initdb, start, a query, stop" {
	slow
	local d
	for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PGBIN=$d; done
	[ -n "${PGBIN:-}" ] || skip "PostgreSQL not installed (tests/ensure-deps --realworld installs it)"
	need psql --realworld
	# PostgreSQL refuses to run as root: then it runs as the postgres
	# user (the package creates it), in a directory that user owns
	WORK=$(mktemp -d /tmp/tsswatch-pg.XXXXXX)
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || skip "no postgres user to run PostgreSQL as"
		chown postgres "$WORK"
		AS=(runuser -u postgres --)
	fi
	mkdir -p "$WORK/sock"
	[ "$(id -u)" != 0 ] || chown postgres "$WORK/sock"
	PORT=$(free_port)
	BETWEEN_RUNS=pg_wipe
	same_bounded "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust --no-sync --no-instructions
	[ "$status" -eq 0 ]
	no_errors
	# initdb runs postgres --boot and --single: each wrote a log
	[ "$(jq '.processes | length' "$REPORT")" -ge 3 ]
	[ "$(kinds)" = "" ]
	BETWEEN_RUNS=pg_reset
	pg_reset
	serve_both pg_ready pg_client -- "$PGBIN/postgres" -D "$WORK/pg" -p "$PORT" -k "$WORK/sock" \
		-c listen_addresses= -c fsync=off
	[ "$CLIENT_OUT" = "100000|5000050000" ]
	[ "$SERVER_STATUS" -eq 0 ]
	no_errors
	# the postmaster, its background workers and the connection's backend
	[ "$(jq '.processes | length' "$REPORT")" -ge 4 ]
	[ "$(kinds)" = "" ]
}
