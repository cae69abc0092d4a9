/*
 * confirm: the confirmation mails of double opt-in, as deliveries of a
 * confirmation blast (blasts.kind 'confirm'): one per action (the
 * signatures made on its page's form) and one per list (subscriptions
 * asked for on its form or by sub add --confirm). tocsin send sends them
 * like any other delivery, to people on no list yet; their
 * {{confirm_url}} carries a confirm token for the delivery.
 */
#ifndef TOCSIN_CONFIRM_H
#define TOCSIN_CONFIRM_H

#include <sqlite3.h>
#include <time.h>

#include "db.h"

/*
 * The confirmation blast of an action (action_id > 0) or of a list
 * (action_id 0), made with the template `text` the first time it is
 * needed. In the caller's transaction. 0 and *id, or -1.
 */
int	confirm_blast(struct db *db, sqlite3_int64 list_id,
	    sqlite3_int64 action_id, const char *template_name,
	    const char *text, time_t now, sqlite3_int64 *id);

/*
 * Queues the confirmation of `subscriber_id` in the blast, and reopens
 * it. 1 and *delivery_id if queued now, 0 if it was queued before (it is
 * never sent twice), -1.
 */
int	confirm_queue(struct db *db, sqlite3_int64 blast_id,
	    sqlite3_int64 subscriber_id, time_t now,
	    sqlite3_int64 *delivery_id);

#endif
