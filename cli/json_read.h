/* A small JSON reader for what the CLI takes back in (a baseline report):
 * the whole document as a tree, strings decoded to UTF-8.  Strict RFC 8259;
 * a bounded depth, so no input can exhaust the stack. */
#ifndef TSC_JSON_READ_H
#define TSC_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

#define TSC_JV_DEPTH 64

enum tsc_jtype { TSC_JNULL, TSC_JBOOL, TSC_JNUMBER, TSC_JSTRING, TSC_JARRAY, TSC_JOBJECT };

struct tsc_jv {
	enum tsc_jtype type;
	bool boolean;
	char *str;              /* TSC_JSTRING (never holds a NUL); TSC_JNUMBER's text */
	char *key;              /* the member's name, inside an object */
	struct tsc_jv *items;   /* an array's elements, an object's members */
	size_t n, cap;
};

/* Parses TEXT[0..LEN) into ROOT; 0, or -1 with "line N: what went wrong" in
 * ERR.  ROOT is to be freed with tsc_jv_free() either way. */
int tsc_jv_parse(const char *text, size_t len, struct tsc_jv *root, char *err, size_t errsize);
void tsc_jv_free(struct tsc_jv *v);

/* The member KEY of OBJ (the first of that name); NULL when OBJ is not an
 * object or has none. */
const struct tsc_jv *tsc_jv_member(const struct tsc_jv *obj, const char *key);
/* Its value when it is a string, else NULL. */
const char *tsc_jv_string(const struct tsc_jv *obj, const char *key);

#endif
