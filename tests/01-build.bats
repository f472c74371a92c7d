#!/usr/bin/env bats
# Install layout, pkg-config, man pages, exported symbols, warning-free builds.
bats_require_minimum_version 1.5.0
load test_helper

@test "make install DESTDIR: the installed tsswatch finds its library and works" {
	local dest=$BATS_TEST_TMPDIR/root
	run make -C "$TOP" -s install DESTDIR="$dest" PREFIX=/usr/local
	[ "$status" -eq 0 ]
	for f in bin/tsswatch lib/libtsswatch.so include/tsswatch.h lib/pkgconfig/tsswatch.pc \
		 share/man/man1/tsswatch.1 share/man/man3/libtsswatch.3 share/man/man3/tsswatch_set.3 \
		 share/man/man5/tsswatch-log.5; do
		[ -f "$dest/usr/local/$f" ] || { echo "missing $f"; return 1; }
	done
	local json=$BATS_TEST_TMPDIR/r.json
	run "$dest/usr/local/bin/tsswatch" run --format json --output "$json" -- "$(prog tsd_leak)"
	[ "$status" -eq 25 ]
	[ "$(jq -r '.summary.by_kind["tsd-leak"]' "$json")" = 2 ]
	run make -C "$TOP" -s uninstall DESTDIR="$dest" PREFIX=/usr/local
	[ "$status" -eq 0 ]
	[ -z "$(find "$dest" -type f)" ]
}

@test "pkg-config: a program built from the installed tree links -ltsswatch" {
	local dest=$BATS_TEST_TMPDIR/root
	make -C "$TOP" -s install DESTDIR="$dest" PREFIX=/usr
	export PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$dest/usr/lib/pkgconfig
	run pkg-config --cflags --libs tsswatch
	[ "$(echo $output)" = "-I$dest/usr/include -L$dest/usr/lib -ltsswatch" ]
	cc "${PROG_CFLAGS[@]}" -o "$BATS_TEST_TMPDIR/c" "$TOP/tests/progs/dict_contract.c" -I"$TOP/tests/progs" \
		$(pkg-config --cflags --libs tsswatch) -lpthread
	LD_LIBRARY_PATH=$dest/usr/lib TSSWATCH_OPTIONS="log_dir=$BATS_TEST_TMPDIR/l:quiet=1" \
		run "$BATS_TEST_TMPDIR/c"
	[ "$status" -eq 0 ]
	[ "$(grep -c ': ok$' <<<"$output")" -eq 15 ]
}

@test "man pages render without warnings" {
	for page in "$TOP"/man/*.[135]; do
		if head -n 1 "$page" | grep -q '^\.so '; then      # a link page
			[ -f "$TOP/man/$(sed 's|^\.so man./||' "$page")" ]
			continue
		fi
		run groff -man -t -ww -z "$page"
		[ "$status" -eq 0 ]
		[ "$output" = "" ] || { echo "$page: $output"; return 1; }
	done
}

@test "the library exports only hooks and the public API" {
	run sh -c "nm -D --defined-only '$LIB' | awk '{print \$3}' | grep -v '^_' | sort | tr '\n' ' '"
	[ "$output" = "dlclose dlopen execl execle execlp execv execve execvp execvpe fexecve free prctl pthread_clockjoin_np pthread_create pthread_detach pthread_exit pthread_getspecific pthread_join pthread_key_create pthread_key_delete pthread_setname_np pthread_setspecific pthread_timedjoin_np pthread_tryjoin_np realloc thrd_create thrd_detach thrd_exit thrd_join tss_create tss_delete tss_get tss_set tsswatch_clear tsswatch_count tsswatch_get tsswatch_remove tsswatch_set tsswatch_thread_serial " ]
}

@test "the preload depends on libc alone" {
	run sh -c "readelf -d '$LIB' | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | sort | tr '\n' ' '"
	[ "$output" = "libc.so.6 " ]
}

@test "gcc and clang build it warning-free (-Werror) at -O0, -O1, -O2, -O3 and -Os" {
	only_first_pass
	local cc o b
	for cc in gcc clang; do
		for o in -O0 -O1 -O2 -O3 -Os; do
			b=$BATS_TEST_TMPDIR/$cc$o
			run make -C "$TOP" -s -k -j2 CC=$cc B="$b" LIB="$b/libtsswatch.so" CLI="$b/tsswatch" \
				CFLAGS="$o" "$b/libtsswatch.so" "$b/tsswatch"
			[ "$status" -eq 0 ] || { echo "$cc $o: $output"; return 1; }
			[ -x "$b/libtsswatch.so" ] && [ -x "$b/tsswatch" ]
		done
	done
}
