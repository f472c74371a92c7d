#!/usr/bin/env bats
# The Debian packages (debian/, make deb) and the version they carry.
# Whether the installed packages work on a fresh Debian 12 is checked by
# debian/tests/installed, run there by hand (README.md, "Debian package").
bats_require_minimum_version 1.5.0
load test_helper

@test "the version is said once: debian/changelog and the man pages carry the Makefile's" {
	local v=$VERSION
	[ -n "$v" ]
	[ "$(sed -n '1s/^tsswatch (\([^)]*\)).*/\1/p' "$TOP/debian/changelog")" = "$v" ]
	for page in "$TOP"/man/*.[135]; do
		head -n 1 "$page" | grep -q '^\.so ' && continue
		head -n 1 "$page" | grep -qF "\"tsswatch $v\"" || { echo "$page: not $v"; return 1; }
	done
	run "$TSSWATCH" --version
	[ "$output" = "tsswatch $v" ]
}

@test "make deb: three packages, lintian finds no error, the command preloads from the multiarch directory" {
	only_first_pass
	local b=$BATS_TEST_TMPDIR/b multiarch
	multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	run make -C "$TOP" -s deb B="$b"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run lintian --fail-on error "$b"/deb/tsswatch_*.changes
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	# What each package holds, links and directories left out.
	contents() { dpkg-deb -c "$b"/deb/"$1"_*.deb | awk '$1 !~ /^d/ { print $6 }' | sort | tr '\n' ' '; }
	[ "$(contents tsswatch)" = "./usr/bin/tsswatch ./usr/share/doc/tsswatch/changelog.gz ./usr/share/doc/tsswatch/copyright ./usr/share/man/man1/tsswatch.1.gz ./usr/share/man/man5/tsswatch-log.5.gz " ]
	[ "$(contents libtsswatch0)" = "./usr/lib/$multiarch/libtsswatch.so.0 ./usr/share/doc/libtsswatch0/changelog.gz ./usr/share/doc/libtsswatch0/copyright " ]
	run contents libtsswatch-dev
	[[ "$output" == *"./usr/include/tsswatch.h ./usr/lib/$multiarch/libtsswatch.so ./usr/lib/$multiarch/pkgconfig/tsswatch.pc "* ]]
	[[ "$output" == *"./usr/share/man/man3/libtsswatch.3.gz "* ]]
	[[ "$output" == *"./usr/share/man/man3/tsswatch_set.3.gz "* ]]
	# The command looks for the library where libtsswatch0 puts it.
	dpkg-deb -x "$b"/deb/tsswatch_*.deb "$b/root"
	strings "$b/root/usr/bin/tsswatch" | grep -qxF "/usr/lib/$multiarch/libtsswatch.so.0"
	run dpkg-deb -f "$b"/deb/tsswatch_*.deb Depends
	[[ "$output" == "libtsswatch0 (= "* ]]
	dpkg-deb -x "$b"/deb/libtsswatch0_*.deb "$b/root"
	[ "$(readelf -d "$b/root/usr/lib/$multiarch/libtsswatch.so.0" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')" = libtsswatch.so.0 ]
}
