#include "report.h"
#include "format.h"
#include "symbolize.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct tsw_opt tsw_report_options[] = {
	{ "help", 'h', false, TSW_OPT_HELP },
	{ "format", 0, true, TSW_OPT_FORMAT },
	{ "output", 'o', true, TSW_OPT_OUTPUT },
	{ "fail-on", 0, true, TSW_OPT_FAIL_ON },
	{ "error-exitcode", 0, true, TSW_OPT_ERROR_EXITCODE },
	{ "suppressions", 0, true, TSW_OPT_SUPPRESSIONS },
	{ "gen-suppressions", 0, false, TSW_OPT_GEN_SUPPRESSIONS },
	{ "quiet", 'q', false, TSW_OPT_QUIET },
	{ 0 }
};

void tsw_report_opts_init(struct tsw_report_opts *o)
{
	*o = (struct tsw_report_opts){ .fail_severity = TSW_SEV_ERROR, .error_exitcode = 25 };
}

void tsw_report_opts_free(struct tsw_report_opts *o)
{
	tsw_suppressions_free(&o->supps);
}

/* KIND,...|error|warning|info: the first --fail-on replaces the default,
 * later ones add to it. */
static int fail_on(struct tsw_report_opts *o, const char *arg)
{
	char *list = tsw_strdup(arg), *save, *item;
	int ret = 0, n = 0;

	if (!o->fail_on_given) {
		o->fail_on_given = true;
		o->fail_severity = -1;
	}
	for (item = strtok_r(list, ",", &save); item && !ret; item = strtok_r(NULL, ",", &save), n++) {
		int k = tsw_kind_lookup(item, strlen(item)), sev = tsw_severity_lookup(item);

		if (k >= 0)
			o->fail_kind[k] = true;
		else if (sev >= 0)
			o->fail_severity = sev > o->fail_severity ? sev : o->fail_severity;
		else
			ret = tsw_args_error("option '--fail-on': '%s' is not a finding kind "
					     "or a severity", item);
	}
	if (!ret && !n)
		ret = tsw_args_error("option '--fail-on' needs a value");
	free(list);
	return ret;
}

int tsw_report_option(struct tsw_report_opts *o, int id, const char *arg)
{
	static const char *const formats[] = { "text", "json", "sarif" };

	switch (id) {
	case TSW_OPT_FORMAT:
		for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
			if (!strcmp(arg, formats[i])) {
				o->format = i;
				return 0;
			}
		return tsw_args_error("option '--format': unknown format '%s' "
				      "(text, json or sarif)", arg);
	case TSW_OPT_OUTPUT:
		o->output = arg;
		return 0;
	case TSW_OPT_FAIL_ON:
		return fail_on(o, arg);
	case TSW_OPT_ERROR_EXITCODE:
		return tsw_args_int("--error-exitcode", arg, 0, 255, &o->error_exitcode);
	case TSW_OPT_SUPPRESSIONS:
		return tsw_suppressions_load(&o->supps, arg);
	case TSW_OPT_GEN_SUPPRESSIONS:
		o->gen_suppressions = true;
		return 0;
	case TSW_OPT_QUIET:
		o->quiet = true;
		return 0;
	default:
		return -1;
	}
}

static bool fails(const struct tsw_report_opts *o, const struct tsw_finding *f)
{
	return !f->suppressed_by && (o->fail_kind[f->kind] || (int)f->severity <= o->fail_severity);
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
		return tsw_error("%s: write error: %s", name, strerror(e));
	return 0;
}

int tsw_report(struct tsw_report_opts *o, const struct tsw_processes *ps, FILE *std)
{
	static void (*const format[])(FILE *, const struct tsw_view *) = {
		[TSW_FORMAT_TEXT] = tsw_format_text,
		[TSW_FORMAT_JSON] = tsw_format_json,
		[TSW_FORMAT_SARIF] = tsw_format_sarif,
	};
	struct tsw_findings fs;
	struct tsw_symbols *syms;
	struct tsw_view v = { .ps = ps, .fs = &fs, .ss = &o->supps, .quiet = o->quiet };
	const char *name = o->output ? o->output : std == stdout ? "standard output"
		: "standard error";
	FILE *out = o->output ? fopen(o->output, "w") : std;
	bool failed = false;
	int ret;

	if (!out)
		return tsw_error("%s: %s", o->output, strerror(errno)), TSW_EXIT_USAGE;
	tsw_findings_build(&fs, ps);
	syms = tsw_symbolize(&fs);
	tsw_findings_merge(&fs);
	tsw_suppressions_apply(&o->supps, &fs);
	for (size_t i = 0; i < fs.n; i++) {
		const struct tsw_finding *f = &fs.v[i];

		if (f->suppressed_by)
			continue;
		v.sum.findings += f->count;
		v.sum.by_severity[f->severity] += f->count;
		v.sum.by_kind[f->kind] += f->count;
		failed |= fails(o, f);
	}
	v.color = o->format == TSW_FORMAT_TEXT && isatty(fileno(out)) && !getenv("NO_COLOR");
	/* the machine formats stay parseable: suggestions go to stderr */
	v.gen_suppressions = o->gen_suppressions && o->format == TSW_FORMAT_TEXT;
	format[o->format](out, &v);
	if (o->gen_suppressions && o->format != TSW_FORMAT_TEXT)
		tsw_suppressions_generate(stderr, &fs);

	ret = finish_output(out, std, name) ? TSW_EXIT_USAGE : failed ? o->error_exitcode : 0;
	tsw_symbols_free(syms);
	tsw_findings_free(&fs);
	return ret;
}
