/* A plugin with a key whose destructor lives in the plugin. */
#include <pthread.h>
#include <stdlib.h>

static pthread_key_t key;

static void plugin_free(void *value)
{
	free(value);
}

pthread_key_t plugin_start(void)
{
	pthread_key_create(&key, plugin_free); /* PLUGIN-CREATE */
	return key;
}

/* The calling thread takes a value of the plugin's. */
void plugin_hold(void)
{
	pthread_setspecific(key, malloc(32)); /* PLUGIN-SET */
}

/* And gives it back. */
void plugin_release(void)
{
	free(pthread_getspecific(key));
	pthread_setspecific(key, NULL);
}

void plugin_stop(void)
{
	pthread_key_delete(key);
}

