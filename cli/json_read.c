#include "json_read.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const char *s, *end;
	int depth;
	char *err;
	size_t errsize;
	const char *start;      /* for the line number of an error */
};

static int fail(struct reader *r, const char *what)
{
	unsigned long line = 1;

	for (const char *p = r->start; p < r->s && p < r->end; p++)
		line += *p == '\n';
	if (!*r->err)
		snprintf(r->err, r->errsize, "line %lu: %s", line, what);
	return -1;
}

static void skip_space(struct reader *r)
{
	while (r->s < r->end && (*r->s == ' ' || *r->s == '\t' || *r->s == '\n' || *r->s == '\r'))
		r->s++;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->s) < n || memcmp(r->s, word, n))
		return false;
	r->s += n;
	return true;
}

static int hex4(struct reader *r, unsigned *out)
{
	*out = 0;
	if (r->end - r->s < 4)
		return fail(r, "a \\u escape needs four hex digits");
	for (int i = 0; i < 4; i++) {
		char c = *r->s++;
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;

		if (d == 16)
			return fail(r, "a \\u escape needs four hex digits");
		*out = *out << 4 | d;
	}
	return 0;
}

static char *put_utf8(char *d, unsigned c)
{
	if (c < 0x80) {
		*d++ = c;
	} else if (c < 0x800) {
		*d++ = 0xc0 | c >> 6;
		*d++ = 0x80 | (c & 0x3f);
	} else if (c < 0x10000) {
		*d++ = 0xe0 | c >> 12;
		*d++ = 0x80 | (c >> 6 & 0x3f);
		*d++ = 0x80 | (c & 0x3f);
	} else {
		*d++ = 0xf0 | c >> 18;
		*d++ = 0x80 | (c >> 12 & 0x3f);
		*d++ = 0x80 | (c >> 6 & 0x3f);
		*d++ = 0x80 | (c & 0x3f);
	}
	return d;
}

/* \uXXXX, a surrogate pair taken whole; a lone surrogate becomes U+FFFD. */
static int unicode_escape(struct reader *r, unsigned *c)
{
	unsigned lo;

	if (hex4(r, c))
		return -1;
	if (*c >= 0xd800 && *c < 0xdc00 && r->end - r->s >= 6 && r->s[0] == '\\' && r->s[1] == 'u') {
		const char *back = r->s;

		r->s += 2;
		if (hex4(r, &lo))
			return -1;
		if (lo >= 0xdc00 && lo < 0xe000) {
			*c = 0x10000 + ((*c - 0xd800) << 10) + (lo - 0xdc00);
			return 0;
		}
		r->s = back;
	}
	if (*c >= 0xd800 && *c < 0xe000)
		*c = 0xfffd;
	return *c ? 0 : fail(r, "a string holds \\u0000");
}

/* After the opening quote.  The decoded string is never longer than its
 * source (an escape of 6 bytes makes at most 3, a pair of 12 makes 4). */
static int string(struct reader *r, char **out)
{
	const char *s = r->s;
	char *buf, *d;

	while (s < r->end && *s != '"')
		s += *s == '\\' && s + 1 < r->end ? 2 : 1;
	if (s >= r->end)
		return fail(r, "a string is not closed");
	buf = d = tsc_calloc(s - r->s + 1, 1);
	while (*r->s != '"') {
		unsigned char c = *r->s++;
		unsigned u;

		if (c < 0x20) {
			free(buf);
			return fail(r, "a control character in a string");
		}
		if (c != '\\') {
			*d++ = c;
			continue;
		}
		switch (*r->s++) {
		case '"': *d++ = '"'; break;
		case '\\': *d++ = '\\'; break;
		case '/': *d++ = '/'; break;
		case 'b': *d++ = '\b'; break;
		case 'f': *d++ = '\f'; break;
		case 'n': *d++ = '\n'; break;
		case 'r': *d++ = '\r'; break;
		case 't': *d++ = '\t'; break;
		case 'u':
			if (unicode_escape(r, &u)) {
				free(buf);
				return -1;
			}
			d = put_utf8(d, u);
			break;
		default:
			free(buf);
			return fail(r, "an unknown escape in a string");
		}
	}
	r->s++;
	*out = buf;
	return 0;
}

