/*
 * inbox: reads new mail from the IMAP mailbox and acts on it, in bounded
 * memory: the sizes of up to 500 UIDs first, then batches of at most
 * INBOX_BATCH_BYTES, each fetched with one UID FETCH, a message larger
 * than INBOX_MESSAGE_MAX alone and only its start, classified (classify.h),
 * attributed (by a token that verifies, else by the addresses in a
 * report) and acted on in one transaction that also records how far the
 * mailbox was read; only after the commit are the messages moved to the
 * processed, replies or unknown folder. Every message is remembered by
 * the SHA-256 of its bytes, so a message seen again (a rerun, a run cut
 * off before its moves, a UIDVALIDITY change) is only moved, never acted
 * on twice. Mail is never deleted.
 */
#ifndef TOCSIN_INBOX_H
#define TOCSIN_INBOX_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "conf.h"
#include "db.h"
#include "imap.h"
#include "token.h"

#define INBOX_BATCH		500	/* UIDs per UID FETCH */
/* A UID FETCH takes at most this many bytes of messages... */
#define INBOX_BATCH_BYTES	(4 * 1024 * 1024)
/* ...and a message larger than this is read alone, from its start:
 * a DSN's report, an ARF's or a reply's first words are there. */
#define INBOX_MESSAGE_MAX	(1024 * 1024)
#define INBOX_SOFT_WINDOW_DAYS	30	/* soft bounces older are not counted */

struct inbox_stats {
	size_t	seen;			/* messages fetched */
	size_t	kinds[CLASSIFY_REPLY + 1];
	size_t	again;			/* already acted on: only moved */
	size_t	bounced;		/* subscribers marked bounced */
	size_t	soft;			/* soft bounces counted */
	size_t	complained;
	size_t	unsubscribed;
	size_t	signed_up;		/* new signatures */
	size_t	unattributed;		/* to the unknown folder */
	size_t	moved;
};

/*
 * Processes the mailbox of [imap] mailbox: finishes any moves a previous
 * run left, then every message with a UID past the last one done. 0, or
 * -1 (logged and classed; what committed stays done).
 */
int	inbox_run(struct db *db, const struct conf *c,
	    const struct token_key *key, struct imap *im,
	    struct inbox_stats *st);

#endif
