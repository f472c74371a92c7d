#!/usr/bin/env bats
# tsswatch report --format html in a real browser: headless Chromium loads
# the page, runs its script, and the tests read the rendered DOM (through
# tests/dom_summary.py) and a screenshot (through tests/png_colors.py).
# Skipped, saying so, only where Chromium is not installed
# (tests/ensure-deps installs Debian's chromium as root).

load test_helper
bats_require_minimum_version 1.5.0

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)

setup() {
	[ -n "$CHROMIUM" ] || skip "chromium is not installed: run tests/ensure-deps as root"
	command -v python3 >/dev/null || skip "python3 is not installed: run tests/ensure-deps as root"
}

# Headless Chromium on ARGS, with a new empty profile and nothing that
# would reach the network; its own log to $BATS_TEST_TMPDIR/chromium.err.
browse() {
	local profile
	profile=$(mktemp -d "$BATS_TEST_TMPDIR/profile.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" 2>>"$BATS_TEST_TMPDIR/chromium.err"
}

# The report of tests/progs/timeline (ARGS passed on) as $PAGE, its JSON
# as $REPORT.
timeline_page() {
	check_prog timeline "$@"
	PAGE=$BATS_TEST_TMPDIR/report.html
	run "$TSSWATCH" report --format html -o "$PAGE" "$LOGDIR"
	[ "$status" -eq 25 ]
}

# The rendered DOM of URL, summarised as JSON in $DOM.
render() {
	DOM=$(browse --dump-dom "$1" | python3 "$TOP/tests/dom_summary.py")
	[ -n "$DOM" ]
}

@test "chromium: the findings, one timeline per process, a mark for each finding, the filters" {
	timeline_page
	render "file://$PAGE"
	# every finding in the list, none hidden
	[ "$(jq -c '.findings' <<<"$DOM")" = "$(jq -c '[range(1; (.findings | length) + 1) | "f\(.)"]' "$REPORT")" ]
	[ "$(jq '.hidden_findings | length' <<<"$DOM")" = 0 ]
	# a timeline per process, in the report's order
	[ "$(jq -c '.timelines' <<<"$DOM")" = "$(jq -c '[.processes[].pid | tostring]' "$REPORT")" ]
	# a mark for every finding, and none for another
	[ "$(jq -c '.marks | keys | map(tonumber) | sort' <<<"$DOM")" = \
	  "$(jq -c '[range(1; (.findings | length) + 1)]' "$REPORT")" ]
	# the tsd-leak, one bug in both processes: a mark on each worker
	[ "$(jq '.findings[0] | .kind, .count, (.pids | length)' "$REPORT" | tr '\n' ' ')" = '"tsd-leak" 4 2 ' ]
	[ "$(jq '.marks["1"]' <<<"$DOM")" = 4 ]
	# the script ran: the filters are shown, a box for each kind and severity present
	[ "$(jq '.filters_hidden' <<<"$DOM")" = false ]
	[ "$(jq -c '.checkboxes | sort' <<<"$DOM")" = \
	  "$(jq -c '[.findings[] | .kind, .severity] | unique' "$REPORT")" ]
	[ "$(jq -r .title <<<"$DOM")" = "tsswatch: $(jq .summary.findings "$REPORT") findings" ]
}

@test "chromium: a link to a finding shows it beside the timeline, with its stack and source line" {
	timeline_page
	render "file://$PAGE#f1"
	[ "$(jq '.popup_hidden' <<<"$DOM")" = false ]
	local text
	text=$(jq -r .popup_text <<<"$DOM")
	[[ "$text" == *"$(jq -r '.findings[0].message' "$REPORT")"* ]]
	[[ "$text" == *"timeline.c:$(line_of LEAK-SET timeline)"* ]]
	# with no finding named, no popup
	render "file://$PAGE"
	[ "$(jq '.popup_hidden' <<<"$DOM")" = true ]
}

@test "chromium: a thread name or an argument cannot inject markup or script" {
	timeline_page '<b id=pwn>x</b>' '</code><script id=pwn2>document.title="pwned"</script>'
	render "file://$PAGE#f1"
	jq -e '.ids | index("pwn") == null and index("pwn2") == null' <<<"$DOM"
	[ "$(jq .scripts <<<"$DOM")" = 1 ]
	[ "$(jq -r .title <<<"$DOM")" = "tsswatch: $(jq .summary.findings "$REPORT") findings" ]
	# the popup shows the name as text
	[[ "$(jq -r .popup_text <<<"$DOM")" == *'#2 "<b id=pwn>x</b>"'* ]]
}

@test "chromium: the screenshot shows the page; without JavaScript the findings are all there" {
	timeline_page
	local png=$BATS_TEST_TMPDIR/page.png
	browse --screenshot="$png" --window-size=1000,800 "file://$PAGE"
	run python3 "$TOP/tests/png_colors.py" "$png"
	read -r width height colours inked <<<"$output"
	[ "$width" = 1000 ] && [ "$height" = 800 ]
	# text, bars and marks: many colours and a good part of the page inked
	[ "$colours" -gt 50 ] || { echo "$output"; return 1; }
	[ "$inked" -gt 50 ] || { echo "$output"; return 1; }
	# without script (headless Chromium cannot render with it off: the
	# page as written), the findings and timelines are in the markup
	DOM=$(python3 "$TOP/tests/dom_summary.py" <"$PAGE")
	[ "$(jq '.timelines | length' <<<"$DOM")" = "$(jq '.processes | length' "$REPORT")" ]
	[ "$(jq '.findings | length' <<<"$DOM")" = "$(jq '.findings | length' "$REPORT")" ]
	[ "$(jq '.filters_hidden' <<<"$DOM")" = true ]
}

@test "chromium: a 10,000-thread run's page opens, every finding marked" {
	check_prog storm 4 2500
	PAGE=$BATS_TEST_TMPDIR/report.html
	run "$TSSWATCH" report --format html -o "$PAGE" "$LOGDIR"
	[ "$status" -eq 25 ]
	render "file://$PAGE"
	[ "$(jq '.timelines | length' <<<"$DOM")" = 1 ]
	[ "$(jq '.findings | length' <<<"$DOM")" = "$(jq '.findings | length' "$REPORT")" ]
	[ "$(jq -c '.marks | keys | map(tonumber) | sort' <<<"$DOM")" = \
	  "$(jq -c '[range(1; (.findings | length) + 1)]' "$REPORT")" ]
}
