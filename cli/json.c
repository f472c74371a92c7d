#include "json.h"

#include <inttypes.h>

void tsc_json_init(struct tsc_json *j, FILE *out)
{
	*j = (struct tsc_json){ .out = out };
	j->empty[0] = true;
}

int tsc_utf8_len(const unsigned char *s)
{
	int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

	if (s[0] >= 0xf8 || (s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)      /* also stops at the NUL */
			return 0;
	return n;
}

static void quoted(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', out);
	while (*s) {
		int n = *s < 0x80 ? 1 : tsc_utf8_len(s);

		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\t')
			fputs("\\t", out);
		else if (*s < 0x20 || *s == 0x7f || !n)
			fprintf(out, "\\u%04x", *s);
		else
			fwrite(s, 1, n, out);
		s += n ? n : 1;
	}
	fputc('"', out);
}

/* Separator, indentation and key of the next value. */
static void member(struct tsc_json *j, const char *key)
{
	if (j->depth) {
		fputs(j->empty[j->depth] ? "\n" : ",\n", j->out);
		fprintf(j->out, "%*s", 2 * j->depth, "");
	}
	j->empty[j->depth] = false;
	if (key) {
		quoted(j->out, key);
		fputs(": ", j->out);
	}
}

static void begin(struct tsc_json *j, const char *key, char c, char close)
{
	member(j, key);
	fputc(c, j->out);
	if (j->depth + 1 < TSC_JSON_DEPTH) {
		j->depth++;
		j->empty[j->depth] = true;
		j->close[j->depth] = close;
	}
}

void tsc_json_object(struct tsc_json *j, const char *key)
{
	begin(j, key, '{', '}');
}

void tsc_json_array(struct tsc_json *j, const char *key)
{
	begin(j, key, '[', ']');
}

void tsc_json_end(struct tsc_json *j)
{
	char close = j->close[j->depth];
	bool empty = j->empty[j->depth];

	if (!j->depth)
		return;
	j->depth--;
	if (!empty)
		fprintf(j->out, "\n%*s", 2 * j->depth, "");
	fputc(close, j->out);
	if (!j->depth)
		fputc('\n', j->out);
}

void tsc_json_string(struct tsc_json *j, const char *key, const char *s)
{
	member(j, key);
	if (s)
		quoted(j->out, s);
	else
		fputs("null", j->out);
}

void tsc_json_uint(struct tsc_json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->out, "%" PRIu64, v);
}

void tsc_json_bool(struct tsc_json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->out);
}

void tsc_json_null(struct tsc_json *j, const char *key)
{
	member(j, key);
	fputs("null", j->out);
}

void tsc_json_micros(struct tsc_json *j, const char *key, uint64_t ns)
{
	member(j, key);
	fprintf(j->out, "%" PRIu64 ".%03u", ns / 1000, (unsigned)(ns % 1000));
}
