# The tables of bench/real.  Input: "PROG SIZE TOOL ROUND SECONDS PEAK_KB
# LOG_BYTES" lines.  A tool's time is divided by no tool's at the same
# size in the same round (paired); valgrind's tools ran the small size.
# Variables: redis_n, redis_small (requests of each test), mb, smb (MiB of
# input at each size), tools (the columns, "none" first).
function summary_or_none(a, n, fmt, unit) { return n ? summary(a, n, fmt, unit) : "–" }
function size_of(t) { return t == "memcheck" || t == "helgrind" ? "small" : "full" }
# Fills A with FIELD (5: seconds, 6: peak KB) of P at SIZE under T over
# the rounds, less no tool's in the same round if PAIRED is "-", divided
# by it if "/"; returns the count.
function collect(a, p, size, t, field, paired,   r, n, k, b) {
	n = 0
	for (r = 1; r <= rounds; r++) {
		k = p SUBSEP size SUBSEP t SUBSEP r
		if (!(k in sec))
			continue
		x = field == 5 ? sec[k] : peak[k]
		if (paired != "") {
			b = p SUBSEP size SUBSEP "none" SUBSEP r
			if (!(b in sec))
				continue
			y = field == 5 ? sec[b] : peak[b]
			if (paired == "/") {
				if (y <= 0)
					continue
				x = x / y
			} else
				x = x - y
		}
		a[++n] = x
	}
	return n
}
{
	k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
	sec[k] = $5; peak[k] = $6; logb[k] = $7
	if (!($1 in seen)) { seen[$1] = 1; order[++nprogs] = $1 }
	if ($4 > rounds) rounds = $4
}
END {
	nt = split(tools, tool, " ")
	desc["redis"] = sprintf("redis-benchmark -c 50 -t set,get, %d requests each (valgrind: %d) against redis-server --io-threads 2", redis_n, redis_small)
	desc["lbzip2"] = sprintf("lbzip2 -n 2 of %d MiB of text (valgrind: %d MiB)", mb, smb)
	desc["pigz"] = "pigz -p 2 of the same"
	desc["compile"] = "make -j2 of a copy of this tree (valgrind: one file, cc -O2 -c cli/log_parse.c)"
	print "## Time"
	print ""
	print "No tool: requests a second (redis) or seconds a run, median (min–max)."
	print "The tools: their time over no tool's in the same round, median (min–max);"
	print "memcheck and helgrind over no tool's on the small size."
	print ""
	printf "| program | run | no tool |"
	for (i = 2; i <= nt; i++) printf " %s |", tool[i]
	printf "\n|---|---|---|"
	for (i = 2; i <= nt; i++) printf "---|"
	print ""
	for (j = 1; j <= nprogs; j++) {
		p = order[j]
		delete a
		n = collect(a, p, "full", "none", 5, "")
		if (p == "redis")
			for (i = 1; i <= n; i++) a[i] = 2 * redis_n / a[i]
		printf "| %s | %s | %s |", p, desc[p], summary_or_none(a, n, p == "redis" ? "%.0f" : "%.2f", p == "redis" ? "/s" : " s")
		for (i = 2; i <= nt; i++) {
			delete a
			n = collect(a, p, size_of(tool[i]), tool[i], 5, "/")
			printf " %s |", summary_or_none(a, n, "%.2f", "x")
		}
		print ""
	}
	print ""
	print "## Memory"
	print ""
	print "Peak resident memory (MiB, median): of redis-server, or of the largest"
	print "process of the run (the compile: cc1 or ld).  tsswatch's own: its"
	print "peak less no tool's in the same round, median (min–max); its log: bytes"
	print "a run.  memcheck and helgrind ran the small size, whose no-tool peak is"
	print "in brackets."
	print ""
	printf "| program | no tool | tsswatch | tsswatch's own | tsswatch log |"
	for (i = 2; i <= nt; i++) if (tool[i] != "tsswatch") printf " %s |", tool[i]
	printf "\n|---|---|---|---|---|"
	for (i = 2; i <= nt; i++) if (tool[i] != "tsswatch") printf "---|"
	print ""
	for (j = 1; j <= nprogs; j++) {
		p = order[j]
		delete a; n = collect(a, p, "full", "none", 6, ""); sort(a, n)
		none_mb = n ? median(a, n) / 1024 : 0
		printf "| %s | %s |", p, n ? sprintf("%.1f", none_mb) : "–"
		delete a; n = collect(a, p, "full", "tsswatch", 6, ""); sort(a, n)
		printf " %s |", n ? sprintf("%.1f", median(a, n) / 1024) : "–"
		delete a; n = collect(a, p, "full", "tsswatch", 6, "-")
		for (i = 1; i <= n; i++) a[i] /= 1024
		own = summary_or_none(a, n, "%.1f", "")
		if (n && none_mb > 0)
			own = own sprintf(", %.0f%%", median(a, n) / none_mb * 100)
		printf " %s |", own
		nl = 0
		for (r = 1; r <= rounds; r++)
			if ((p SUBSEP "full" SUBSEP "tsswatch" SUBSEP r) in logb)
				b[++nl] = logb[p SUBSEP "full" SUBSEP "tsswatch" SUBSEP r]
		sort(b, nl)
		printf " %s |", nl ? sprintf("%d", median(b, nl)) : "–"
		for (i = 2; i <= nt; i++) {
			if (tool[i] == "tsswatch")
				continue
			s = size_of(tool[i])
			delete a; n = collect(a, p, s, tool[i], 6, ""); sort(a, n)
			cell = n ? sprintf("%.1f", median(a, n) / 1024) : "–"
			if (n && s == "small") {
				delete a; m = collect(a, p, "small", "none", 6, ""); sort(a, m)
				if (m)
					cell = cell sprintf(" (%.1f)", median(a, m) / 1024)
			}
			printf " %s |", cell
		}
		print ""
	}
}
