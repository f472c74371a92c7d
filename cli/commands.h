/* The subcommands: cmd_NAME(argc, argv) with argv[0] the command's name,
 * returning the exit status; and their usage text. */
#ifndef TSC_COMMANDS_H
#define TSC_COMMANDS_H

int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);

extern const char cmd_report_usage[];
extern const char cmd_run_usage[];

#endif
