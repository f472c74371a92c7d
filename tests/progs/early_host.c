/* Linked with early_lib.so, whose constructor started a thread before
 * main and before libtsswatch.so initialised. */
#include <stdio.h>

int early_finish(void);

int main(void)
{
	printf("destructors: %d\n", early_finish());
	return 0;
}
