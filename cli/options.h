/* Command-line parsing shared by the commands: --name VALUE, --name=VALUE,
 * -x VALUE, and "--" ending the options. */
#ifndef TSW_OPTIONS_H
#define TSW_OPTIONS_H

#include <stdbool.h>

struct tsw_opt {
	const char *name;       /* without "--"; NULL ends a table */
	char short_name;        /* 0: none */
	bool has_arg;
	int id;                 /* > 0 */
};

struct tsw_args {
	int argc;
	char **argv;
	int ind;                /* the next word to read */
	const char *arg;        /* the option's value, or the word */
};

enum {
	TSW_ARGS_END = 0,       /* no more options: argv[ind...] are words */
	TSW_ARGS_ERROR = -1,    /* printed, with a hint to try --help */
	TSW_ARGS_WORD = -2,     /* a word that is not an option, in arg */
};

/* The id of the next option from any of TABLES (NULL-terminated). */
int tsw_args_next(struct tsw_args *a, const struct tsw_opt *const *tables);

/* Prints "tsswatch: MESSAGE" and the hint to try --help; returns
 * TSW_ARGS_ERROR. */
int tsw_args_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An option value as an integer in [MIN, MAX]; prints an error otherwise. */
int tsw_args_int(const char *option, const char *value, long min, long max, int *out);

#endif
