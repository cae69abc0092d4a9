/*
 * imap: one IMAP session over libetpan, for the inbox. It connects as the
 * config says (imaps://, or imap:// with STARTTLS required unless the
 * config says otherwise and the host is a loopback address), logs in
 * with a password from a file or $TOCSIN_IMAP_PASSWORD, selects the
 * mailbox, reads sizes, fetches by UID in batches with BODY.PEEK[] (so
 * nothing is marked seen; a message's start only when asked) and moves
 * messages to folders, with MOVE where the server
 * has it and COPY, \Deleted and UID EXPUNGE where it has not (a COPY
 * only without UIDPLUS). It never deletes a message that was not copied
 * first, nor one it did not flag. It knows nothing of
 * bounces or the database.
 */
#ifndef TOCSIN_IMAP_H
#define TOCSIN_IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define IMAP_TIMEOUT_SEC	60
#define IMAP_MAILBOX_MAX	256

struct imap;

/* Called for each fetched message; a non-zero return stops the fetch. */
typedef int (*imap_message_fn)(void *arg, uint32_t uid, const char *msg,
    size_t len);

/*
 * Connects and logs in, as [imap] says. NULL on failure, logged and
 * classed: a server that cannot be reached or that fails us is
 * temporary; a refused login or a missing password is config.
 */
struct imap	*imap_open(const struct conf *c);
/* Logs out (if it can) and frees the session. */
void		 imap_close(struct imap *im);

/* Selects the mailbox: 0 with its UIDVALIDITY and UIDNEXT, or -1. */
int	imap_select(struct imap *im, const char *mailbox,
	    uint32_t *uidvalidity, uint32_t *uidnext);

struct imap_size {
	uint32_t	uid;
	uint32_t	size;		/* RFC822.SIZE, in bytes */
};

/*
 * The UIDs in first..last that exist, with their sizes, in UID order,
 * into *sizes (the caller frees it). 0, or -1 (temporary).
 */
int	imap_sizes(struct imap *im, uint32_t first, uint32_t last,
	    struct imap_size **sizes, size_t *n);

/*
 * Fetches the messages whose UIDs are in first..last with one UID FETCH,
 * calling fn for each in UID order: whole, or with head > 0 only their
 * first head bytes (BODY.PEEK[]<0.head>). 0, or -1 (temporary: the
 * connection broke), or the callback's non-zero return.
 */
int	imap_fetch(struct imap *im, uint32_t first, uint32_t last, size_t head,
	    imap_message_fn fn, void *arg);

/*
 * Moves the messages with these UIDs (best ascending: runs go as
 * ranges) to the folder, creating it if it is missing. 0 or -1 (logged).
 * A session is used by one thread at a time.
 */
int	imap_move(struct imap *im, const uint32_t *uids, size_t n,
	    const char *folder);

#endif
