/* Choosing the frame that stands for a finding (SARIF location,
 * generated suppressions). */
#include "report_findings.h"
#include "tsswatch_shared.h"
#include "util.h"

#include <fnmatch.h>

bool tsc_module_in_runtime(const char *path)
{
	static const char *const runtime[] = { TSW_C_RUNTIMES };

	for (size_t i = 0; path && i < sizeof runtime / sizeof *runtime; i++)
		if (!fnmatch(runtime[i], tsc_basename(path), 0))
			return true;
	return false;
}

bool tsc_frame_in_runtime(const struct tsc_frame *f)
{
	return f->module && tsc_module_in_runtime(f->module->path);
}

const struct tsc_frame *tsc_first_user_frame(const struct tsc_finding *f, bool need_line)
{
	for (size_t i = 0; i < f->nstacks; i++) {
		const struct tsc_stack *s = tsc_finding_stack(f, i);

		for (size_t k = 0; s && k < s->nframes; k++) {
			const struct tsc_frame *fr = &s->frames[k];

			if (tsc_frame_in_runtime(fr))
				continue;
			if (need_line ? fr->file && fr->line : fr->function != NULL)
				return fr;
		}
	}
	return NULL;
}
