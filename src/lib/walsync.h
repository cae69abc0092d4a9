/*
 * walsync: group commit for tocsin send. While it runs, the connection
 * commits with synchronous=NORMAL (in WAL mode: no fsync at commit,
 * checkpoints still synced, so the database is never corrupt), and
 * threads of its own make the WAL durable with fdatasync, each sync
 * all the commits made before it began, two syncs at most at once.
 * The sender asks after each commit (walsync_request: the commit's
 * number) and hands a message to SMTP only once walsync_done has
 * reached the number of the commit that marked it sending: durable
 * means on disk, through a power loss, as with synchronous=FULL, but
 * the sessions and the next commits go on while a sync runs instead of
 * waiting behind it.
 */
#ifndef TOCSIN_WALSYNC_H
#define TOCSIN_WALSYNC_H

#include "db.h"

struct walsync;

/*
 * Starts the thread; `wake(arg)` is called from it after each sync (to
 * wake a poll). NULL on failure (logged), the connection unchanged.
 */
struct walsync	*walsync_start(struct db *db, void (*wake)(void *),
		    void *arg);
/* After a commit: its number, to be made durable soon. */
unsigned long	 walsync_request(struct walsync *w);
/* The number up to which commits are durable (0: none yet). */
unsigned long	 walsync_done(struct walsync *w);
/* Whether a commit is not yet durable (a sync under way or due). */
int		 walsync_busy(struct walsync *w);
/*
 * Whether a sync could begin now. A sender commits only then: what
 * comes while both syncs run waits for one anyway, and goes in the next
 * commit, so a commit carries as many outcomes as a sync takes to come;
 * but an outcome that comes while one sync runs has its own begun at
 * once instead of after it.
 */
int		 walsync_has_room(struct walsync *w);
/* Waits until commit `n` (0: every commit so far) is durable. 0, or -1
 * if a sync failed. */
int		 walsync_wait(struct walsync *w, unsigned long n);
/* Whether a sync failed (logged): stop sending. */
int		 walsync_failed(struct walsync *w);
/*
 * Makes every commit durable, stops the thread and puts the connection
 * back to synchronous=FULL. 0, or -1 if a sync failed.
 */
int		 walsync_stop(struct walsync *w);

#endif
