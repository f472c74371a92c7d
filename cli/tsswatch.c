/* tsswatch: finds thread-specific-storage bugs in what libtsswatch.so
 * recorded.  This file only dispatches to the commands. */
#include "commands.h"
#include "cmdline.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *summary;
} commands[] = {
	{ "run", cmd_run, cmd_run_usage, "run a program under libtsswatch.so and report" },
	{ "report", cmd_report, cmd_report_usage, "report on the logs of earlier runs" },
};

static void help(FILE *out)
{
	fputs("usage: tsswatch <command> [options] [args]\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'tsswatch help COMMAND' or 'tsswatch COMMAND --help' shows its options;\n"
	      "'tsswatch --version' prints the version.  See tsswatch(1).\n", out);
}

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int dispatch(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		help(stderr);
		return TSC_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		help(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("tsswatch " TSW_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (!(c = find(argv[2])))
			return tsc_args_error("unknown command '%s'", argv[2]), TSC_EXIT_USAGE;
		fputs(c->usage, stdout);
		return 0;
	}
	if (argv[1][0] == '-')
		return tsc_args_error("unknown option '%s'", argv[1]), TSC_EXIT_USAGE;
	if (!(c = find(argv[1])))
		return tsc_args_error("unknown command '%s'", argv[1]), TSC_EXIT_USAGE;
	return c->fn(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	int ret = dispatch(argc, argv);

	/* as git does: output that did not reach stdout is a failure (a
	 * report's own write error was already told) */
	if (ret != TSC_EXIT_USAGE && (fflush(stdout) || ferror(stdout))) {
		tsc_error("standard output: write error: %s", strerror(errno));
		ret = TSC_EXIT_USAGE;
	}
	return ret;
}
