# Helpers of bench/stats.awk and bench/real.awk (awk -f bench/lib.awk -f ...).
function median(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function sort(a, n,   i, j, x) {
	for (i = 2; i <= n; i++) {
		x = a[i]
		for (j = i - 1; j >= 1 && a[j] > x; j--)
			a[j + 1] = a[j]
		a[j + 1] = x
	}
}
# "median (min–max)" of A[1..N]; FMT formats each number, UNIT follows
# the median.
function summary(a, n, fmt, unit) {
	sort(a, n)
	return sprintf(fmt unit " (" fmt "–" fmt ")", median(a, n), a[1], a[n])
}
