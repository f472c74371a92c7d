/* The report as SARIF 2.1.0, as GitHub code scanning takes it: one rule
 * per kind, one result per finding, located at the first frame outside
 * tsswatch and the C runtime that has a file and line. */
#include "format.h"
#include "json.h"
#include "util.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TSC_HOMEPAGE "https://github.com/tsswatch/tsswatch"

static const char *const sarif_level[TSC_SEV_COUNT] = { "error", "warning", "note" };

static void rule(struct tsc_json *j, enum tsw_kind k)
{
	const struct tsc_kind_info *info = &tsc_kinds[k];

	tsc_json_object(j, NULL);
	tsc_json_string(j, "id", info->name);
	tsc_json_object(j, "shortDescription");
	tsc_json_string(j, "text", info->summary);
	tsc_json_end(j);
	tsc_json_object(j, "fullDescription");
	tsc_json_string(j, "text", info->help);
	tsc_json_end(j);
	tsc_json_object(j, "help");
	tsc_json_string(j, "text", info->help);
	tsc_json_end(j);
	tsc_json_object(j, "defaultConfiguration");
	tsc_json_string(j, "level", sarif_level[tsc_kind_severity(k)]);
	tsc_json_end(j);
	tsc_json_object(j, "properties");
	tsc_json_array(j, "tags");
	tsc_json_string(j, NULL, "reliability");
	tsc_json_string(j, NULL, "concurrency");
	tsc_json_end(j);
	tsc_json_end(j);
	tsc_json_end(j);
}

/* PATH as a URI reference: relative to the working directory (the
 * checkout, in CI) when it is inside it, else a file:// URI. */
static char *uri(const char *path, const char *cwd, bool *relative)
{
	size_t n = cwd ? strlen(cwd) : 0;
	char *out, *d;

	*relative = n && !strncmp(path, cwd, n) && path[n] == '/';
	if (*relative)
		path += n + 1;
	out = d = tsc_calloc(strlen("file://") + 3 * strlen(path) + 1, 1);
	if (!*relative && path[0] == '/')
		d += sprintf(d, "file://");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++)
		if (isalnum(*s) || strchr("-._~/", *s))
			*d++ = *s;
		else
			d += sprintf(d, "%%%02X", *s);
	return out;
}

static void location(struct tsc_json *j, const struct tsc_frame *fr, const char *cwd)
{
	bool relative;
	char *u = uri(fr->file, cwd, &relative);

	tsc_json_array(j, "locations");
	tsc_json_object(j, NULL);
	tsc_json_object(j, "physicalLocation");
	tsc_json_object(j, "artifactLocation");
	tsc_json_string(j, "uri", u);
	if (relative)
		tsc_json_string(j, "uriBaseId", "%SRCROOT%");
	tsc_json_end(j);
	tsc_json_object(j, "region");
	tsc_json_uint(j, "startLine", fr->line);
	tsc_json_end(j);
	tsc_json_end(j);
	tsc_json_end(j);
	tsc_json_end(j);
	free(u);
}

static void fingerprint(struct tsc_json *j, const char *fp)
{
	tsc_json_object(j, "partialFingerprints");
	tsc_json_string(j, "tsswatchStack/v1", fp);
	tsc_json_end(j);
}

static void result(struct tsc_json *j, const struct tsc_finding *f, const char *cwd)
{
	const struct tsc_frame *where = tsc_first_user_frame(f, true);

	tsc_json_object(j, NULL);
	tsc_json_string(j, "ruleId", tsc_kinds[f->kind].name);
	tsc_json_uint(j, "ruleIndex", f->kind);
	tsc_json_string(j, "level", sarif_level[f->severity]);
	tsc_json_object(j, "message");
	tsc_json_string(j, "text", f->message);
	tsc_json_end(j);
	if (where)
		location(j, where, cwd);
	fingerprint(j, f->fingerprint);
	if (f->baseline)
		tsc_json_string(j, "baselineState", tsc_baseline_state_names[f->baseline]);
	if (f->suppressed_by) {
		char *why = tsc_asprintf("%s:%lu", f->suppressed_by->file, f->suppressed_by->line);

		tsc_json_array(j, "suppressions");
		tsc_json_object(j, NULL);
		tsc_json_string(j, "kind", "external");
		tsc_json_string(j, "justification", why);
		tsc_json_end(j);
		tsc_json_end(j);
		free(why);
	}
	tsc_json_object(j, "properties");
	tsc_json_uint(j, "count", f->count);
	tsc_json_uint(j, "pid", f->proc->pid);
	tsc_json_array(j, "pids");
	for (size_t i = 0; i < f->npids; i++)
		tsc_json_uint(j, NULL, f->pids[i]);
	tsc_json_end(j);
	tsc_json_end(j);
	tsc_json_end(j);
}

/* What the baseline held and this run did not find, as the baseline's
 * report said it, for code scanning to close. */
static void absent(struct tsc_json *j, const struct tsc_baseline_entry *e, const char *cwd)
{
	int k = e->kind ? tsc_kind_lookup(e->kind, strlen(e->kind)) : -1;
	int sev = e->severity ? tsc_severity_lookup(e->severity) : -1;

	tsc_json_object(j, NULL);
	tsc_json_string(j, "ruleId", e->kind ? e->kind : "unknown");
	if (k >= 0)
		tsc_json_uint(j, "ruleIndex", k);
	tsc_json_string(j, "level", sarif_level[sev >= 0 ? sev : TSC_SEV_ERROR]);
	tsc_json_object(j, "message");
	tsc_json_string(j, "text", e->message ? e->message : "a finding of the baseline");
	tsc_json_end(j);
	if (e->file)
		location(j, &(struct tsc_frame){ .file = e->file, .line = e->line }, cwd);
	fingerprint(j, e->fingerprint);
	tsc_json_string(j, "baselineState", "absent");
	tsc_json_end(j);
}

void tsc_format_sarif(FILE *out, const struct tsc_view *v)
{
	char *cwd = getcwd(NULL, 0);
	struct tsc_json j;

	tsc_json_init(&j, out);
	tsc_json_object(&j, NULL);
	tsc_json_string(&j, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	tsc_json_string(&j, "version", "2.1.0");
	tsc_json_array(&j, "runs");
	tsc_json_object(&j, NULL);
	tsc_json_object(&j, "tool");
	tsc_json_object(&j, "driver");
	tsc_json_string(&j, "name", "tsswatch");
	tsc_json_string(&j, "version", TSW_VERSION);
	tsc_json_string(&j, "informationUri", TSC_HOMEPAGE);
	tsc_json_array(&j, "rules");
	for (int k = 0; k < TSW_KIND_COUNT; k++)
		rule(&j, k);
	tsc_json_end(&j);
	tsc_json_end(&j);
	tsc_json_end(&j);
	tsc_json_array(&j, "results");
	for (size_t i = 0; i < v->fs->n; i++)
		result(&j, &v->fs->v[i], cwd);
	for (size_t i = 0; v->baseline && i < v->baseline->n; i++)
		if (!v->baseline->v[i].seen)
			absent(&j, &v->baseline->v[i], cwd);
	tsc_json_end(&j);
	tsc_json_end(&j);
	tsc_json_end(&j);
	tsc_json_end(&j);
	free(cwd);
}
