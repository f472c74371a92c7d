// A C++ plugin with a thread_local object that has a destructor.
#include <cstdio>

namespace {
struct Counter {
	int n = 0;
	~Counter() { std::fprintf(stderr, "thread_local destroyed after %d uses\n", n); }
};
thread_local Counter counter;
} // namespace

extern "C" int plugin_touch()
{
	return ++counter.n;
}
