/* I/O that is no cancellation point: a thread cancelled inside tsswatch
 * would skip its own bookkeeping.  System calls, not glibc's wrappers. */
#include "tsw.h"

int tsw_open(const char *path, int flags, int mode)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC, mode);
}

ssize_t tsw_read(int fd, void *buf, size_t n)
{
	return syscall(SYS_read, fd, buf, n);
}

ssize_t tsw_write(int fd, const void *buf, size_t n)
{
	return syscall(SYS_write, fd, buf, n);
}

void tsw_close(int fd)
{
	syscall(SYS_close, fd);
}
