#include "cmdline.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct tsc_opt *find(const struct tsc_opt *const *tables, const char *name,
				  size_t n, char short_name)
{
	for (; *tables; tables++)
		for (const struct tsc_opt *o = *tables; o->name; o++)
			if (name ? strlen(o->name) == n && !strncmp(o->name, name, n)
				 : o->short_name == short_name)
				return o;
	return NULL;
}

int tsc_args_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tsswatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\ntry 'tsswatch --help'\n", stderr);
	return TSC_ARGS_ERROR;
}

int tsc_args_next(struct tsc_args *a, const struct tsc_opt *const *tables)
{
	const char *w, *eq = NULL;
	const struct tsc_opt *o;

	if (a->ind >= a->argc)
		return TSC_ARGS_END;
	w = a->argv[a->ind];
	if (!strcmp(w, "--")) {
		a->ind++;
		return TSC_ARGS_END;
	}
	if (w[0] != '-' || !w[1]) {
		a->arg = w;
		a->ind++;
		return TSC_ARGS_WORD;
	}
	a->ind++;
	if (w[1] == '-') {
		eq = strchr(w, '=');
		o = find(tables, w + 2, eq ? (size_t)(eq - w - 2) : strlen(w + 2), 0);
	} else {
		o = w[2] ? NULL : find(tables, NULL, 0, w[1]);
	}
	if (!o)
		return tsc_args_error("unknown option '%.*s'",
				      eq ? (int)(eq - w) : (int)strlen(w), w);
	if (!o->has_arg && eq)
		return tsc_args_error("option '--%s' takes no value", o->name);
	if (o->has_arg) {
		if (eq)
			a->arg = eq + 1;
		else if (a->ind < a->argc)
			a->arg = a->argv[a->ind++];
		else
			return tsc_args_error("option '%s' needs a value", w);
	}
	return o->id;
}

int tsc_args_int(const char *option, const char *value, long min, long max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno || end == value || *end || v < min || v > max)
		return tsc_args_error("option '%s': '%s' is not a number from %ld to %ld",
				      option, value, min, max);
	*out = v;
	return 0;
}
