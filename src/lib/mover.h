/*
 * mover: moves the inbox's messages to their folders once their batch
 * has committed. Dovecot takes about as long to move a message as the
 * inbox takes to fetch, classify and record one, and a MOVE command has
 * a cost of its own (about 13 ms here) besides. So the moves run on a
 * second IMAP session, in a thread of their own, while the reader goes
 * on to the next batch; and what queued while one MOVE ran goes as one
 * MOVE per folder next. Where a second session cannot be had, the moves
 * run on the reading session, in turn, as they are put.
 *
 * A move that never happens loses nothing: the message stays in the
 * mailbox with its row not marked moved, and the next run moves it.
 */
#ifndef TOCSIN_MOVER_H
#define TOCSIN_MOVER_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "imap.h"

#define MOVER_SET_MAX	2000	/* UIDs per MOVE: the line stays short */
#define MOVER_LAG_MAX	20000	/* queued moves before put waits */

struct move {
	uint32_t	 uid;
	const char	*folder;	/* lives as long as the mover */
};

struct mover;

/*
 * Starts moving for the mailbox that `reader` has selected with this
 * UIDVALIDITY: on a second session of [imap] when one opens and selects
 * the same mailbox, else on `reader` itself. Never NULL.
 */
struct mover	*mover_start(const struct conf *c, struct imap *reader,
		    const char *mailbox, uint32_t uidvalidity);
/*
 * Queues moves (the array is copied). 0, or -1 once a move has failed
 * (logged and classed): the moves not done are left to the next run.
 */
int		 mover_put(struct mover *m, const struct move *moves,
		    size_t n);
/* The UIDs moved since the last call (free them), and their count. */
uint32_t	*mover_take(struct mover *m, size_t *n);
/*
 * Waits for the queued moves, ends the second session and frees the
 * mover; *moved gets what mover_take would (free it). 0, or -1 when a
 * move failed.
 */
int		 mover_stop(struct mover *m, uint32_t **moved, size_t *n);

#endif
