/* Bug (argument "bug", or "bug-c11" for its C11 twin): a library's
 * cleanup runs without its init and deletes another library's key;
 * "bug-app": the key it deletes is the application's own (mxml#293).
 * Clean twin ("clean"): the library deletes only keys it created itself,
 * created through the owner's helper, was handed and used (by the owner
 * or by the application), or filled through the owner's helper. */
#include <dlfcn.h>
#include <string.h>
#include "common.h"

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	void *owner = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
	void *lib = owner ? dlopen(argv[2], RTLD_NOW) : NULL;
	if (!lib) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	void (*owner_init)(void) = (void (*)(void))xdlsym(owner, "owner_init");
	int (*owner_use)(void) = (int (*)(void))xdlsym(owner, "owner_use");
	void (*owner_fini)(void) = (void (*)(void))xdlsym(owner, "owner_fini");
	int (*owner_make_key)(pthread_key_t *) =
		(int (*)(pthread_key_t *))xdlsym(owner, "owner_make_key");
	void (*lib_init)(void) = (void (*)(void))xdlsym(lib, "lib_init");
	void (*lib_init_by_helper)(void) = (void (*)(void))xdlsym(lib, "lib_init_by_helper");
	void (*lib_take)(pthread_key_t) = (void (*)(pthread_key_t))xdlsym(lib, "lib_take");
	void (*lib_cleanup)(void) = (void (*)(void))xdlsym(lib, "lib_cleanup");

	void (*lib_cleanup_c11)(void) = (void (*)(void))xdlsym(lib, "lib_cleanup_c11");

	if (strcmp(argv[3], "bug-app") == 0) {
		pthread_key_t app_key;
		pthread_key_create(&app_key, NULL); /* APP-CREATE */
		lib_cleanup();
		printf("application's key after the cleanup: %s\n",
		       pthread_setspecific(app_key, &app_key) ? "deleted" : "live");
		return 0;
	}
	owner_init();
	if (strncmp(argv[3], "bug", 3) == 0) {
		(strcmp(argv[3], "bug-c11") == 0 ? lib_cleanup_c11 : lib_cleanup)();
		printf("owner's key after the cleanup: %s\n", owner_use() ? "deleted" : "live");
		return 0;
	}
	lib_init();
	lib_cleanup();
	lib_init_by_helper();
	lib_cleanup();
	pthread_key_t handed;
	owner_make_key(&handed);
	lib_take(handed);
	((int (*)(pthread_key_t *))xdlsym(owner, "owner_make_other_key"))(&handed);
	((void (*)(pthread_key_t))xdlsym(lib, "lib_fill_and_drop"))(handed);
	pthread_key_create(&handed, NULL);
	lib_take(handed);
	printf("owner's key after the cleanup: %s\n", owner_use() ? "deleted" : "live");
	owner_fini();
	return 0;
}
