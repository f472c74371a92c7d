/* A small streaming JSON writer for the json and sarif formats: indented,
 * commas handled, strings escaped (bytes that are not UTF-8 become
 * \u00XX so the document stays valid whatever a log held). */
#ifndef TSC_JSON_H
#define TSC_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TSC_JSON_DEPTH 32

struct tsc_json {
	FILE *out;
	int depth;
	bool empty[TSC_JSON_DEPTH];     /* nothing written yet at this depth */
	char close[TSC_JSON_DEPTH];
};

/* KEY is the member name inside an object, NULL inside an array or at the top. */
void tsc_json_init(struct tsc_json *j, FILE *out);
void tsc_json_object(struct tsc_json *j, const char *key);
void tsc_json_array(struct tsc_json *j, const char *key);
void tsc_json_end(struct tsc_json *j);          /* closes the innermost; newline at the top */
void tsc_json_string(struct tsc_json *j, const char *key, const char *s); /* NULL: null */
void tsc_json_uint(struct tsc_json *j, const char *key, uint64_t v);
void tsc_json_bool(struct tsc_json *j, const char *key, bool v);
void tsc_json_null(struct tsc_json *j, const char *key);

/* The length of the valid UTF-8 sequence at S (NUL-terminated), or 0. */
int tsc_utf8_len(const unsigned char *s);
/* NS nanoseconds as microseconds with three decimals (trace-event times). */
void tsc_json_micros(struct tsc_json *j, const char *key, uint64_t ns);

#endif
