/* Keys that a checked get names (check_get=1) and that are deleted never
 * set: each gets its K and its D record, from the first delete at its call
 * site as from the later ones (which enter tsswatch only to log). */
#include "common.h"

int main(void)
{
	for (int i = 0; i < 3; i++) {
		pthread_key_t k;
		pthread_key_create(&k, NULL);
		(void)pthread_getspecific(k);
		pthread_key_delete(k);
	}
	return 0;
}
