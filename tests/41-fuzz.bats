#!/usr/bin/env bats
# A short bounded fuzz of what the CLI reads (logs, suppression files,
# report's options, baseline reports);
# `make fuzz FUZZ_SECONDS=N` runs it longer.  Any crash fails the test and
# leaves its input in build/fuzz/ to become a regression case.
load test_helper

@test "make fuzz: logs, suppression files, report options and baselines, 5 s each, no crash" {
	only_first_pass
	command -v clang >/dev/null || skip "clang is needed for libFuzzer"
	run make -C "$TOP" -s fuzz FUZZ_SECONDS=5
	[ "$status" -eq 0 ]
	[ "$(grep -c "Done [0-9]* runs in " <<<"$output")" -eq 4 ]
	[ -z "$(find "$TOP/build/fuzz" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*')" ]
}