static bool digits(struct reader *r)
{
	const char *s = r->s;

	while (r->s < r->end && *r->s >= '0' && *r->s <= '9')
		r->s++;
	return r->s > s;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(struct reader *r)
{
	if (r->s < r->end && *r->s == '-')
		r->s++;
	if (r->s < r->end && *r->s == '0')
		r->s++;
	else if (!digits(r))
		return fail(r, "a malformed number");
	if (r->s < r->end && *r->s == '.') {
		r->s++;
		if (!digits(r))
			return fail(r, "a malformed number");
	}
	if (r->s < r->end && (*r->s == 'e' || *r->s == 'E')) {
		r->s++;
		if (r->s < r->end && (*r->s == '+' || *r->s == '-'))
			r->s++;
		if (!digits(r))
			return fail(r, "a malformed number");
	}
	return 0;
}

static int value(struct reader *r, struct tsc_jv *v);

/* The elements of an array or members of an object, after its bracket. */
static int items(struct reader *r, struct tsc_jv *v, char close)
{
	skip_space(r);
	if (r->s < r->end && *r->s == close) {
		r->s++;
		return 0;
	}
	for (;;) {
		struct tsc_jv *item;
		char *key = NULL;

		skip_space(r);
		if (close == '}') {
			if (r->s >= r->end || *r->s != '"')
				return fail(r, "expected a member name");
			r->s++;
			if (string(r, &key))
				return -1;
			skip_space(r);
			if (r->s >= r->end || *r->s != ':') {
				free(key);
				return fail(r, "expected ':'");
			}
			r->s++;
		}
		TSC_GROW(v->items, v->n, v->cap);
		item = &v->items[v->n++];
		*item = (struct tsc_jv){ .key = key };
		if (value(r, item))
			return -1;
		skip_space(r);
		if (r->s < r->end && *r->s == ',') {
			r->s++;
			continue;
		}
		if (r->s < r->end && *r->s == close) {
			r->s++;
			return 0;
		}
		return fail(r, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int value(struct reader *r, struct tsc_jv *v)
{
	int ret;

	skip_space(r);
	if (r->s >= r->end)
		return fail(r, "the document ends early");
	switch (*r->s) {
	case '{':
	case '[':
		if (++r->depth > TSC_JV_DEPTH)
			return fail(r, "nested too deeply");
		v->type = *r->s == '{' ? TSC_JOBJECT : TSC_JARRAY;
		r->s++;
		ret = items(r, v, v->type == TSC_JOBJECT ? '}' : ']');
		r->depth--;
		return ret;
	case '"':
		v->type = TSC_JSTRING;
		r->s++;
		return string(r, &v->str);
	case 't':
	case 'f':
		v->type = TSC_JBOOL;
		v->boolean = *r->s == 't';
		return literal(r, v->boolean ? "true" : "false") ? 0 : fail(r, "an unknown word");
	case 'n':
		v->type = TSC_JNULL;
		return literal(r, "null") ? 0 : fail(r, "an unknown word");
	default: {
		const char *start = r->s;

		if (*r->s != '-' && (*r->s < '0' || *r->s > '9'))
			return fail(r, "not JSON");
		v->type = TSC_JNUMBER;
		if (number(r))
			return -1;
		v->str = tsc_calloc(r->s - start + 1, 1);
		memcpy(v->str, start, r->s - start);
		return 0;
	}
	}
}

int tsc_jv_parse(const char *text, size_t len, struct tsc_jv *root, char *err, size_t errsize)
{
	struct reader r = { text, text + len, 0, err, errsize, text };

	*root = (struct tsc_jv){0};
	if (errsize)
		*err = '\0';
	if (value(&r, root))
		return -1;
	skip_space(&r);
	return r.s == r.end ? 0 : fail(&r, "more after the document");
}

void tsc_jv_free(struct tsc_jv *v)
{
	for (size_t i = 0; i < v->n; i++)
		tsc_jv_free(&v->items[i]);
	free(v->items);
	free(v->str);
	free(v->key);
	*v = (struct tsc_jv){0};
}

const struct tsc_jv *tsc_jv_member(const struct tsc_jv *obj, const char *key)
{
	if (!obj || obj->type != TSC_JOBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->items[i].key, key))
			return &obj->items[i];
	return NULL;
}

const char *tsc_jv_string(const struct tsc_jv *obj, const char *key)
{
	const struct tsc_jv *m = tsc_jv_member(obj, key);

	return m && m->type == TSC_JSTRING ? m->str : NULL;
}
