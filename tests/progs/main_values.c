/* The main thread keeps values in keys and its dictionary at exit; with
 * MAIN_EXIT set it leaves by pthread_exit instead of returning. */
#include <tsswatch.h>
#include "common.h"

static pthread_key_t key;

int main(void)
{
	pthread_key_create(&key, NULL);
	pthread_setspecific(key, xmalloc(40)); /* MAIN-SET */
	tsswatch_set("main.cache", xmalloc(8), NULL); /* MAIN-DICT */
	if (getenv("MAIN_EXIT"))
		pthread_exit(NULL);
	return 0;
}
