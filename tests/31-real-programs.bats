bats_require_minimum_version 1.5.0
#!/usr/bin/env bats
# Issue 8: real multi-threaded programs from Debian's packages, run with
# and without tsswatch: stdout and exit status identical, and no `error`
# finding on a program known to be clean.  Every finding tsswatch reports
# on them is explained in tests/real/README.

load test_helper
load hostile_helper

setup() {
	DATA=$BATS_TEST_TMPDIR/data.txt
	# 300,000 lines, 4 MB, the same every time
	awk 'BEGIN { for (i = 1; i <= 300000; i++) print (i * 7919) % 100003, i, "abcdefgh" }' >"$DATA"
}

need() {
	command -v "$1" >/dev/null || skip "$1 not installed (tests/ensure-deps installs it)"
}

# The findings, "kind=count" sorted: what tests/real/README explains.
no_errors() {
	[ "$(severity_count error)" = 0 ] || { echo "errors: $(kinds)" >&2; return 1; }
}

@test "python3: 8 threads with threading.local" {
	need python3
	local py=$BATS_TEST_TMPDIR/threads.py
	cat >"$py" <<'PY'
import threading
lock = threading.Lock()
local = threading.local()
out = []
def work(i):
    local.v = [i] * 10
    s = sum(x * x for x in range(20000 + i))
    with lock:
        out.append((i, s, local.v[0]))
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(out))
PY
	same_as_plain /usr/bin/python3 "$py"
	[ "$status" -eq 0 ]
	no_errors
	# Python's threads are detached and join() returns when the Python
	# function has ended: at exit one may still be winding down (an info).
	[[ "$(kinds)" =~ ^(thread-running=[0-9]+)?$ ]]
}

@test "xz -T2: compress and decompress" {
	need xz
	same_as_plain sh -c "xz -1 -T2 -c '$DATA' | xz -T2 -dc | md5sum"
	[ "$output" = "$(md5sum <"$DATA")" ]
	no_errors
	# xz exits without ending its worker threads (tests/real/README)
	run jq -r '[.findings[] | .kind] | unique | join(" ")' "$REPORT"
	[ -z "$output" ] || [ "$output" = thread-running ]
}

@test "zstd -T2" {
	need zstd
	same_as_plain sh -c "zstd -T2 -q -c '$DATA' | md5sum"
	no_errors
	[ "$(kinds)" = "" ]
}

@test "pigz -p 2" {
	need pigz
	same_as_plain sh -c "pigz -p 2 -c '$DATA' | pigz -dc | md5sum"
	[ "$output" = "$(md5sum <"$DATA")" ]
	no_errors
	# pigz's try/catch key is never deleted (tests/real/README)
	run jq -r '[.findings[] | "\(.kind) \(.severity)"] | unique | join("|")' "$REPORT"
	[ -z "$output" ] || [ "$output" = "key-leak warning" ]
}

@test "sort --parallel=2" {
	need sort
	same_as_plain sh -c "sort --parallel=2 -S 1M -n '$DATA' | md5sum"
	no_errors
	[ "$(kinds)" = "" ]
}

@test "git grep --threads=2 and git index-pack --threads=2" {
	need git
	local repo=$BATS_TEST_TMPDIR/repo
	git init -q "$repo"
	local i
	for ((i = 0; i < 200; i++)); do echo "line $i alpha$((i % 7))" >"$repo/f$i.txt"; done
	git -C "$repo" add .
	git -C "$repo" -c user.email=t@example.org -c user.name=t commit -qm init
	same_as_plain git -C "$repo" grep --threads=2 -c alpha3
	[ "${#lines[@]}" -eq 29 ]
	no_errors
	[ "$(kinds)" = "" ]
	git -C "$repo" rev-list --objects --all | git -C "$repo" pack-objects -q "$BATS_TEST_TMPDIR/pk" >/dev/null
	local pack=("$BATS_TEST_TMPDIR"/pk-*.pack)
	same_as_plain git index-pack --threads=2 -o "$BATS_TEST_TMPDIR/pk.idx" "${pack[0]}"
	no_errors
	[ "$(kinds)" = "" ]
}

@test "sqlite3 with worker threads for sorting (PRAGMA threads=2)" {
	need sqlite3
	same_as_plain sqlite3 :memory: "PRAGMA threads=2;
		CREATE TABLE t(x);
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000)
		INSERT INTO t SELECT (i * 7919) % 200003 FROM c;
		SELECT sum(x) FROM (SELECT x FROM t ORDER BY x LIMIT 1000 OFFSET 5000);"
	no_errors
	[ "$(kinds)" = "" ]
}

@test "gio (GLib): gio info" {
	need gio
	same_as_plain gio info "$DATA"
	no_errors
	# GLib's GPrivate keys are never deleted, its worker thread never
	# joined (tests/real/README)
	run jq -r '[.findings[] | "\(.kind) \(.severity)"] | unique | join("|")' "$REPORT"
	[ -z "$output" ] || [[ "$output" =~ ^(key-leak\ warning)?\|?(thread-running\ info)?$ ]]
}

@test "perl with ithreads: no error" {
	need perl
	perl -Mthreads -e 1 2>/dev/null || skip "this perl has no ithreads"
	same_as_plain perl -Mthreads -e 'my @t = map { threads->create(sub { my $s = 0; $s += $_ for 1 .. 100000; $s }) } 1 .. 4;
		print join(",", map { $_->join } @t), "\n"'
	[ "$output" = "5000050000,5000050000,5000050000,5000050000" ]
	[ "$status" -eq 0 ]
	# each thread ends holding its interpreter in perl's key, which has no
	# destructor, and perl frees it at the join: not lost (tests/real/README)
	[ "$(kinds)" = "" ]
	[ "$(cat "$LOGDIR"/*.log | grep -cE '^R [0-9a-f]+ freed( |$)')" -ge 4 ]
}

@test "no error from what libc, libgcc and the loader do on their own" {
	# every error finding of every real program above has at least one frame
	# outside the system libraries; checked here on a C++ program using
	# thread_local, exceptions in threads and dlopen, which is clean
	command -v c++ >/dev/null || skip "no C++ compiler"
	local src=$BATS_TEST_TMPDIR/sys.cc exe=$BATS_TEST_TMPDIR/sys
	cat >"$src" <<'CC'
#include <dlfcn.h>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
thread_local std::string tl("thread-local value long enough to allocate");
int main()
{
	std::vector<std::thread> ts;
	int caught[4] = {};
	for (int i = 0; i < 4; i++)
		ts.emplace_back([i, &caught] {
			tl += std::to_string(i);
			try { throw std::runtime_error(tl); } catch (const std::exception &) { caught[i] = 1; }
			void *h = dlopen("libm.so.6", RTLD_NOW);
			if (h) dlclose(h);
		});
	for (auto &t : ts) t.join();
	std::printf("%d%d%d%d\n", caught[0], caught[1], caught[2], caught[3]);
}
CC
	c++ -O1 -g "${PROG_CFLAGS[@]}" -o "$exe" "$src" -pthread -ldl
	same_as_plain "$exe"
	[ "$output" = 1111 ]
	[ "$(kinds)" = "" ]
}
