/*
 * forward: human replies sent on to the list's reply-to address (list
 * create --reply-to), so a person reads them where the group reads its
 * mail and can answer the writer directly: the forward's Reply-To is
 * the writer. The inbox queues one when it keeps a reply whose token
 * named the list; tocsin send sends the queue through the relay, each
 * marked 'sending' and committed before SMTP sees it, as deliveries are.
 */
#ifndef TOCSIN_FORWARD_H
#define TOCSIN_FORWARD_H

#include <sqlite3.h>
#include <time.h>

#include "compose.h"
#include "db.h"
#include "smtp.h"

/*
 * Queues reply `reply_id` for the list's reply-to address, in the
 * caller's transaction. 1 queued, 0 the list has none, -1.
 */
int	forward_queue(struct db *db, sqlite3_int64 reply_id,
	    sqlite3_int64 list_id, time_t now);

/* How many forwards are due now, or -1. */
long long forward_due(struct db *db, time_t now);

/*
 * Sends the due forwards over session 0 of `pool`, one at a time. The
 * count sent, or -1 (logged). *unavailable is set when the relay could
 * not be reached: the rest waits for a later run.
 */
int	forward_run(struct db *db, const struct sender *s,
	    struct smtp_pool *pool, int *unavailable);

#endif
