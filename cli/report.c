#include "report.h"
#include "format.h"
#include "symbolize.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct tsc_opt tsc_report_options[] = {
	{ "help", 'h', false, TSC_OPT_HELP },
	{ "format", 0, true, TSC_OPT_FORMAT },
	{ "output", 'o', true, TSC_OPT_OUTPUT },
	{ "fail-on", 0, true, TSC_OPT_FAIL_ON },
	{ "error-exitcode", 0, true, TSC_OPT_ERROR_EXITCODE },
	{ "suppressions", 0, true, TSC_OPT_SUPPRESSIONS },
	{ "gen-suppressions", 0, false, TSC_OPT_GEN_SUPPRESSIONS },
	{ "quiet", 'q', false, TSC_OPT_QUIET },
	{ "baseline", 0, true, TSC_OPT_BASELINE },
	{ 0 }
};

void tsc_report_opts_init(struct tsc_report_opts *o)
{
	*o = (struct tsc_report_opts){ .fail_severity = TSC_SEV_ERROR, .error_exitcode = 25 };
}

void tsc_report_opts_free(struct tsc_report_opts *o)
{
	tsc_suppressions_free(&o->supps);
	tsc_baseline_free(&o->baseline);
}

/* KIND,...|error|warning|info: the first --fail-on replaces the default,
 * later ones add to it. */
static int fail_on(struct tsc_report_opts *o, const char *arg)
{
	char *list = tsc_strdup(arg), *save, *item;
	int ret = 0, n = 0;

	if (!o->fail_on_given) {
		o->fail_on_given = true;
		o->fail_severity = -1;
	}
	for (item = strtok_r(list, ",", &save); item && !ret; item = strtok_r(NULL, ",", &save), n++) {
		int k = tsc_kind_lookup(item, strlen(item)), sev = tsc_severity_lookup(item);

		if (k >= 0)
			o->fail_kind[k] = true;
		else if (sev >= 0)
			o->fail_severity = sev > o->fail_severity ? sev : o->fail_severity;
		else
			ret = tsc_args_error("option '--fail-on': '%s' is not a finding kind "
					     "or a severity", item);
	}
	if (!ret && !n)
		ret = tsc_args_error("option '--fail-on' needs a value");
	free(list);
	return ret;
}

int tsc_report_option(struct tsc_report_opts *o, int id, const char *arg)
{
	static const char *const formats[] = { "text", "json", "sarif", "html", "trace" };

	switch (id) {
	case TSC_OPT_FORMAT:
		for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
			if (!strcmp(arg, formats[i])) {
				o->format = i;
				return 0;
			}
		return tsc_args_error("option '--format': unknown format '%s' "
				      "(text, json, sarif, html or trace)", arg);
	case TSC_OPT_OUTPUT:
		o->output = arg;
		return 0;
	case TSC_OPT_FAIL_ON:
		return fail_on(o, arg);
	case TSC_OPT_ERROR_EXITCODE:
		return tsc_args_int("--error-exitcode", arg, 0, 255, &o->error_exitcode);
	case TSC_OPT_SUPPRESSIONS:
		return tsc_suppressions_load(&o->supps, arg);
	case TSC_OPT_GEN_SUPPRESSIONS:
		o->gen_suppressions = true;
		return 0;
	case TSC_OPT_QUIET:
		o->quiet = true;
		return 0;
	case TSC_OPT_BASELINE:
		if (o->baseline.path)
			return tsc_args_error("option '--baseline' is given twice");
		return tsc_baseline_load(&o->baseline, arg);
	default:
		return -1;
	}
}

/* Suppressed findings, and those the baseline holds, never fail the check. */
static bool fails(const struct tsc_report_opts *o, const struct tsc_finding *f)
{
	return !f->suppressed_by && f->baseline != TSC_BASELINE_UNCHANGED &&
	       (o->fail_kind[f->kind] || (int)f->severity <= o->fail_severity);
}

/* Everything written must have reached the file: a full disk is an error,
 * not a short report. */
static int finish_output(FILE *out, FILE *std, const char *name)
{
	int bad = fflush(out) || ferror(out);
	int e = errno;

	if (out != std && fclose(out) && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad)
		return tsc_error("%s: write error: %s", name, strerror(e));
	return 0;
}

int tsc_report(struct tsc_report_opts *o, const struct tsc_processes *ps, FILE *std)
{
	static void (*const format[])(FILE *, const struct tsc_view *) = {
		[TSC_FORMAT_TEXT] = tsc_format_text,
		[TSC_FORMAT_JSON] = tsc_format_json,
		[TSC_FORMAT_SARIF] = tsc_format_sarif,
		[TSC_FORMAT_HTML] = tsc_format_html,
		[TSC_FORMAT_TRACE] = tsc_format_trace,
	};
	struct tsc_findings fs;
	struct tsc_symbols *syms;
	struct tsc_view v = { .ps = ps, .fs = &fs, .ss = &o->supps, .quiet = o->quiet,
			      .baseline = o->baseline.path ? &o->baseline : NULL };
	const char *name = o->output ? o->output : std == stdout ? "standard output"
		: "standard error";
	FILE *out = o->output ? fopen(o->output, "w") : std;
	bool failed = false;
	int ret;

	if (!out)
		return tsc_error("%s: %s", o->output, strerror(errno)), TSC_EXIT_USAGE;
	tsc_findings_build(&fs, ps);
	syms = tsc_symbolize(&fs);
	tsc_findings_merge(&fs);
	tsc_suppressions_apply(&o->supps, &fs);
	tsc_baseline_apply(&o->baseline, &fs);
	for (size_t i = 0; i < fs.n; i++) {
		const struct tsc_finding *f = &fs.v[i];

		if (f->suppressed_by)
			continue;
		v.sum.findings += f->count;
		v.sum.by_baseline[f->baseline] += f->count;
		v.sum.by_severity[f->severity] += f->count;
		v.sum.by_kind[f->kind] += f->count;
		failed |= fails(o, f);
	}
	v.color = o->format == TSC_FORMAT_TEXT && isatty(fileno(out)) && !getenv("NO_COLOR");
	/* the machine formats stay parseable: suggestions go to stderr */
	v.gen_suppressions = o->gen_suppressions && o->format == TSC_FORMAT_TEXT;
	format[o->format](out, &v);
	if (o->gen_suppressions && o->format != TSC_FORMAT_TEXT)
		tsc_suppressions_generate(stderr, &fs);

	ret = finish_output(out, std, name) ? TSC_EXIT_USAGE : failed ? o->error_exitcode : 0;
	tsc_symbols_free(syms);
	tsc_findings_free(&fs);
	return ret;
}
