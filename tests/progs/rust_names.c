/* Functions named as rustc names them, for the demangler: the legacy
 * scheme (_ZN...17h<hash>E, read by the C++ demangler, then unescaped and
 * the hash dropped) and the v0 scheme (_R..., shown as it is).  Built
 * without -g, so the names come from the symbol table. */
#include <pthread.h>
#include <stdlib.h>

static pthread_key_t key;

void legacy(void) __asm__("_ZN4demo6worker17h0123456789abcdefE");
void v0(void) __asm__("_RNvCs1234_4demo6worker");

__attribute__((noinline)) void legacy(void)
{
	pthread_setspecific(key, malloc(16));
}

__attribute__((noinline)) void v0(void)
{
	legacy();
}

static void *start(void *arg)
{
	(void)arg;
	v0();
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_key_create(&key, NULL);
	pthread_create(&t, NULL, start, NULL);
	pthread_join(t, NULL);
	pthread_key_delete(key);
	return 0;
}
