/* A small streaming JSON writer for the json and sarif formats: indented,
 * commas handled, strings escaped (bytes that are not UTF-8 become
 * \u00XX so the document stays valid whatever a log held). */
#ifndef TSW_JSON_H
#define TSW_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TSW_JSON_DEPTH 32

struct tsw_json {
	FILE *out;
	int depth;
	bool empty[TSW_JSON_DEPTH];     /* nothing written yet at this depth */
	char close[TSW_JSON_DEPTH];
};

/* KEY is the member name inside an object, NULL inside an array or at the top. */
void tsw_json_init(struct tsw_json *j, FILE *out);
void tsw_json_object(struct tsw_json *j, const char *key);
void tsw_json_array(struct tsw_json *j, const char *key);
void tsw_json_end(struct tsw_json *j);          /* closes the innermost; newline at the top */
void tsw_json_string(struct tsw_json *j, const char *key, const char *s); /* NULL: null */
void tsw_json_uint(struct tsw_json *j, const char *key, uint64_t v);
void tsw_json_bool(struct tsw_json *j, const char *key, bool v);
void tsw_json_null(struct tsw_json *j, const char *key);

#endif
