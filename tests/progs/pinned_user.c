/* A plugin that needs pinned_plugin.so (DT_NEEDED). */
int plugin_touch(void);

int user_touch(void)
{
	return plugin_touch();
}
