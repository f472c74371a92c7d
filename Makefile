# tsswatch: `make` builds preload/libtsswatch.so and cli/tsswatch.
# The version is said here alone; debian/changelog's must agree (01-build.bats).
VERSION    := 0.1.0
# The library's ABI version: programs that link -ltsswatch need
# libtsswatch.so.$(SOVERSION), the name make install and the Debian package give it.
SOVERSION  := 0
SONAME     := libtsswatch.so.$(SOVERSION)
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CC     ?= cc
CFLAGS ?= -O2 -g
WARN   := -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE
DEPS   := -MMD -MP
B      := build

PRELOAD_SRC := $(wildcard preload/*.c)
PRELOAD_OBJ := $(PRELOAD_SRC:%.c=$(B)/%.o)
CLI_SRC     := $(wildcard cli/*.c)
CLI_OBJ     := $(CLI_SRC:%.c=$(B)/%.o)

LIB := preload/libtsswatch.so
CLI := cli/tsswatch
# What the CLI is compiled with: where an installed tsswatch finds its library.
CLI_DEFS := -DTSW_VERSION='"$(VERSION)"' -DTSW_LIBDIR='"$(LIBDIR)"' -DTSW_SONAME='"$(SONAME)"'

.PHONY: all test realworld demo bench bench-real install uninstall clean deps asan tsan fuzz deb
all: $(LIB) $(CLI)

# The preload: PIC, hidden by default (only interposed and public symbols
# are exported), initial-exec TLS so the hot paths reach thread state with
# one instruction.  Linked against libc alone: libgcc's unwinder is linked
# in, its symbols kept local, so capturing a stack never loads libgcc_s
# (whose load calls malloc: preload/unwind.c says why that hangs hosts).
PRELOAD_LDFLAGS := -shared -static-libgcc -Wl,--exclude-libs,ALL \
	-Wl,-soname,$(SONAME) -Wl,-z,nodelete
# On x86, no jump may cross or end at a 32-byte boundary: Intel's fix for
# its JCC erratum keeps such jumps out of the decoded-instruction cache,
# and the set hook's tail jump across one cost toggle 10% and a re-set
# loop 6% of the null interposer's time (bench/README.md).  The assembler
# pads instead, where the compiler knows how to ask it.
ALIGN_GCC := -Wa,-mbranches-within-32B-boundaries,-malign-branch=jcc+fused+jmp+indirect+ret+call
ALIGN_CLANG := -mbranches-within-32B-boundaries -malign-branch=fused,jcc,jmp,call,ret,indirect
BRANCH_ALIGN := $(firstword $(foreach f,ALIGN_GCC ALIGN_CLANG,$(if $(shell echo 'int f;' | \
	$(CC) $($(f)) -x c -c -o /dev/null - 2>/dev/null && echo y),$(f))))
$(B)/preload/%.o: preload/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEPS) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -ftls-model=initial-exec \
		$(if $(BRANCH_ALIGN),$($(BRANCH_ALIGN))) -Ilogformat -Ipreload -c -o $@ $<

# Beside it, its soname as a link to it: a program linked -ltsswatch with an
# rpath to the build tree finds what it needs there.
$(LIB): $(PRELOAD_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) $(PRELOAD_LDFLAGS) -o $@ $^ -ldl -lpthread
	ln -sf $(@F) $(@D)/$(SONAME)

$(B)/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEPS) $(CPPFLAGS) $(CFLAGS) -Ilogformat -Icli $(CLI_DEFS) -c -o $@ $<

# The CLI's symbolizer reads DWARF with elfutils' libdw (cli/symfile.c) and
# demangles with libstdc++'s __cxa_demangle; libdebuginfod is dlopened,
# only when DEBUGINFOD_URLS is set (cli/debuginfo.c).  The preload links
# none of these.
CLI_LIBS := $(shell pkg-config --libs libdw 2>/dev/null || echo -ldw -lelf) -lstdc++ -ldl

$(CLI): $(CLI_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CLI_LIBS)

# The CLI once more with AddressSanitizer and UBSan, for the tests to use.
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan: $(B)/asan/tsswatch
$(B)/asan/tsswatch: $(CLI_SRC) $(wildcard cli/*.h logformat/*.h)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(ASAN_FLAGS) -Ilogformat -Icli $(CLI_DEFS) -o $@ $(CLI_SRC) $(CLI_LIBS)

# The preload once more, built with ThreadSanitizer, for tests/32-stress.bats
# to run a TSan-built stress program under.  gcc: its runtime is a shared
# library the preload and the program share (clang links it into programs).
# guard.c and real.c run while TSan's runtime is still starting (it creates
# a key): never instrumented; nor, by attribute, the key hooks it calls.
# What this run covers: tests/README.md.
TSAN_CC    := gcc
TSAN_FLAGS := -O1 -g -fsanitize=thread
TSAN_PLAIN := preload/guard.c preload/real.c
TSAN_LIB   := $(B)/tsan/libtsswatch.so
tsan: $(TSAN_LIB)
$(B)/tsan/preload/%.o: preload/%.c
	@mkdir -p $(@D)
	$(TSAN_CC) $(WARN) $(DEPS) $(TSAN_FLAGS) $(if $(filter $<,$(TSAN_PLAIN)),-fno-sanitize=thread) \
		-fPIC -fvisibility=hidden -ftls-model=initial-exec -Ilogformat -Ipreload -c -o $@ $<
$(TSAN_LIB): $(PRELOAD_SRC:%.c=$(B)/tsan/%.o)
	$(TSAN_CC) $(TSAN_FLAGS) $(LDFLAGS) $(PRELOAD_LDFLAGS) -o $@ $^ -ldl -lpthread

# libFuzzer (clang) on what the CLI reads: logs, suppression files,
# report's options and baseline reports.  `make fuzz` builds the targets and
# runs each for FUZZ_SECONDS from a corpus seeded with tests/logs, a few real
# command lines and a JSON report; a crash leaves its input in build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(filter-out cli/tsswatch.c,$(CLI_SRC))
FUZZ_TARGETS := $(B)/fuzz/fuzz_log $(B)/fuzz/fuzz_suppressions $(B)/fuzz/fuzz_options \
	$(B)/fuzz/fuzz_baseline
fuzz: $(FUZZ_TARGETS) $(CLI)
	@mkdir -p $(B)/fuzz/corpus-log $(B)/fuzz/corpus-suppressions $(B)/fuzz/corpus-options \
		$(B)/fuzz/corpus-baseline
	@cp tests/logs/*.log tests/logs/multi/*.log $(B)/fuzz/corpus-log/
	@printf 'tsd-leak:worker\n# a comment\n*:*.c\nkey-leak:libplugin.so\n' \
		>$(B)/fuzz/corpus-suppressions/seed
	$(B)/fuzz/fuzz_log -max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 \
		-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus-log
	TSW_FUZZ_LOG=tests/logs/all-kinds.log $(B)/fuzz/fuzz_suppressions \
		-max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 \
		-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus-suppressions
	@printf -- '--format\0sarif\0--fail-on=warning,tsd-leak\0-q' >$(B)/fuzz/corpus-options/seed1
	@printf -- '--gen-suppressions\0--error-exitcode=3\0--format=json' >$(B)/fuzz/corpus-options/seed2
	TSW_FUZZ_LOG=tests/logs/all-kinds.log $(B)/fuzz/fuzz_options \
		-max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 \
		-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus-options
	@$(CLI) report --format json tests/logs/all-kinds.log >$(B)/fuzz/corpus-baseline/seed || true
	TSW_FUZZ_LOG=tests/logs/all-kinds.log $(B)/fuzz/fuzz_baseline \
		-max_total_time=$(FUZZ_SECONDS) -close_fd_mask=3 \
		-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus-baseline
$(B)/fuzz/%: cli/fuzz/%.c $(FUZZ_SRC) $(wildcard cli/*.h cli/fuzz/*.h logformat/*.h)
	@mkdir -p $(@D)
	clang $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -Ilogformat -Icli $(CLI_DEFS) \
		-o $@ $< $(FUZZ_SRC) $(CLI_LIBS)

deps:
	@tests/ensure-deps

test: deps all asan tsan
	@tests/run

# Every real program of tests/31-real-programs.bats and 34-realworld.bats,
# the slow ones too (rustc, cargo, node, a JVM, PostgreSQL), once, with
# their packages; make test runs the fast ones only.
realworld: all
	@tests/ensure-deps --realworld
	@TSSWATCH_REALWORLD=1 tests/run 31-real-programs.bats 34-realworld.bats

demo: deps all
	@examples/demo

# The benchmark (bench/README.md): bench/results.md, or BENCH_OUT; BENCH_SMALL=1
# runs a tiny size that only shows it works.
bench: all
	@CC='$(CC)' bench/run $(if $(BENCH_SMALL),--small) $(if $(BENCH_OUT),--out '$(BENCH_OUT)')

# Real programs (redis, lbzip2, pigz, a compile) under tsswatch and its
# peers: bench/results-real.md, or BENCH_OUT; about 30 minutes on 2 cores.
bench-real: all
	@CC='$(CC)' bench/real $(if $(BENCH_SMALL),--small) $(if $(BENCH_OUT),--out '$(BENCH_OUT)')

# The Debian packages (debian/), built from a copy of the tree so that
# dpkg-buildpackage's outputs land in build/deb/ and not beside the checkout.
# Needs dpkg-dev and the Build-Depends of debian/control (apt-get build-dep ./).
# The package's own make must not inherit this one's variables (B, CFLAGS).
DEB_SRC := $(B)/deb/tsswatch-$(VERSION)
deb:
	rm -rf $(B)/deb && mkdir -p $(DEB_SRC)
	tar -cf - --exclude=./build --exclude=./.git --exclude=./tests/bin --exclude=./tests/bin-asan . \
		| tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b
	@ls $(B)/deb/*.deb

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(MANDIR)/man5
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/tsswatch
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libtsswatch.so
	install -m 644 preload/tsswatch.h $(DESTDIR)$(INCLUDEDIR)/tsswatch.h
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
		tsswatch.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/tsswatch.pc
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tsswatch $(DESTDIR)$(LIBDIR)/libtsswatch.so $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(INCLUDEDIR)/tsswatch.h $(DESTDIR)$(PKGCONFIGDIR)/tsswatch.pc
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(wildcard man/*.3)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))

clean:
	rm -rf $(B) $(LIB) $(dir $(LIB))$(SONAME) $(CLI) tests/bin tests/bin-asan

-include $(PRELOAD_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(PRELOAD_SRC:%.c=$(B)/tsan/%.d)
