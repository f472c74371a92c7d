# The per-operation table, from paired timings.
# Input: "tool NAME" and "work NAME DESCRIPTION" lines, which give the order
# of columns and rows, then "workload tool round value" lines.  A tool's
# ratio is taken within each round, to no tool's time for that workload in
# that round; the table gives the median over the rounds and the min–max.
# The dict16 row has no no-tool run (the dictionary is tsswatch's): its
# base is tsd16's.  The last column divides tsswatch's fastest run by the
# null interposer's: on a machine whose noise only ever slows a run down,
# the fastest runs are the least disturbed ones.

# The fastest run of KEY (workload SUBSEP tool) over the rounds; 0 if none.
function fastest(key,   i, m) {
	m = 0
	for (i = 1; i <= nrounds; i++)
		if ((key SUBSEP i) in v && (m == 0 || v[key SUBSEP i] < m))
			m = v[key SUBSEP i]
	return m
}
# The ratios TOP/BOTTOM of the rounds both ran into R; their count.
function ratios(top, bottom, r,   i, n) {
	n = 0
	for (i = 1; i <= nrounds; i++)
		if ((top SUBSEP i) in v && (bottom SUBSEP i) in v && v[bottom SUBSEP i] > 0)
			r[++n] = v[top SUBSEP i] / v[bottom SUBSEP i]
	return n
}
$1 == "tool" { tools[++ntools] = $2; next }
$1 == "work" { works[++nworks] = $2; d = $0; sub(/^work [^ ]+ /, "", d); desc[$2] = d; next }
{
	v[$1 SUBSEP $2 SUBSEP $3] = $4
	if ($3 > nrounds) nrounds = $3
}
END {
	printf "| workload | one op |"
	for (t = 1; t <= ntools; t++)
		printf " %s |", tools[t] == "none" ? "no tool (ns/op)" : tools[t]
	printf " tsswatch / null | fastest runs: tsswatch / null |\n|---|---|"
	for (t = 1; t <= ntools + 2; t++) printf "---|"
	printf "\n"
	for (w = 1; w <= nworks; w++) {
		wk = works[w]
		base = wk == "dict16" ? "tsd16" : wk
		printf "| %s | %s |", wk, desc[wk]
		for (t = 1; t <= ntools; t++) {
			delete a
			if (tools[t] == "none") {
				n = 0
				for (i = 1; i <= nrounds; i++)
					if ((wk SUBSEP "none" SUBSEP i) in v) a[++n] = v[wk SUBSEP "none" SUBSEP i]
				printf " %s |", n ? summary(a, n, "%.1f", "") : "–"
				continue
			}
			n = ratios(wk SUBSEP tools[t], base SUBSEP "none", a)
			printf " %s |", n ? summary(a, n, "%.2f", "x") : "–"
		}
		delete a
		n = ratios(wk SUBSEP "tsswatch", wk SUBSEP "null", a)
		printf " %s |", n ? summary(a, n, "%.2f", "x") : "–"
		f = fastest(wk SUBSEP "null")
		g = fastest(wk SUBSEP "tsswatch")
		printf " %s |\n", (f > 0 && g > 0 ? sprintf("%.2fx", g / f) : "–")
	}
}
