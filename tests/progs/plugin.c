/* A plugin that creates a key when loaded and never deletes it. */
#include <pthread.h>

static pthread_key_t plugin_key;

__attribute__((constructor)) static void plugin_load(void)
{
	pthread_key_create(&plugin_key, NULL); /* PLUGIN-KEY */
}
