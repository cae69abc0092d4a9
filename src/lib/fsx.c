/* fsx: whole-file reads and path checks (see fsx.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fsx.h"
#include "log.h"
#include "xalloc.h"

char *
fsx_read(const char *path, size_t max, size_t *len)
{
	struct stat sb;
	char *data;
	size_t got = 0, cap;
	ssize_t n = 0;
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
	/*
	 * A regular file gets a buffer of its size (plus room to see it
	 * grow); anything else one of the ceiling's size.
	 */
	cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 4096 : max + 1;
	if (cap > max + 1)
		cap = max + 1;
	data = xmalloc(cap + 1);
	for (;;) {
		if (got == cap) {
			if (cap > max)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			data = xreallocarray(data, cap + 1, 1);
		}
		n = read(fd, data + got, cap - got);
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

/* Past SQLite's lock bytes (0x40000000 and on), past any real size. */
#define FSX_JOB_LOCK_BASE	((off_t)1 << 62)

int
fsx_lock_job(const char *path, enum fsx_job job)
{
	struct flock fl;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd == -1)
		return -1;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = FSX_JOB_LOCK_BASE + (off_t)job;
	fl.l_len = 1;
	/* OFD locks: closing another descriptor of the file (SQLite has
	 * its own) does not drop them, as it would a POSIX lock. */
	if (fcntl(fd, F_OFD_SETLK, &fl) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		return saved == EAGAIN || saved == EACCES ? -2 : -1;
	}
	return fd;
}

static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int
fsx_maildir_put(const char *dir, const char *data, size_t len)
{
	static unsigned long seq;
	char tmp[4096], new[4096], sub[4096];
	struct timespec ts;
	int fd, saved;

	snprintf(sub, sizeof(sub), "%s", dir);
	(void)mkdir(sub, 0700);
	snprintf(sub, sizeof(sub), "%s/tmp", dir);
	(void)mkdir(sub, 0700);
	snprintf(sub, sizeof(sub), "%s/new", dir);
	(void)mkdir(sub, 0700);
	snprintf(sub, sizeof(sub), "%s/cur", dir);
	(void)mkdir(sub, 0700);
	clock_gettime(CLOCK_REALTIME, &ts);
	/* The Maildir name: time, a unique part, the host. */
	snprintf(tmp, sizeof(tmp), "%s/tmp/%lld.M%ldP%dQ%lu.tocsin", dir,
	    (long long)ts.tv_sec, ts.tv_nsec / 1000, (int)getpid(), ++seq);
	snprintf(new, sizeof(new), "%s/new/%s", dir, strrchr(tmp, '/') + 1);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	if (write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (close(fd) == -1 || rename(tmp, new) == -1)
		return -1;
	return 0;
}

int
fsx_is_private(const char *path, const char *what)
{
	struct stat sb;

	if (stat(path, &sb) == -1) {
		log_warn("cannot read %s '%s'", what, path);
		return 0;
	}
	if (!S_ISREG(sb.st_mode)) {
		log_warnx("%s '%s' is not a file", what, path);
		return 0;
	}
	if ((sb.st_mode & 077) != 0) {
		log_warnx("%s '%s' may be read by others: chmod 600 it", what,
		    path);
		return 0;
	}
	return 1;
}
