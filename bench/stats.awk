# Medians and ranges of the raw timings, as the markdown table.
# Input (sorted by workload, tool, value): "workload tool value" lines, and
# "tool NAME" / "work NAME DESCRIPTION" lines giving the order of columns
# and rows.  Ratios are to the no-tool median; the dict16 row has no
# no-tool run (the dictionary is tsswatch's) and uses tsd16's instead.
function median(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function flush(   k) {
	if (!cur) return
	med[cur] = median(vals, nv); lo[cur] = vals[1]; hi[cur] = vals[nv]; nv = 0
}
$1 == "tool" { tools[++ntools] = $2; next }
$1 == "work" { works[++nworks] = $2; d = $0; sub(/^work [^ ]+ /, "", d); desc[$2] = d; next }
{
	k = $1 SUBSEP $2
	if (k != cur) { flush(); cur = k }
	vals[++nv] = $3
}
END {
	flush()
	printf "| workload | one op |"
	for (t = 1; t <= ntools; t++)
		printf " %s |", tools[t] == "none" ? "no tool (ns/op)" : tools[t]
	printf " tsswatch / null |\n|---|---|"
	for (t = 1; t <= ntools + 1; t++) printf "---|"
	printf "\n"
	for (w = 1; w <= nworks; w++) {
		wk = works[w]
		base = (wk SUBSEP "none") in med ? med[wk SUBSEP "none"] : med["tsd16" SUBSEP "none"]
		printf "| %s | %s |", wk, desc[wk]
		for (t = 1; t <= ntools; t++) {
			k = wk SUBSEP tools[t]
			if (!(k in med)) printf " – |"
			else if (tools[t] == "none") printf " %.1f (%.1f–%.1f) |", med[k], lo[k], hi[k]
			else printf " %.2fx (%.2f–%.2f) |", med[k] / base, lo[k] / base, hi[k] / base
		}
		n = wk SUBSEP "null"; s = wk SUBSEP "tsswatch"
		if ((n in med) && (s in med)) printf " %.2fx |\n", med[s] / med[n]
		else printf " – |\n"
	}
}
