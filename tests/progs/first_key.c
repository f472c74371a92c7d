/* Prints the index a program's first key gets: 0, unless a runtime built
 * into it (ASan's) created a key of its own before main. */
#include "common.h"

int main(void)
{
	pthread_key_t k;
	if (pthread_key_create(&k, NULL))
		return 1;
	printf("%u\n", k);
	pthread_key_delete(k);
	return 0;
}
