/* Keys created and deleted without use leave no K record; a key first used
 * after its delete gets its K and D records then, and its stale-key
 * finding names the create and the delete. */
#include <errno.h>

#include "common.h"

int main(void)
{
	static char a;
	for (int i = 0; i < 100; i++) {
		pthread_key_t k;
		pthread_key_create(&k, free);
		pthread_key_delete(k);
	}
	pthread_key_t used, unused;
	pthread_key_create(&used, NULL);
	pthread_setspecific(used, &a);
	pthread_setspecific(used, NULL);
	pthread_key_delete(used);
	pthread_key_create(&unused, NULL); /* UNUSED-CREATE */
	pthread_key_delete(unused);        /* UNUSED-DELETE */
	int rc = pthread_setspecific(unused, &a); /* UNUSED-USE */
	printf("use after delete: %s\n", rc == EINVAL ? "EINVAL" : "?");
	return 0;
}
