/*
 * sendq: the deliveries of blasts as a queue, in the database. The
 * sender marks a delivery 'sending' and commits before it gives it to
 * SMTP, and records the outcome after; a 'sending' row found by the next
 * run (the last sender died mid-message) becomes 'unknown': it may have
 * been delivered, so it is reported and resent only when asked.
 */
#ifndef TOCSIN_SENDQ_H
#define TOCSIN_SENDQ_H

/*
 * The condition of the partial index deliveries_todo (migration 0015):
 * a query over the deliveries still to finish names it word for word,
 * so that SQLite can see the index serves it.
 */
#define SENDQ_TODO "(state = 'queued' OR state = 'sending' OR state = " \
	"'deferred')"
#define SENDQ_TODO_D "(d.state = 'queued' OR d.state = 'sending' OR " \
	"d.state = 'deferred')"

#include <sqlite3.h>
#include <time.h>

#include "db.h"
#include "people.h"
#include "smtp.h"

#define SENDQ_BATCH		256	/* deliveries read at a time */
#define SENDQ_LIFETIME_SEC	(3 * 24 * 3600)	/* then a deferral fails */
#define SENDQ_BACKOFF_FIRST_SEC	300	/* doubling after each try */
#define SENDQ_BACKOFF_MAX_SEC	(6 * 3600)

/*
 * A delivery's states, as the deliveries table writes them. Deliveries
 * are made queued (blast.c, confirm.c) and a forgotten person's still
 * to send are skipped (person.c); every other change is sendq.c's, and
 * all but the two recoveries go through its change_state, which checks
 * the row is in the state this sender last saw (else another program
 * writes deliveries: the sender stops):
 *
 *   queued, deferred -> sending	sendq_mark_sending, before SMTP
 *   sending -> sent, deferred,		sendq_record: the relay's answer
 *     failed, unknown			  (or a DKIM signature failed)
 *   queued, deferred -> deferred,	sendq_record: not rendered, so
 *     failed				  never sent
 *   sending -> queued, deferred	sendq_record: the relay was
 *					  unavailable: no attempt made
 *   queued, deferred -> skipped	sendq_mark_skipped
 *   failed -> queued			sendq_requeue (the breaker)
 *   sending -> unknown			sendq_recover, after a crash
 *   unknown -> queued			sendq_requeue_unknown
 *
 * Each outcome (sent, deferred, failed, unknown, skipped) logs one line
 * "blast= delivery= subscriber= result= code= reply=". Queries that
 * read states name them as SQL literals (SENDQ_TODO must).
 *
 * Every change is made in the caller's transaction, and is durable
 * only when the caller commits it (send.c's step does, once a step).
 */
enum delivery_state {
	DELIVERY_QUEUED,
	DELIVERY_SENDING,	/* handed to a session: its fate not known */
	DELIVERY_SENT,
	DELIVERY_DEFERRED,	/* a 4xx: tried again later */
	DELIVERY_FAILED,
	DELIVERY_UNKNOWN,	/* in flight when a sender died */
	DELIVERY_SKIPPED,	/* no longer wanted when its turn came */
};

extern const char *const sendq_state_names[];

struct sendq_item {
	sqlite3_int64	 delivery_id;
	sqlite3_int64	 subscriber_id;
	enum delivery_state state;	/* as this sender last wrote it */
	int		 attempts;	/* before this one */
	char		*email;
	char		*first_name;
	char		*last_name;
	char		*fields;
};

struct sendq {
	struct db		*db;
	sqlite3_int64		 blast_id;
	sqlite3_int64		 list_id;
	sqlite3_int64		 action_id;	/* 0: none */
	time_t			 started_at;
	sqlite3_int64		 after;		/* the last delivery read */
	/* confirmations: no list needed */
	int			 confirm;
	struct sendq_item	 items[SENDQ_BATCH];
	size_t			 nitems;
	size_t			 next;
	sqlite3_stmt		*read;
	sqlite3_stmt		*wanted;
	sqlite3_stmt		*change;
	sqlite3_stmt		*state;
	sqlite3_stmt		*unsuppressed;
	sqlite3_stmt		*repeat;
	sqlite3_stmt		*today;
	struct people_bouncer	 bouncer;
};

/*
 * Turns every 'sending' delivery into 'unknown' and reports them by
 * blast. Only for the holder of the send lock. Returns how many.
 */
