// A C++ method's set, to be reported by its demangled name
// (ns::Worker::run()), from DWARF's linkage name or, built without -g,
// from the symbol table.
#include <pthread.h>
#include <cstdlib>

namespace ns {
class Worker {
public:
	explicit Worker(pthread_key_t key) : key_(key) {}
	__attribute__((noinline)) void run();
private:
	pthread_key_t key_;
};

void Worker::run()
{
	pthread_setspecific(key_, std::malloc(32)); // SET
}
}

static void *start(void *arg)
{
	static_cast<ns::Worker *>(arg)->run();
	return nullptr;
}

int main()
{
	pthread_key_t key;
	pthread_t t;

	pthread_key_create(&key, nullptr);
	ns::Worker w(key);
	pthread_create(&t, nullptr, start, &w);
	pthread_join(t, nullptr);
	pthread_key_delete(key);
	return 0;
}
