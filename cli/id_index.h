/* A map from a log's ids (numbers > 0, unique, not necessarily dense) to
 * indexes in the model's arrays. */
#ifndef TSC_ID_INDEX_H
#define TSC_ID_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct tsc_idmap {
	struct tsc_idslot { uint64_t id; size_t index; } *slots;
	size_t n, cap;          /* cap is 0 or a power of two */
};

/* Returns 0, or -1 when ID is already there. ID must be > 0. */
int tsc_idmap_add(struct tsc_idmap *m, uint64_t id, size_t index);
/* The index stored for ID, or TSC_NONE. */
size_t tsc_idmap_get(const struct tsc_idmap *m, uint64_t id);
void tsc_idmap_free(struct tsc_idmap *m);

#endif
