/* Demangling through libstdc++'s __cxa_demangle, the Itanium C++ ABI's
 * demangler, which also reads Rust's legacy scheme (_ZN...E): Rust's names
 * then need their escapes undone and their hash dropped. */
#include "demangle.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The C++ ABI's entry point (libstdc++, <cxxabi.h>). */
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* Rust's legacy names end with "::h" and 16 hex digits, a hash of the
 * crate and the type parameters: noise in a report, and it differs between
 * builds, which would split one finding's fingerprint. */
static bool rust_hash(const char *s, size_t n)
{
	if (n < 19 || memcmp(s + n - 19, "::h", 3))
		return false;
	for (size_t i = n - 16; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* Rust legacy escapes: $LT$ is '<', $u20$ a space, ".." is "::", and a
 * path component that starts with "_$" starts with '$' (a C++ name
 * cannot).  Never longer than its input: rewritten in place. */
static void rust_unescape(char *s)
{
	static const struct { const char *from; char to; } esc[] = {
		{ "$SP$", '@' }, { "$BP$", '*' }, { "$RF$", '&' }, { "$LT$", '<' },
		{ "$GT$", '>' }, { "$LP$", '(' }, { "$RP$", ')' }, { "$C$", ',' },
		{ "$u7e$", '~' }, { "$u20$", ' ' }, { "$u27$", '\'' }, { "$u3d$", '=' },
		{ "$u5b$", '[' }, { "$u5d$", ']' }, { "$u7b$", '{' }, { "$u7d$", '}' },
		{ "$u3b$", ';' }, { "$u2b$", '+' }, { "$u21$", '!' }, { "$u22$", '"' },
	};
	char *copy = tsc_strdup(s), *out = s;
	const char *in = copy;

	while (*in) {
		size_t i, n = sizeof esc / sizeof *esc;

		if ((in == copy || (in[-1] == ':' && in[-2] == ':')) && in[0] == '_' && in[1] == '$')
			in++;
		if (in[0] == '.' && in[1] == '.') {
			*out++ = ':';
			*out++ = ':';
			in += 2;
			continue;
		}
		for (i = 0; *in == '$' && i < n; i++)
			if (!strncmp(in, esc[i].from, strlen(esc[i].from)))
				break;
		if (*in == '$' && i < n) {
			*out++ = esc[i].to;
			in += strlen(esc[i].from);
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	free(copy);
}

char *tsc_demangle(const char *name)
{
	int status = -1;
	char *d;
	size_t n;

	if (strncmp(name, "_Z", 2))
		return tsc_strdup(name);
	d = __cxa_demangle(name, NULL, NULL, &status);
	if (status || !d) {
		free(d);
		return tsc_strdup(name);
	}
	n = strlen(d);
	if (!strncmp(name, "_ZN", 3) && rust_hash(d, n)) {
		d[n - 19] = '\0';
		rust_unescape(d);
	}
	return d;
}
