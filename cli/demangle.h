/* Readable names of C++ and Rust functions from their linkage names. */
#ifndef TSC_DEMANGLE_H
#define TSC_DEMANGLE_H

/* The demangled NAME as a string the caller frees, or a copy of NAME when
 * it is not mangled (C) or mangled in a way this cannot read (Rust's v0
 * scheme, "_R...": shown as it is, which is still right). */
char *tsc_demangle(const char *name);

#endif
