/* What libtsswatch.so and the tsswatch command must agree on besides the
 * log format (tsswatch_log.h): the preload's options, and the modules
 * whose frames are not the program's.  Both sides compile against this
 * header; libtsswatch(3) documents the options. */
#ifndef TSSWATCH_SHARED_H
#define TSSWATCH_SHARED_H

/* The environment variable the preload reads its options from, as
 * name=value pairs separated by ':', and the option names.  `tsswatch run`
 * sets them from its flags. */
#define TSW_OPTIONS_ENV     "TSSWATCH_OPTIONS"
#define TSW_OPT_LOG_DIR     "log_dir"
#define TSW_OPT_STACK_DEPTH "stack_depth"
#define TSW_OPT_CHECK_GET   "check_get"
#define TSW_OPT_REPORT_MAIN "report_main"
#define TSW_OPT_QUIET       "quiet"

/* Frames in one stack: the default, and the most the preload records
 * (the option stack_depth, `tsswatch run --stack-depth`).  An S record of
 * TSW_STACK_DEPTH_MAX frames fits in TSW_LOG_LINE_MAX: each frame takes
 * at most 28 bytes (" " + module id + ":" + 16 hex digits). */
#define TSW_STACK_DEPTH_DEFAULT 16
#define TSW_STACK_DEPTH_MAX     256

/* A number macro as a string literal, for messages that name a limit. */
#define TSW_STRINGIFY(x) TSW_STRINGIFY_(x)
#define TSW_STRINGIFY_(x) #x

/* Modules told by the start of their file's base name.
 * TSW_SELF_MODULE: tsswatch's own library.  The preload leaves its frames
 * out of stacks; the CLI hides them too, in logs of older versions.
 * TSW_SANITIZER_RUNTIMES: the sanitizers' runtimes, which run inside the
 * program around its calls: the preload leaves their frames out of stacks
 * and does not track their keys.
 * TSW_TSAN_RUNTIMES: ThreadSanitizer's, which creates a key while it
 * starts, before tsswatch can: the preload only forwards that create.
 * TSW_C_RUNTIMES: the C runtime (shell globs), never where a finding
 * points: reports, SARIF and fingerprints skip its frames. */
#define TSW_SELF_MODULE "libtsswatch.so"
#define TSW_SANITIZER_RUNTIMES \
	"libasan.", "libtsan.", "liblsan.", "libubsan.", "libhwasan.", "libclang_rt."
#define TSW_TSAN_RUNTIMES "libtsan.", "libclang_rt.tsan"
#define TSW_C_RUNTIMES "libc.so.6", "ld-linux*", "libpthread*"

#endif
