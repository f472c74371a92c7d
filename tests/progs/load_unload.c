/* Loads the library named by argv[1] and unloads it: its constructor and
 * destructor run inside the loader. */
#include <dlfcn.h>
#include "common.h"

int main(int argc, char **argv)
{
	void *h = argc > 1 ? dlopen(argv[1], RTLD_NOW) : NULL;
	if (!h) {
		fprintf(stderr, "%s\n", argc > 1 ? dlerror() : "usage: load_unload LIB");
		return 1;
	}
	dlclose(h);
	printf("unloaded\n");
	return 0;
}
