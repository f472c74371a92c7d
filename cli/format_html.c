/* The report as one self-contained HTML page: the summary, a timeline per
 * process (html_timeline.c), and the findings with their stacks.  No
 * network and no other file: the style and the script are inline, and
 * the page reads whole without the script (it only adds the filters and
 * the finding shown beside the timeline when a mark is clicked).  Every
 * string from a log is escaped by tsc_html_text. */
#include "format.h"
#include "html.h"
#include "util.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1060px;padding:0 16px 48px;"
	"color:#1d2430;background:#fff}"
	"h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:26px 0 8px;border-bottom:1px solid #dde}"
	"h3{font-size:15px;margin:14px 0 6px}code{font:12.5px ui-monospace,monospace}"
	"table{border-collapse:collapse}td,th{padding:2px 10px 2px 0;text-align:left;vertical-align:top}"
	".sev{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}"
	".sev.error{background:#c62828}.sev.warning{background:#e08a00}.sev.info{background:#1e78b4}"
	"svg.timeline{width:100%;height:auto;display:block;border:1px solid #e3e6ee;background:#fbfcfe}"
	"svg text{font:11px system-ui,sans-serif;fill:#3a4352}svg .heading{font-weight:600;fill:#6a7386}"
	"svg .fold-label{fill:#6a7386}.axis line{stroke:#e6e9f0}.axis text{fill:#8a93a5;font-size:10px}"
	"rect.thread{fill:#5b8bd0}rect.thread.running{fill:#a9c3ea}"
	"rect.key{fill:#8f6cc4}rect.key.live{fill:#cdb9ec}path.fold{fill:#c4d4ee;stroke:#5b8bd0}"
	"a.mark path{stroke:#fff;stroke-width:1}a.mark path.error{fill:#c62828}"
	"a.mark path.warning{fill:#e08a00}a.mark path.info{fill:#1e78b4}"
	"a.mark:hover path,a.mark.hit path{stroke:#000;stroke-width:2}"
	".legend span{margin-right:14px}.legend i{display:inline-block;width:18px;height:9px;"
	"margin-right:4px;vertical-align:middle}"
	"article.finding{border:1px solid #e3e6ee;border-left:4px solid #c62828;border-radius:4px;"
	"padding:4px 12px;margin:10px 0}"
	"article.finding[data-severity=warning]{border-left-color:#e08a00}"
	"article.finding[data-severity=info]{border-left-color:#1e78b4}"
	"article.finding:target,article.finding.hit{box-shadow:0 0 0 3px #ffd54f}"
	".message{font-weight:600}.meta,.help{color:#5a6376}"
	"ol.stack{margin:2px 0 6px;padding-left:28px}ol.stack li{font:12.5px ui-monospace,monospace}"
	".loc{color:#1b5e20}.mod{color:#8a93a5}summary{cursor:pointer;color:#3a4352}"
	"#filters{margin:6px 0}#filters fieldset{display:inline-block;border:1px solid #e3e6ee;margin:0 8px 6px 0}"
	"#popup{position:fixed;right:16px;bottom:16px;width:min(560px,90vw);max-height:60vh;overflow:auto;"
	"background:#fff;border:1px solid #99a;box-shadow:0 4px 18px rgba(0,0,0,.25);padding:4px 10px}"
	"#popup button{float:right;margin-top:8px}[hidden]{display:none!important}";

/* Only the filters and the popup: findings and timelines are in the markup.
 * Strings from the log are never turned into markup: nodes are cloned. */
