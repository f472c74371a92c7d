#include "id_index.h"
#include "util.h"

#include <stdlib.h>

static size_t slot_of(uint64_t id, size_t cap)
{
	id ^= id >> 33;         /* ids are often sequential: spread them */
	id *= 0xff51afd7ed558ccdULL;
	id ^= id >> 33;
	return (size_t)id & (cap - 1);
}

static void put(struct tsc_idslot *slots, size_t cap, uint64_t id, size_t index)
{
	size_t i = slot_of(id, cap);

	while (slots[i].id)
		i = (i + 1) & (cap - 1);
	slots[i].id = id;
	slots[i].index = index;
}

int tsc_idmap_add(struct tsc_idmap *m, uint64_t id, size_t index)
{
	if (tsc_idmap_get(m, id) != TSC_NONE)
		return -1;
	if (2 * (m->n + 1) > m->cap) {  /* keep it at most half full */
		size_t cap = m->cap ? 2 * m->cap : 16;
		struct tsc_idslot *slots = tsc_calloc(cap, sizeof *slots);

		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].id)
				put(slots, cap, m->slots[i].id, m->slots[i].index);
		free(m->slots);
		m->slots = slots;
		m->cap = cap;
	}
	put(m->slots, m->cap, id, index);
	m->n++;
	return 0;
}

size_t tsc_idmap_get(const struct tsc_idmap *m, uint64_t id)
{
	if (!m->cap || !id)
		return TSC_NONE;
	for (size_t i = slot_of(id, m->cap); m->slots[i].id; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].id == id)
			return m->slots[i].index;
	return TSC_NONE;
}

void tsc_idmap_free(struct tsc_idmap *m)
{
	free(m->slots);
	*m = (struct tsc_idmap){0};
}
