/* Clean twin of stale_key: a key deleted and created again by the same
 * code (a module reloaded) is the same key to its users. */
#include "common.h"

static pthread_key_t key;

static void open_module(void)
{
	pthread_key_create(&key, NULL);
}

static void use(void *p)
{
	pthread_setspecific(key, p);
}

int main(void)
{
	static char a;
	for (int i = 0; i < 3; i++) {
		open_module();
		use(&a);
		use(NULL);
		pthread_key_delete(key);
	}
	return 0;
}
