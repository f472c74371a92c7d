/* Bug: a key that is never deleted. */
#include "common.h"

static pthread_key_t key;

int main(void)
{
	pthread_key_create(&key, free); /* NEVER-DELETED */
	return 0;
}
