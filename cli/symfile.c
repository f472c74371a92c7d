/* Symbolizing with libdw (dwfl): the DWARF scopes at an address give the
 * function and the functions inlined into it, with the line table's file
 * and line and each inlined call's DW_AT_call_file/line; without DWARF, the
 * symbol table gives a name, but only for an address inside the symbol's
 * size.  A stripped library (libc on a machine without libc6-dbg) has only
 * its exported symbols, and the nearest one before an address inside a
 * static function is someone else: that frame stays unnamed. */
#include "symfile.h"
#include "debuginfo.h"
#include "demangle.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tsc_symfile {
	Dwfl *dwfl;
	Dwfl_Module *mod;
};

struct tsc_symfile *tsc_symfile_open(const char *path, const char *build_id,
				     enum tsc_symfile_state *state)
{
	struct tsc_symfile *sf;
	struct stat st;
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n;

	*state = TSC_SYMFILE_MISSING;
	if (stat(path, &st))
		return NULL;
	/* a log names any path: never open a FIFO or a device */
	*state = TSC_SYMFILE_UNREADABLE;
	if (!S_ISREG(st.st_mode) || access(path, R_OK))
		return NULL;
	sf = tsc_calloc(1, sizeof *sf);
	sf->dwfl = dwfl_begin(tsc_debuginfo_callbacks());
	if (!sf->dwfl) {
		free(sf);
		return NULL;
	}
	/* One Dwfl per file, at bias 0: addresses are the log's offsets, and
	 * a file shared by many processes is read once. */
	dwfl_report_begin(sf->dwfl);
	sf->mod = dwfl_report_elf(sf->dwfl, tsc_basename(path), path, -1, 0, false);
	dwfl_report_end(sf->dwfl, NULL, NULL);
	if (!sf->mod) {
		tsc_symfile_close(sf);
		return NULL;
	}
	n = dwfl_module_build_id(sf->mod, &bits, &vaddr);
	if (build_id) {
		bool same = n > 0 && strlen(build_id) == 2 * (size_t)n;

		for (int i = 0; same && i < n; i++) {
			char hex[3];

			snprintf(hex, sizeof hex, "%02x", bits[i]);
			same = !memcmp(build_id + 2 * i, hex, 2);
		}
		if (!same) {
			*state = TSC_SYMFILE_CHANGED;
			tsc_symfile_close(sf);
			return NULL;
		}
	}
	*state = TSC_SYMFILE_OK;
	return sf;
}

void tsc_symfile_close(struct tsc_symfile *sf)
{
	if (sf->dwfl)
		dwfl_end(sf->dwfl);
	free(sf);
}

/* A function DIE's name: its linkage name demangled (C++ and Rust names
 * with their namespaces), else DW_AT_name (C), both through
 * abstract_origin and specification. */
static char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	const char *linkage = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_linkage_name, &a));
	const char *name = dwarf_diename(die);

	if (!linkage)
		linkage = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &a));
	/* Rust's v0 names are not read by the C++ demangler: the plain
	 * name is better than the mangled one */
	if (linkage && (strncmp(linkage, "_R", 2) || !name))
		return tsc_demangle(linkage);
	return name ? tsc_strdup(name) : NULL;
}

/* FILE as the compiler was given it, under the directory it ran in when
 * that was relative (what addr2line prints). */
static void push(struct tsc_sym **syms, size_t *n, size_t *cap, char *function,
		 const char *file, const char *comp_dir, unsigned long line)
{
	char *path = !file ? NULL : file[0] == '/' || !comp_dir ? tsc_strdup(file)
		: tsc_asprintf("%s/%s", comp_dir, file);

	TSC_GROW(*syms, *n, *cap);
	(*syms)[(*n)++] = (struct tsc_sym){ .function = function, .file = path,
					    .line = file ? line : 0 };
}

/* Where an inlined call was made: its DW_AT_call_file and call_line. */
static void call_site(Dwarf_Die *cu, Dwarf_Die *inlined, const char **file, int *line)
{
	Dwarf_Attribute a;
	Dwarf_Word idx = 0, l = 0;
	Dwarf_Files *files;
	size_t nfiles;

	*file = NULL;
	*line = 0;
	if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &a), &idx) ||
	    dwarf_getsrcfiles(cu, &files, &nfiles) || idx >= nfiles)
		return;
	*file = dwarf_filesrc(files, idx, NULL, NULL);
	if (!dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &a), &l))
		*line = (int)l;
}

void tsc_symfile_lookup(struct tsc_symfile *sf, uint64_t addr,
			struct tsc_sym **syms, size_t *n, size_t *cap)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die *cu = dwfl_module_addrdie(sf->mod, addr, &bias);
	Dwarf_Die *scopes = NULL;
	int nscopes = cu ? dwarf_getscopes(cu, addr - bias, &scopes) : 0;
	Dwfl_Line *src = dwfl_module_getsrc(sf->mod, addr);
	const char *file = NULL, *comp_dir = NULL;
	Dwarf_Attribute a;
	int line = 0;
	bool named = false;

	if (src) {
		file = dwfl_lineinfo(src, NULL, &line, NULL, NULL, NULL);
		comp_dir = dwfl_line_comp_dir(src);
	}
	if (cu && !comp_dir)
		comp_dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a));
	/* dwarf_getscopes follows an inlined function's abstract definition
	 * outwards; the calls it was inlined into are the concrete nesting
	 * of its DIE, which dwarf_getscopes_die gives. */
	for (int i = 0; i < nscopes && !named; i++) {
		int tag = dwarf_tag(&scopes[i]);
		Dwarf_Die *chain = NULL;
		int nchain;

		if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine)
			continue;
		nchain = dwarf_getscopes_die(&scopes[i], &chain);
		for (int k = 0; k < nchain; k++) {
			tag = dwarf_tag(&chain[k]);
			if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine)
				continue;
			push(syms, n, cap, die_name(&chain[k]), file, comp_dir,
			     line > 0 ? (unsigned long)line : 0);
			named = true;
			if (tag == DW_TAG_subprogram)
				break;
			call_site(cu, &chain[k], &file, &line);
		}
		free(chain);
	}
	free(scopes);
	if (!named) {
		GElf_Off off = 0;
		GElf_Sym sym;
		const char *name = dwfl_module_addrinfo(sf->mod, addr, &off, &sym,
							NULL, NULL, NULL);
		bool inside = name && sym.st_size > 0 && off < sym.st_size;

		push(syms, n, cap, inside ? tsc_demangle(name) : NULL, file, comp_dir,
		     line > 0 ? (unsigned long)line : 0);
	}
}
