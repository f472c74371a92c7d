/* Command-line parsing shared by the commands: --name VALUE, --name=VALUE,
 * -x VALUE, and "--" ending the options. */
#ifndef TSC_CMDLINE_H
#define TSC_CMDLINE_H

#include <stdbool.h>

struct tsc_opt {
	const char *name;       /* without "--"; NULL ends a table */
	char short_name;        /* 0: none */
	bool has_arg;
	int id;                 /* > 0 */
};

struct tsc_args {
	int argc;
	char **argv;
	int ind;                /* the next word to read */
	const char *arg;        /* the option's value, or the word */
};

enum {
	TSC_ARGS_END = 0,       /* no more options: argv[ind...] are words */
	TSC_ARGS_ERROR = -1,    /* printed, with a hint to try --help */
	TSC_ARGS_WORD = -2,     /* a word that is not an option, in arg */
};

/* The id of the next option from any of TABLES (NULL-terminated). */
int tsc_args_next(struct tsc_args *a, const struct tsc_opt *const *tables);

/* Prints "tsswatch: MESSAGE" and the hint to try --help; returns
 * TSC_ARGS_ERROR. */
int tsc_args_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An option value as an integer in [MIN, MAX]; prints an error otherwise. */
int tsc_args_int(const char *option, const char *value, long min, long max, int *out);

#endif