static const char script[] =
	"(function(){'use strict';\n"
	"var arts=[].slice.call(document.querySelectorAll('article.finding'));\n"
	"var marks=[].slice.call(document.querySelectorAll('a.mark'));\n"
	"var form=document.getElementById('filters'),pop=document.getElementById('popup');\n"
	"function present(attr){var s=[];arts.forEach(function(a){var v=a.getAttribute(attr);"
	"if(s.indexOf(v)<0)s.push(v)});return s}\n"
	"function group(title,attr){var fs=document.createElement('fieldset'),"
	"lg=document.createElement('legend');lg.textContent=title;fs.appendChild(lg);\n"
	" present(attr).forEach(function(v){var l=document.createElement('label'),"
	"c=document.createElement('input');c.type='checkbox';c.checked=true;c.name=attr;c.value=v;"
	"l.appendChild(c);l.appendChild(document.createTextNode(' '+v+' '));fs.appendChild(l)});\n"
	" form.appendChild(fs)}\n"
	"function on(attr){var s={};[].forEach.call(form.querySelectorAll('input[name=\"'+attr+'\"]'),"
	"function(c){s[c.value]=c.checked});return s}\n"
	"function apply(){var k=on('data-kind'),s=on('data-severity'),n=0;\n"
	" function keep(e){return k[e.getAttribute('data-kind')]&&s[e.getAttribute('data-severity')]}\n"
	" arts.forEach(function(a){a.hidden=!keep(a);n+=keep(a)?1:0});\n"
	" marks.forEach(function(m){var a=document.getElementById('f'+m.getAttribute('data-f'));"
	"m.style.display=a&&a.hidden?'none':''});\n"
	" document.getElementById('shown').textContent=n+' of '+arts.length+' shown'}\n"
	"if(arts.length){group('kind','data-kind');group('severity','data-severity');"
	"var p=document.createElement('span');p.id='shown';form.appendChild(p);"
	"form.addEventListener('change',apply);form.hidden=false;apply()}\n"
	"function hit(id){[].forEach.call(document.querySelectorAll('.hit'),function(e){"
	"e.classList.remove('hit')});marks.forEach(function(m){if('f'+m.getAttribute('data-f')==id)"
	"m.classList.add('hit')})}\n"
	"function show(id){var a=document.getElementById(id);if(!a||!/^f[0-9]+$/.test(id))return;\n"
	" var c=a.cloneNode(true),b=document.createElement('button'),g=document.createElement('a');\n"
	" c.removeAttribute('id');c.hidden=false;b.textContent='close';b.onclick=function(){pop.hidden=true};\n"
	" g.href='#'+id;g.textContent='in the list';pop.textContent='';pop.appendChild(b);"
	"pop.appendChild(c);pop.appendChild(g);pop.hidden=false;hit(id);a.classList.add('hit')}\n"
	"marks.forEach(function(m){m.addEventListener('click',function(e){e.preventDefault();"
	"var id='f'+m.getAttribute('data-f');show(id);history.replaceState(null,'','#'+id)})});\n"
	"if(/^#f[0-9]+$/.test(location.hash))show(location.hash.slice(1));\n"
	"})();\n";

/* A finding of 10,000 threads names the first few: the timeline has them. */
#define MAX_THREADS_NAMED 24

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void summary(FILE *out, const struct tsc_view *v)
{
	const struct tsc_summary *s = &v->sum;

	fprintf(out, "<p id=\"summary\">%" PRIu64 " finding%s (%" PRIu64 " error%s, %" PRIu64
		" warning%s, %" PRIu64 " info%s) in %zu process%s</p>\n", s->findings,
		plural(s->findings), s->by_severity[TSC_SEV_ERROR], plural(s->by_severity[TSC_SEV_ERROR]),
		s->by_severity[TSC_SEV_WARNING], plural(s->by_severity[TSC_SEV_WARNING]),
		s->by_severity[TSC_SEV_INFO], plural(s->by_severity[TSC_SEV_INFO]), v->ps->n,
		v->ps->n == 1 ? "" : "es");
	if (!s->findings)
		return;
	fputs("<table class=\"by-kind\">\n", out);
	for (int k = 0; k < TSW_KIND_COUNT; k++)
		if (s->by_kind[k])
			fprintf(out, "<tr><td>%s</td><td>%" PRIu64 "</td><td>%s</td></tr>\n",
				tsc_kinds[k].name, s->by_kind[k], tsc_kinds[k].summary);
	fputs("</table>\n", out);
}

