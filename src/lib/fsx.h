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

/* 1 if `name` is safe as one file name: no '/', no NUL, not . or .. */
int	fsx_is_plain_name(const char *name, size_t len);

/* The directory part of `path` with its '/', or "" (caller frees). */
char	*fsx_dirname(const char *path);

/*
 * Takes an exclusive lock on `path` (created if missing) without
 * waiting. Returns the descriptor to keep open while the lock is held,
 * -2 if another process holds it, -1 on error (errno set).
 */
int	fsx_lock(const char *path);

/*
 * Writes `len` bytes into a new file of Maildir `dir` (tmp/ then new/,
 * fsynced, made if missing). 0 or -1 (errno set).
 */
int	fsx_maildir_put(const char *dir, const char *data, size_t len);

#endif
