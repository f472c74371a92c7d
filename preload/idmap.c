/* What tsswatch knows of a system id (a pthread_t or a TID): the thread
 * that holds it now, or the last one that did.  Open addressing, grown by
 * doubling; callers hold the registry lock. */
#include <string.h>

#include "tsw.h"

static uint64_t hash(uint64_t id)
{
	return (id * 0x9e3779b97f4a7c15ull) ^ (id >> 29);
}

static bool grow(struct tsw_idmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	struct tsw_identry *e = tsw_alloc(cap * sizeof *e);
	if (!e)
		return false;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->e[i].id)
			continue;
		size_t j = hash(m->e[i].id) & (cap - 1);
		while (e[j].id)
			j = (j + 1) & (cap - 1);
		e[j] = m->e[i];
	}
	tsw_free(m->e, m->cap * sizeof *e);
	m->e = e;
	m->cap = cap;
	return true;
}

struct tsw_identry *tsw_idmap_get(struct tsw_idmap *m, uint64_t id, bool create)
{
	if (!id)
		return NULL;
	if (m->cap) {
		for (size_t j = hash(id) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
			if (m->e[j].id == id)
				return &m->e[j];
			if (!m->e[j].id)
				break;
		}
	}
	if (!create || ((m->used + 1) * 2 > m->cap && !grow(m)))
		return NULL;
	size_t j = hash(id) & (m->cap - 1);
	while (m->e[j].id)
		j = (j + 1) & (m->cap - 1);
	m->used++;
	memset(&m->e[j], 0, sizeof m->e[j]);
	m->e[j].id = id;
	return &m->e[j];
}

void tsw_idmap_clear(struct tsw_idmap *m)
{
	if (m->cap)
		memset(m->e, 0, m->cap * sizeof *m->e);
	m->used = 0;
}
