/* Bug: loads and unloads a plugin 50 times (or argv[2]); each load burns
 * a key. */
#include <dlfcn.h>
#include "common.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int loads = argc > 2 ? atoi(argv[2]) : 50;
	for (int i = 0; i < loads; i++) {
		void *h = dlopen(argv[1], RTLD_NOW);
		if (!h) {
			fprintf(stderr, "%s\n", dlerror());
			return 1;
		}
		dlclose(h);
	}
	return 0;
}
