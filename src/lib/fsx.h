/*
 * fsx: files read whole, with a ceiling, and paths checked before
 * outside input becomes part of one.
 */
#ifndef TOCSIN_FSX_H
#define TOCSIN_FSX_H

#include <stddef.h>

/*
 * Reads all of `path` (at most `max` bytes) into a NUL-terminated
 * buffer the caller frees. NULL on failure, with errno set (EFBIG when
 * the file is over `max`).
 */
char	*fsx_read(const char *path, size_t max, size_t *len);

/*
 * 1 if `path` is a file only its owner may read, as a password or a key
 * must be; else 0, logged as "WHAT 'PATH' may be read by others: chmod
 * 600 it" (or why it cannot be read, or is no file).
 */
int	fsx_is_private(const char *path, const char *what);

/* 1 if `name` is safe as one file name: no '/', no NUL, not . or .. */
int	fsx_is_plain_name(const char *name, size_t len);

/* The directory part of `path` with its '/', or "" (caller frees). */
char	*fsx_dirname(const char *path);

/* The jobs that run one at a time per database. */
enum fsx_job {
	FSX_JOB_SEND,
	FSX_JOB_INBOX,
};

/*
 * Takes the lock of `job` on the file `path` itself (an open file
 * description lock on one byte far past anything SQLite locks), so
 * that every path to the same file (a symlink, a hard link, another
 * spelling) meets the same lock. Takes it without waiting: returns the
 * descriptor to keep open while the lock is held, -2 if another process
 * holds it, -1 on error (errno set).
 */
int	fsx_lock_job(const char *path, enum fsx_job job);

/*
 * Writes `len` bytes into a new file of Maildir `dir` (tmp/ then new/,
 * fsynced, made if missing). 0 or -1 (errno set).
 */
int	fsx_maildir_put(const char *dir, const char *data, size_t len);

#endif
