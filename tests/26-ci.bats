#!/usr/bin/env bats
# The CI recipes of ci/: their shell steps (ci/tsswatch-ci) run here on a
# sample project (tests/ci-sample) as GitHub Actions and GitLab CI would
# run them; the rest of each recipe is checked as YAML.
bats_require_minimum_version 1.5.0
load test_helper

CI=$TOP/ci/tsswatch-ci

setup() {
	SAMPLE=$BATS_TEST_TMPDIR/project
	cp -r "$TOP/tests/ci-sample" "$SAMPLE"
	make -s -C "$SAMPLE" all
	cd "$SAMPLE"
	export TSSWATCH TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
}

# "ruleId=baselineState" of the SARIF the last check wrote, sorted.
sarif_states() {
	jq -r '[.runs[0].results[] | "\(.ruleId)=\(.baselineState)"] | sort | join(" ")' \
		tsswatch-out/tsswatch.sarif
}

@test "tsswatch-ci: the adoption story on a sample project: baseline, unchanged, new, fixed" {
	# the first run makes the baseline, which the project commits
	run "$CI" baseline -- make -s test
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.findings[].kind] | join(" ")' tsswatch-baseline.json)" = tsd-leak ]

	# later runs pass while the findings are the old ones
	run --separate-stderr "$CI" check -- make -s test
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "$(sarif_states)" = "tsd-leak=unchanged" ]
	[ "$(jq -r '.findings[].baseline' tsswatch-out/tsswatch.json)" = unchanged ]
	[[ "$stderr" == *"0 new, 1 unchanged from the baseline, 0 of its 1 gone"* ]]
	cmp -s <(tail -n 1 tsswatch-out/tsswatch.txt) <(tail -n 1 <<<"$stderr")

	# and fail on a new one, which the reports mark
	run --separate-stderr "$CI" check -- make -s test PROGS="old_leak new_leak"
	[ "$status" -eq 25 ]
	[ "$(sarif_states)" = "tsd-leak=new tsd-leak=unchanged" ]
	jq -e '[.runs[0].results[] | select(.baselineState == "new")
		| .locations[0].physicalLocation.artifactLocation.uri] == ["new_leak.c"]' \
		tsswatch-out/tsswatch.sarif
	[[ "$(head -n 1 tsswatch-out/tsswatch.txt)" == "tsd-leak: error, 1 occurrence, new" ]]

	# the old bug fixed: absent, for code scanning to close
	run --separate-stderr "$CI" check -- make -s test PROGS=clean
	[ "$status" -eq 0 ]
	[ "$(sarif_states)" = "tsd-leak=absent" ]

	# the baseline refreshed on purpose: the check's JSON report is the next one
	cp tsswatch-out/tsswatch.json tsswatch-baseline.json
	run "$CI" check -- make -s test PROGS=clean
	[ "$status" -eq 0 ]
	[ "$(sarif_states)" = "" ]
}

@test "tsswatch-ci: the tests' own failure comes through; no baseline means every finding is new" {
	run --separate-stderr "$CI" check -- make -s test PROGS=clean
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"no tsswatch-baseline.json: every finding is new"* ]]
	run --separate-stderr "$CI" check -- make -s test
	[ "$status" -eq 25 ]
	run --separate-stderr "$CI" check -- sh -c 'exit 3'
	[ "$status" -eq 3 ]
	echo 'not json' >tsswatch-baseline.json
	run --separate-stderr "$CI" check -- make -s test
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"tsswatch: tsswatch-baseline.json: not a tsswatch JSON report"* ]]
	run "$CI" check
	[ "$status" -eq 2 ]
	[[ "$output" == *"tsswatch-ci check -- CMD"* ]]
}

@test "tsswatch-ci build: builds tsswatch from the tree it is in" {
	only_first_pass
	run env -u TSSWATCH "$CI" build
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "tsswatch $VERSION" ]
}

@test "the GitHub workflow: builds, runs the tests through tsswatch-ci, uploads SARIF in one category" {
	run python3 - "$TOP/ci/github/tsswatch.yml" <<'PY'
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
assert w["permissions"]["security-events"] == "write"
steps = w["jobs"]["tsswatch"]["steps"]
runs = [s.get("run", "") for s in steps]
assert any(".tsswatch/ci/tsswatch-ci build" in r for r in runs), runs
assert any(r.startswith(".tsswatch/ci/tsswatch-ci check -- ") for r in runs), runs
up = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
assert len(up) == 1, up
assert up[0]["with"] == {"sarif_file": "tsswatch-out/tsswatch.sarif", "category": "tsswatch"}
assert up[0]["if"].startswith("always()")
print("ok")
PY
	[ "$output" = ok ]
}

@test "the GitLab job: builds, runs the tests through tsswatch-ci, keeps the reports" {
	run python3 - "$TOP/ci/gitlab/tsswatch.yml" <<'PY'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))["tsswatch"]
assert ".tsswatch/ci/tsswatch-ci build" in job["before_script"]
assert [s for s in job["script"] if s.startswith(".tsswatch/ci/tsswatch-ci check -- ")]
assert job["artifacts"]["when"] == "always"
assert {"tsswatch-out/tsswatch.sarif", "tsswatch-out/tsswatch.json"} <= set(job["artifacts"]["paths"])
print("ok")
PY
	[ "$output" = ok ]
}
