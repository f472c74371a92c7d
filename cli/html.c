/* HTML text escaping for the html format (html.h). */
#include "html.h"
#include "json.h"

void tsc_html_text(FILE *out, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t chars = 0; s && *s; chars++) {
		int n = *s < 0x80 ? 1 : tsc_utf8_len(s);

		if (max && chars == max) {
			fputs("\xe2\x80\xa6", out);     /* an ellipsis */
			return;
		}
		if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else if (*s == '\'')
			fputs("&#39;", out);
		else if ((*s < 0x20 && *s != '\t' && *s != '\n') || *s == 0x7f || !n)
			fputs("\xef\xbf\xbd", out);     /* U+FFFD */
		else
			fwrite(s, 1, n, out);
		s += n ? n : 1;
	}
}

void tsc_html_duration(FILE *out, uint64_t ns)
{
	static const struct { double scale; const char *unit; } units[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "\xc2\xb5s" },
	};

	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (ns >= units[i].scale) {
			fprintf(out, "%.3g %s", ns / units[i].scale, units[i].unit);
			return;
		}
	if (ns)
		fprintf(out, "%llu ns", (unsigned long long)ns);
	else
		fputc('0', out);
}
