/* Functions for hand-written logs to point into: the tests read their
 * offsets with nm, so each function sits on one line of its own. */
#include <stdio.h>

__attribute__((noinline)) void sink(int x) { printf("%d\n", x); }
static inline __attribute__((always_inline)) void inlined_setter(int x) { sink(x); }
__attribute__((noinline)) void set_value(int x) { sink(x); }
__attribute__((noinline)) void create_key(int x) { inlined_setter(x); }
__attribute__((noinline)) void start_thread(int x) { sink(x + 1); }

int main(void)
{
	set_value(1);
	create_key(2);
	start_thread(3);
	return 0;
}
