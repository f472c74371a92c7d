/* One module file opened with elfutils' libdw, asked for the functions,
 * files and lines at its addresses. */
#ifndef TSC_SYMFILE_H
#define TSC_SYMFILE_H

#include <stddef.h>
#include <stdint.h>

/* One function at an address; an address inside inlined code has several,
 * innermost first. */
struct tsc_sym {
	char *function, *file;          /* NULL: unknown */
	unsigned long line;             /* 0: unknown */
};

enum tsc_symfile_state {
	TSC_SYMFILE_OK,
	TSC_SYMFILE_UNREADABLE,         /* not an ELF file libdw can read */
	TSC_SYMFILE_MISSING,            /* no file at that path any more */
	TSC_SYMFILE_CHANGED,            /* its build-id is not the one that ran */
};

struct tsc_symfile;

/* Opens the module at PATH, whose build-id was BUILD_ID (lowercase hex;
 * NULL when the log did not say).  Returns NULL and says why in STATE when
 * its addresses cannot be symbolized. */
struct tsc_symfile *tsc_symfile_open(const char *path, const char *build_id,
				     enum tsc_symfile_state *state);

/* Appends to SYMS the functions at ADDR, an address of the file (the
 * log's offset); for a return address, pass the call's (ADDR - 1).  Names
 * only a function whose code holds ADDR: by DWARF, or by a symbol whose
 * size is known and covers it; otherwise appends one tsc_sym with a NULL
 * function. */
void tsc_symfile_lookup(struct tsc_symfile *sf, uint64_t addr,
			struct tsc_sym **syms, size_t *n, size_t *cap);

void tsc_symfile_close(struct tsc_symfile *sf);

#endif
