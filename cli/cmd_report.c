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
	TSW_REPORT_OPTIONS_HELP;

int cmd_report(int argc, char **argv)
{
	static const struct tsw_opt *const tables[] = { tsw_report_options, NULL };
	struct tsw_args a = { argc, argv, 1, NULL };
	struct tsw_report_opts o;
	struct tsw_processes ps = {0};
	char **paths = tsw_calloc(argc, sizeof *paths), *dir = NULL;
	size_t npaths = 0;
	int id, ret = TSW_EXIT_USAGE;

	tsw_report_opts_init(&o);
	while ((id = tsw_args_next(&a, tables)) != TSW_ARGS_END) {
		if (id == TSW_ARGS_ERROR)
			goto out;
		if (id == TSW_ARGS_WORD)
			paths[npaths++] = (char *)a.arg;
		else if (id == TSW_OPT_HELP) {
			fputs(cmd_report_usage, stdout);
			ret = 0;
			goto out;
		} else if (tsw_report_option(&o, id, a.arg)) {
			goto out;
		}
	}
	while (a.ind < argc)
		paths[npaths++] = argv[a.ind++];
	if (!npaths) {
		const char *tmp = getenv("TMPDIR");

		dir = tsw_asprintf("%s/tsswatch-%u", tmp && *tmp ? tmp : "/tmp", (unsigned)getuid());
		paths[npaths++] = dir;
	}
	if (!tsw_load_logs(&ps, paths, npaths))
		ret = tsw_report(&o, &ps, stdout);
out:
	tsw_processes_free(&ps);
	tsw_report_opts_free(&o);
	free(dir);
	free(paths);
	return ret;
}
