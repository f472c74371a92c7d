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

#define TSW_HOMEPAGE "https://github.com/tsswatch/tsswatch"

static const char *const sarif_level[TSW_SEV_COUNT] = { "error", "warning", "note" };

static void rule(struct tsw_json *j, enum tsw_kind k)
{
	const struct tsw_kind_info *info = &tsw_kinds[k];

	tsw_json_object(j, NULL);
	tsw_json_string(j, "id", info->name);
	tsw_json_object(j, "shortDescription");
	tsw_json_string(j, "text", info->summary);
	tsw_json_end(j);
	tsw_json_object(j, "fullDescription");
	tsw_json_string(j, "text", info->help);
	tsw_json_end(j);
	tsw_json_object(j, "help");
	tsw_json_string(j, "text", info->help);
	tsw_json_end(j);
	tsw_json_object(j, "defaultConfiguration");
	tsw_json_string(j, "level", sarif_level[tsw_kind_severity(k)]);
	tsw_json_end(j);
	tsw_json_object(j, "properties");
	tsw_json_array(j, "tags");
	tsw_json_string(j, NULL, "reliability");
	tsw_json_string(j, NULL, "concurrency");
	tsw_json_end(j);
	tsw_json_end(j);
	tsw_json_end(j);
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
	out = d = tsw_calloc(strlen("file://") + 3 * strlen(path) + 1, 1);
	if (!*relative && path[0] == '/')
		d += sprintf(d, "file://");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++)
		if (isalnum(*s) || strchr("-._~/", *s))
			*d++ = *s;
		else
			d += sprintf(d, "%%%02X", *s);
	return out;
}

static void location(struct tsw_json *j, const struct tsw_frame *fr, const char *cwd)
{
	bool relative;
	char *u = uri(fr->file, cwd, &relative);

	tsw_json_array(j, "locations");
	tsw_json_object(j, NULL);
	tsw_json_object(j, "physicalLocation");
	tsw_json_object(j, "artifactLocation");
	tsw_json_string(j, "uri", u);
	if (relative)
		tsw_json_string(j, "uriBaseId", "%SRCROOT%");
	tsw_json_end(j);
	tsw_json_object(j, "region");
	tsw_json_uint(j, "startLine", fr->line);
	tsw_json_end(j);
	tsw_json_end(j);
	tsw_json_end(j);
	tsw_json_end(j);
	free(u);
}

static void fingerprint(struct tsw_json *j, const struct tsw_finding *f)
{
	tsw_json_object(j, "partialFingerprints");
	tsw_json_string(j, "tsswatchStack/v1", f->fingerprint);
	tsw_json_end(j);
}

static void result(struct tsw_json *j, const struct tsw_finding *f, const char *cwd)
{
	const struct tsw_frame *where = tsw_first_user_frame(f, true);

	tsw_json_object(j, NULL);
	tsw_json_string(j, "ruleId", tsw_kinds[f->kind].name);
	tsw_json_uint(j, "ruleIndex", f->kind);
	tsw_json_string(j, "level", sarif_level[f->severity]);
	tsw_json_object(j, "message");
	tsw_json_string(j, "text", f->message);
	tsw_json_end(j);
	if (where)
		location(j, where, cwd);
	fingerprint(j, f);
	if (f->suppressed_by) {
		char *why = tsw_asprintf("%s:%lu", f->suppressed_by->file, f->suppressed_by->line);

		tsw_json_array(j, "suppressions");
		tsw_json_object(j, NULL);
		tsw_json_string(j, "kind", "external");
		tsw_json_string(j, "justification", why);
		tsw_json_end(j);
		tsw_json_end(j);
		free(why);
	}
	tsw_json_object(j, "properties");
	tsw_json_uint(j, "count", f->count);
	tsw_json_uint(j, "pid", f->proc->pid);
	tsw_json_array(j, "pids");
	for (size_t i = 0; i < f->npids; i++)
		tsw_json_uint(j, NULL, f->pids[i]);
	tsw_json_end(j);
	tsw_json_end(j);
	tsw_json_end(j);
}

void tsw_format_sarif(FILE *out, const struct tsw_view *v)
{
	char *cwd = getcwd(NULL, 0);
	struct tsw_json j;

	tsw_json_init(&j, out);
	tsw_json_object(&j, NULL);
	tsw_json_string(&j, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	tsw_json_string(&j, "version", "2.1.0");
	tsw_json_array(&j, "runs");
	tsw_json_object(&j, NULL);
	tsw_json_object(&j, "tool");
	tsw_json_object(&j, "driver");
	tsw_json_string(&j, "name", "tsswatch");
	tsw_json_string(&j, "version", TSW_VERSION);
	tsw_json_string(&j, "informationUri", TSW_HOMEPAGE);
	tsw_json_array(&j, "rules");
	for (int k = 0; k < TSW_KIND_COUNT; k++)
		rule(&j, k);
	tsw_json_end(&j);
	tsw_json_end(&j);
	tsw_json_end(&j);
	tsw_json_array(&j, "results");
	for (size_t i = 0; i < v->fs->n; i++)
		result(&j, &v->fs->v[i], cwd);
	tsw_json_end(&j);
	tsw_json_end(&j);
	tsw_json_end(&j);
	tsw_json_end(&j);
	free(cwd);
}
