/* foreign-key: a module deleting a live key that another module created
 * and that it never received.  OpenSSL's and mxml's cleanup, run without
 * their init, delete pthread_key_t 0 from a zero-initialised variable:
 * the key of whichever module created index 0.
 *
 * A module received a key when any of these holds, and its delete is then
 * never reported:
 * - it created the key (the create's calling module);
 * - it is anywhere on the create's stack: a library that creates its keys
 *   through a helper of another module got the index back from it;
 * - it used the key: some thread's first set of a value (or a checked get)
 *   came from a site in it, so the index reached its code;
 * - it is on the stack of a set that gave a thread its value (a helper of
 *   another module set the key for it).
 * The executable is a module like any other: mxml's cleanup deleted the
 * application's own key 0, and an application's cleanup can as well
 * delete a library's key from a variable it never initialised.
 * A create or delete whose caller is libc or the loader is a tail call's
 * trace (a library destructor, run by exit(), that ends in a jump to the
 * delete returns into the loader): who made it is unknown.
 * When in doubt, nothing is reported: a tail call's create or delete, an
 * unknown module (0), a create stack that may be cut short (stack_depth
 * frames), a key used from more modules than we remember. */
#include <string.h>

#include "tsw.h"

#define USERS_MAX 4

/* The modules other than its creator that used each key, by index, for
 * one generation of it. */
struct users {
	uint32_t gen;
	uint8_t n;                /* USERS_MAX + 1: too many to remember */
	uint32_t module[USERS_MAX];
};
static struct users users[TSW_KEYS_MAX];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void tsw_foreign_used(unsigned idx, uint32_t gen, uint32_t module)
{
	if (idx >= TSW_KEYS_MAX || !module)
		return;
	pthread_mutex_lock(&lock);
	struct users *u = &users[idx];
	if (u->gen != gen)
		*u = (struct users){ .gen = gen };
	bool known = false;
	for (unsigned i = 0; i < u->n && i < USERS_MAX; i++)
		known |= u->module[i] == module;
	if (!known && u->n < USERS_MAX)
		u->module[u->n] = module;
	if (!known && u->n <= USERS_MAX)
		u->n++;
	pthread_mutex_unlock(&lock);
}

static bool used_by(unsigned idx, uint32_t gen, uint32_t module)
{
	pthread_mutex_lock(&lock);
	const struct users *u = &users[idx];
	bool used = false;
	if (u->gen == gen) {
		used = u->n > USERS_MAX;
		for (unsigned i = 0; i < u->n && i < USERS_MAX; i++)
			used |= u->module[i] == module;
	}
	pthread_mutex_unlock(&lock);
	return used;
}

/* Whether MODULE is on the stack of the set that bound some thread's
 * value of the key at IDX: it reached the key's code, if not the index. */
static bool on_a_set_stack(unsigned idx, uint32_t module)
{
	bool on = false;
	pthread_mutex_lock(&tsw_reg_lock);
	for (struct tsw_thread *t = tsw_threads; t && !on; t = t->next) {
		struct tsw_slot *s = tsw_slot_of(t, idx, false);
		uint32_t stack = s && __atomic_load_n(&s->set_pc, __ATOMIC_RELAXED) ? tsw_slot_stack(s) : 0;
		on = stack && tsw_stack_lacks_module(stack, module) < 0;
	}
	pthread_mutex_unlock(&tsw_reg_lock);
	return on;
}

bool tsw_foreign_delete(unsigned idx, uint32_t gen, uint32_t creator, uint32_t create_stack,
			uint32_t deleter)
{
	if (idx >= TSW_KEYS_MAX || !creator || !deleter || creator == deleter ||
	    tsw_module_hidden(deleter) || tsw_module_c_runtime(creator) ||
	    tsw_module_c_runtime(deleter))
		return false;
	int frames = tsw_stack_lacks_module(create_stack, deleter);
	if (frames < 0 || frames >= tsw_opt.stack_depth)
		return false;             /* on the stack, or it may be past its end */
	return !used_by(idx, gen, deleter) && !on_a_set_stack(idx, deleter);
}

void tsw_foreign_atfork_child(void)
{
	pthread_mutex_init(&lock, NULL);
}