int	sendq_recover(struct db *db);
/*
 * Turns the 'unknown' deliveries of a blast (of all, with 0) back into
 * 'queued', and reopens blasts that were done. Count or -1.
 */
int	sendq_requeue_unknown(struct db *db, sqlite3_int64 blast_id);

#define SENDQ_NOW	1	/* `only` goes before its time */
#define SENDQ_DRAFTS	2	/* `only` may be a draft (a dry run) */

/*
 * Blasts due now (or just `only`, as `flags` allow; never a draft
 * otherwise), in order. Count, or -1.
 */
int	sendq_due(struct db *db, sqlite3_int64 only, int flags,
	    sqlite3_int64 *ids, int max);
/*
 * Says why blast `id` is not due: a draft (FAIL_DATA), due later (on
 * stdout: not an error), paused, cancelled or done (FAIL_DATA). 0 or -1.
 */
int	sendq_why_not(struct db *db, sqlite3_int64 id);

/* Opens a blast's queue; changes nothing (a dry run uses it too). */
int	sendq_open(struct sendq *q, struct db *db, sqlite3_int64 blast_id);
/* How many deliveries are to try now: queued, or deferred and due. */
long long sendq_pending(struct sendq *q, time_t now);

/* Records when the blast started sending, the first time. */
int	sendq_start(struct sendq *q);
void	sendq_close(struct sendq *q);

/*
 * Moves the next delivery to try into *it (the caller releases it):
 * 1, 0 when none is left now, -1.
 */
int	sendq_next(struct sendq *q, time_t now, struct sendq_item *it);
void	sendq_item_release(struct sendq_item *it);
/* Whether the blast is still scheduled (not paused, cancelled): 1, 0, -1. */
int	sendq_is_scheduled(struct sendq *q);
/*
 * Makes sendq_next read again from `delivery_id` on, for a delivery put
 * back in this run (its relay was unavailable) that another can carry.
 */
void	sendq_rewind(struct sendq *q, sqlite3_int64 delivery_id);

/*
 * Whether the recipient is still subscribed and not suppressed: 1, 0,
 * -1. A confirmation (q->confirm) goes to someone on no list yet: only
 * not suppressed. In the caller's transaction.
 */
int	sendq_still_wanted(struct sendq *q, const struct sendq_item *it);
int	sendq_mark_sending(struct sendq *q, struct sendq_item *it,
	    time_t now, const char *message_id, const char *relay);
/* Messages `relay` took since `since` (for an hourly cap), or -1. */
long long sendq_relay_used(struct db *db, const char *relay, time_t since);
/* Skipped, and why ("no longer subscribed", ...): it stays in the row. */
int	sendq_mark_skipped(struct sendq *q, struct sendq_item *it,
	    time_t now, const char *why);
/*
 * Whether the person already had enough: the same action's alert from
 * another blast within `days` days (sent, in flight or unknown), or
 * `per_day` blasts in the last 24 hours (0 turns either off). 1 with
 * *why set, 0 send, -1. Confirmations are never held back.
 */
int	sendq_had_enough(struct sendq *q, const struct sendq_item *it,
	    time_t now, long days, long per_day, char *why, size_t whysize);
/*
 * Records a result: sent, deferred (4xx, retried with backoff for the
 * queue lifetime), failed (5xx), unknown, or put back (unavailable).
 * A refusal bounces nobody here: see sendq_bounce.
 */
int	sendq_record(struct sendq *q, struct sendq_item *it,
	    const struct smtp_result *r, time_t now);
/*
 * Bounces the subscriber on every list, with an event naming the
 * relay's reply: for a refusal at RCPT of a dead mailbox (refusal.h).
 */
int	sendq_bounce(struct sendq *q, sqlite3_int64 delivery_id,
	    sqlite3_int64 subscriber_id, long code, const char *reply,
	    time_t now);
/* A failed delivery back to queued: the breaker took back its verdict. */
int	sendq_requeue(struct sendq *q, sqlite3_int64 delivery_id);
/* Pauses the blast, saying why (shown by tocsin blast show). */
int	sendq_pause(struct sendq *q, const char *why, time_t now);

/* Marks the blast done when nothing is left to try. 1 if done now. */
int	sendq_finish(struct sendq *q, time_t now);

#endif