static void processes(FILE *out, const struct tsc_timeline *tl)
{
	fputs("<h2 id=\"processes\">Processes</h2>\n<table>\n<tr><th>pid</th><th>ppid</th>"
	      "<th>command</th><th>end</th><th>threads</th><th>keys</th><th>ran</th></tr>\n", out);
	for (size_t i = 0; i < tl->n; i++) {
		const struct tsc_tl_proc *tp = &tl->v[i];
		const struct tsc_process *p = tp->p;
		char exit[TSC_EXIT_DESC_MAX];

		fprintf(out, "<tr><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td><code>", p->pid, p->ppid);
		tsc_html_text(out, p->command, 160);
		fprintf(out, "</code></td><td>%s%s</td>", tsc_exit_desc(p, exit),
			p->complete ? "" : ", incomplete");
		if (p->has_counters)
			fprintf(out, "<td>%" PRIu64 "</td><td>%" PRIu64 "</td>",
				p->counters[TSC_COUNTER_threads_created] + 1,
				p->counters[TSC_COUNTER_keys_created]);
		else
			fputs("<td>?</td><td>?</td>", out);
		fputs("<td>", out);
		if (tp->has_times)
			tsc_html_duration(out, tp->end - tp->start);
		else
			fputs("?", out);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void timelines(FILE *out, const struct tsc_view *v, const struct tsc_timeline *tl)
{
	fputs("<h2 id=\"timelines\">Timeline</h2>\n", out);
	if (tl->any_times)
		fputs("<p class=\"legend\"><span><i style=\"background:#5b8bd0\"></i>thread, create to "
		      "finish</span><span><i style=\"background:#a9c3ea\"></i>unfinished at the end</span>"
		      "<span><i style=\"background:#8f6cc4\"></i>key, first use to delete</span>"
		      "<span><i style=\"background:#cdb9ec\"></i>never deleted</span>"
		      "<span>&#9670; a finding: hover for it, click to see it</span></p>\n", out);
	for (size_t i = 0; i < tl->n; i++) {
		const struct tsc_tl_proc *tp = &tl->v[i];

		fprintf(out, "<section class=\"process\" id=\"pid-%" PRIu64 "\">\n<h3>pid %" PRIu64
			" <code>", tp->p->pid, tp->p->pid);
		tsc_html_text(out, tp->p->command, 120);
		fputs("</code></h3>\n", out);
		if (tp->has_times)
			tsc_html_timeline(out, tp, v->fs);
		else
			fputs("<p class=\"no-timeline\">No timeline: this log is of format version 1, "
			      "which has no times.</p>\n", out);
		fputs("</section>\n", out);
	}
}

static void frame(FILE *out, size_t i, const struct tsc_frame *f)
{
	fprintf(out, "<li value=\"%zu\">0x%" PRIx64 " ", i, f->address);
	if (f->function) {
		fputs("in <code class=\"fn\">", out);
		tsc_html_text(out, f->function, 0);
		fputs("</code>", out);
	}
	if (f->file) {
		fputs(" <span class=\"loc\">", out);
		tsc_html_text(out, f->file, 0);
		if (f->line)
			fprintf(out, ":%lu", f->line);
		fputs("</span>", out);
	}
	if (f->module) {
		fputs(" <span class=\"mod\">(", out);
		tsc_html_text(out, f->module->path, 0);
		if (!f->function)
			fprintf(out, "+0x%" PRIx64, f->offset);
		fputs(")</span>", out);
	}
	fputs(f->inlined ? " [inlined]</li>\n" : "</li>\n", out);
}

/* "key_create" -> "key created", as the text format says it. */
static void stack_label(FILE *out, const char *label)
{
	size_t n = strlen(label);

	for (const char *s = label; *s; s++)
		fputc(*s == '_' ? ' ' : *s, out);
	if (n > 7 && !strcmp(label + n - 7, "_create"))
		fputc('d', out);
}

static void finding(FILE *out, size_t i, const struct tsc_finding *f)
{
	const char *sev = tsc_severity_names[f->severity];
	char *at = tsc_tl_first_frame(f);

	fprintf(out, "<article class=\"finding\" id=\"f%zu\" data-kind=\"%s\" data-severity=\"%s\">\n"
		"<h3><span class=\"sev %s\">%s</span> <span class=\"kind\">%s</span> "
		"<span class=\"count\">%" PRIu64 " occurrence%s</span>%s</h3>\n<p class=\"message\">",
		i + 1, tsc_kinds[f->kind].name, sev, sev, sev, tsc_kinds[f->kind].name, f->count,
		plural(f->count), f->suppressed_by ? " <em>suppressed</em>" : "");
	tsc_html_text(out, f->message, 0);
	fputs(f->npids > 1 ? "</p>\n<p class=\"meta\">pids " : "</p>\n<p class=\"meta\">pid ", out);
	for (size_t p = 0; p < (f->npids ? f->npids : 1); p++) {
		uint64_t pid = f->npids ? f->pids[p] : f->proc->pid;

		fprintf(out, "%s<a href=\"#pid-%" PRIu64 "\">%" PRIu64 "</a>", p ? ", " : "", pid, pid);
	}
	for (size_t t = 0; t < f->nthreads && t < MAX_THREADS_NAMED; t++) {
		char *label = tsc_tl_thread_label(f->threads[t].serial, f->threads[t].name);

		fputs(t ? ", " : "; threads ", out);
		tsc_html_text(out, label, 0);
		free(label);
	}
	if (f->nthreads > MAX_THREADS_NAMED)
		fprintf(out, " and %zu more", f->nthreads - MAX_THREADS_NAMED);
	if (f->has_key)
		fprintf(out, "; key %" PRIu64, f->key);
	fputs("</p>\n", out);
	if (at) {
		fputs("<p class=\"at\">at <code>", out);
		tsc_html_text(out, at, 0);
		fputs("</code></p>\n", out);
	}
	for (size_t k = 0; k < f->nstacks; k++) {
		const struct tsc_stack *s = tsc_finding_stack(f, k);

		fputs(k ? "<details>" : "<details open>", out);
		fputs("<summary>", out);
		stack_label(out, f->stacks[k].label);
		if (f->stacks[k].count)
			fprintf(out, " (%" PRIu64 " times)", f->stacks[k].count);
		fputs(s && s->nframes ? "</summary>\n<ol class=\"stack\" start=\"0\">\n"
		      : ": no frames recorded</summary>\n<ol class=\"stack\">\n", out);
		for (size_t n = 0; s && n < s->nframes; n++)
			frame(out, n, &s->frames[n]);
		fputs("</ol></details>\n", out);
	}
	fprintf(out, "<p class=\"help\">%s</p>\n</article>\n", tsc_kinds[f->kind].help);
	free(at);
}

static void suppressions(FILE *out, const struct tsc_suppressions *ss)
{
	if (!ss->n)
		return;
	fputs("<h2 id=\"suppressions\">Suppressions</h2>\n<table>\n", out);
	for (size_t i = 0; i < ss->n; i++) {
		const struct tsc_suppression *s = &ss->v[i];

		fprintf(out, "<tr><td><code>%s:", s->kind < 0 ? "*" : tsc_kinds[s->kind].name);
		tsc_html_text(out, s->pattern, 0);
		fputs("</code></td><td>", out);
		tsc_html_text(out, s->file, 0);
		fprintf(out, ":%lu</td><td>matched %lu</td></tr>\n", (unsigned long)s->line,
			(unsigned long)s->matched);
	}
	fputs("</table>\n", out);
}

void tsc_format_html(FILE *out, const struct tsc_view *v)
{
	struct tsc_timeline tl;

	tsc_timeline_build(&tl, v->ps, v->fs);
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"tsswatch %s\">\n"
		"<title>tsswatch: %" PRIu64 " finding%s</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<h1>tsswatch report</h1>\n", TSW_VERSION, v->sum.findings, plural(v->sum.findings),
		style);
	summary(out, v);
	processes(out, &tl);
	timelines(out, v, &tl);
	fputs("<h2 id=\"findings\">Findings</h2>\n<form id=\"filters\" hidden></form>\n", out);
	if (!v->fs->n)
		fputs("<p>No findings.</p>\n", out);
	for (size_t i = 0; i < v->fs->n; i++)
		finding(out, i, &v->fs->v[i]);
	suppressions(out, v->ss);
	fprintf(out, "<div id=\"popup\" hidden></div>\n<script>\n%s</script>\n</body>\n</html>\n",
		script);
	tsc_timeline_free(&tl);
}
