/* A map from a log's ids (numbers > 0, unique, not necessarily dense) to
 * indexes in the model's arrays. */
#ifndef TSW_IDMAP_H
#define TSW_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct tsw_idmap {
	struct tsw_idslot { uint64_t id; size_t index; } *slots;
	size_t n, cap;          /* cap is 0 or a power of two */
};

/* Returns 0, or -1 when ID is already there. ID must be > 0. */
int tsw_idmap_add(struct tsw_idmap *m, uint64_t id, size_t index);
/* The index stored for ID, or TSW_NONE. */
size_t tsw_idmap_get(const struct tsw_idmap *m, uint64_t id);
void tsw_idmap_free(struct tsw_idmap *m);

#endif
