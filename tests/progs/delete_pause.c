/* Preloaded after libtsswatch.so, this is the pthread_key_delete that
 * tsswatch's hook calls as the real one: it calls the program's
 * inside_delete(), when the program has one, before glibc's.  A test so
 * acts while tsswatch has done its part of a delete and glibc not yet. */
#include <dlfcn.h>
#include <pthread.h>

int pthread_key_delete(pthread_key_t key)
{
	void (*inside)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "inside_delete");
	int (*real)(pthread_key_t) = (int (*)(pthread_key_t))dlsym(RTLD_NEXT, "pthread_key_delete");
	if (inside)
		inside();
	return real(key);
}
