/* tsswatch report: explain the logs of earlier runs. */
#include "commands.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>
#include <unistd.h>

const char cmd_report_usage[] =
	"usage: tsswatch report [options] [LOG|DIR ...]\n"
	"\n"
	"Reports the findings in tsswatch logs: files, or every *.log in a\n"
	"directory (default ${TMPDIR:-/tmp}/tsswatch-UID).\n"
	"\n"
	"options:\n"
	TSC_REPORT_OPTIONS_HELP;

int cmd_report(int argc, char **argv)
{
	static const struct tsc_opt *const tables[] = { tsc_report_options, NULL };
	struct tsc_args a = { argc, argv, 1, NULL };
	struct tsc_report_opts o;
	struct tsc_processes ps = {0};
	char **paths = tsc_calloc(argc, sizeof *paths), *dir = NULL;
	size_t npaths = 0;
	int id, ret = TSC_EXIT_USAGE;

	tsc_report_opts_init(&o);
	while ((id = tsc_args_next(&a, tables)) != TSC_ARGS_END) {
		if (id == TSC_ARGS_ERROR)
			goto out;
		if (id == TSC_ARGS_WORD)
			paths[npaths++] = (char *)a.arg;
		else if (id == TSC_OPT_HELP) {
			fputs(cmd_report_usage, stdout);
			ret = 0;
			goto out;
		} else if (tsc_report_option(&o, id, a.arg)) {
			goto out;
		}
	}
	while (a.ind < argc)
		paths[npaths++] = argv[a.ind++];
	if (!npaths) {
		const char *tmp = getenv("TMPDIR");

		dir = tsc_asprintf("%s/tsswatch-%u", tmp && *tmp ? tmp : "/tmp", (unsigned)getuid());
		paths[npaths++] = dir;
	}
	if (!tsc_load_logs(&ps, paths, npaths))
		ret = tsc_report(&o, &ps, stdout);
out:
	tsc_processes_free(&ps);
	tsc_report_opts_free(&o);
	free(dir);
	free(paths);
	return ret;
}
