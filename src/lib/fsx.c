/* fsx: whole-file reads and path checks (see fsx.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsx.h"
#include "xalloc.h"

char *
fsx_read(const char *path, size_t max, size_t *len)
{
	struct stat sb;
	char *data;
	size_t got = 0;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	if (fstat(fd, &sb) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	if (S_ISREG(sb.st_mode) && (size_t)sb.st_size > max) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	data = xmalloc(max + 1);
	for (;;) {
		n = read(fd, data + got, max + 1 - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got > max)
			break;
	}
	saved = n == -1 ? errno : (got > max ? EFBIG : 0);
	close(fd);
	if (saved != 0) {
		free(data);
		errno = saved;
		return NULL;
	}
	data[got] = '\0';
	*len = got;
	return data;
}

int
fsx_is_plain_name(const char *name, size_t len)
{
	if (len == 0 || memchr(name, '/', len) != NULL ||
	    memchr(name, '\0', len) != NULL)
		return 0;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	return 1;
}

char *
fsx_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? xstrndup(path, (size_t)(slash - path) + 1) :
	    xstrdup("");
}
