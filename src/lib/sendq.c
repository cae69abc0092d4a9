/* sendq: the delivery queue of blasts (see sendq.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "people.h"
#include "reltime.h"
#include "sendq.h"
#include "xalloc.h"

static const char *const state_names[] = {
	[DELIVERY_QUEUED] = "queued",
	[DELIVERY_SENDING] = "sending",
	[DELIVERY_SENT] = "sent",
	[DELIVERY_DEFERRED] = "deferred",
	[DELIVERY_FAILED] = "failed",
	[DELIVERY_UNKNOWN] = "unknown",
	[DELIVERY_SKIPPED] = "skipped",
};

/*
 * The one line a delivery's outcome gets in the log, so that grep
 * delivery=ID tells its story. The recipient is their subscriber id:
 * their address, where the relay's reply repeats it, becomes <rcpt>.
 */
static void
log_outcome(const struct sendq *q, const struct sendq_item *it,
    enum delivery_state state, long code, const char *reply)
{
	char text[SMTP_REPLY_MAX], *at;
	size_t n = it->email != NULL ? strlen(it->email) : 0, k;
	const char *as;

	snprintf(text, sizeof(text), "%s", reply != NULL ? reply : "");
	/* (what replaces it has no @: the loop ends) */
	while (n > 0 && (at = strcasestr(text, it->email)) != NULL) {
		/* "<ann@x.org>" becomes "<rcpt>", a bare "ann@x.org" too */
		as = at > text && at[-1] == '<' && at[n] == '>' ? "rcpt" :
		    "<rcpt>";
		k = strlen(as);
		memmove(at + k, at + n, strlen(at + n) + 1);
		memcpy(at, as, k);
	}
	log_info("blast=%lld delivery=%lld subscriber=%lld result=%s code=%ld "
	    "reply=\"%s\"", (long long)q->blast_id, (long long)it->delivery_id,
	    (long long)it->subscriber_id, state_names[state], code, text);
}

/* What a change of state writes beside the state; KEEP keeps the rest. */
struct change {
	enum delivery_state	 to;
	int			 attempt;	/* +1 begun, -1 taken back */
	long			 code;		/* the relay's reply code */
	const char		*reply;		/* or why it was skipped */
	time_t			 next_try_at;
	time_t			 at;		/* updated_at */
	const char		*message_id;
	const char		*relay;
};
#define KEEP { DELIVERY_QUEUED, 0, -1, NULL, -1, -1, NULL, NULL }

static void
bind_kept(sqlite3_stmt *st, int i, sqlite3_int64 v)
{
	if (v == -1)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/*
 * The one change of a delivery's state (the table in sendq.h), in the
 * caller's transaction. It applies only if the row is still in the
 * state this sender last saw; an outcome (a change that says why) logs
 * its line.
 */
static int
change_state(struct sendq *q, struct sendq_item *it, const struct change *c)
{
	sqlite3_stmt *st = q->change;

	/* (the names are static: no copy of them for every message) */
	sqlite3_bind_int64(st, 1, it->delivery_id);
	sqlite3_bind_text(st, 2, state_names[it->state], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, state_names[c->to], -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, c->attempt);
	bind_kept(st, 5, c->code);
	db_bind_text(st, 6, c->reply);
	bind_kept(st, 7, (sqlite3_int64)c->next_try_at);
	bind_kept(st, 8, (sqlite3_int64)c->at);
	db_bind_text(st, 9, c->message_id);
	db_bind_text(st, 10, c->relay);
	if (db_step_done(q->db, st, "cannot change a delivery's state") == -1)
		return -1;
	/* Only another process could have changed it under our lock. */
	if (sqlite3_changes(q->db->handle) != 1) {
		log_warnx("delivery %lld changed under this sender (is another "
		    "program writing deliveries?): stopping; run again later",
		    (long long)it->delivery_id);
		fail_set(FAIL_TEMP);
		return -1;
	}
	if (c->reply != NULL)
		log_outcome(q, it, c->to, c->code == -1 ? 0 : c->code,
		    c->reply);
	it->state = c->to;
	return 0;
}

int
sendq_why_not(struct db *db, sqlite3_int64 id)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT draft, state, due_at FROM "
	    "blasts WHERE id = ?1");
	char due[48];
	int r;

	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(db, st, "cannot read the blast");
	if (r == 0) {
		log_warnx("no blast %lld (see 'tocsin blast ls')",
		    (long long)id);
		fail_set(FAIL_DATA);
	} else if (r == 1 && sqlite3_column_int(st, 0)) {
		log_warnx("blast %lld is a draft: 'tocsin blast schedule %lld' "
		    "makes it due (and 'tocsin send --dry-run' shows it)",
		    (long long)id, (long long)id);
		fail_set(FAIL_DATA);
	} else if (r == 1 && strcmp(db_column_text(st, 1), "scheduled") == 0) {
		reltime_zoned(due, sizeof(due),
		    (time_t)sqlite3_column_int64(st, 2));
		printf("blast %lld is due %s, not yet: nothing sent ('tocsin "
		    "send --now %lld' sends it now)\n", (long long)id, due,
		    (long long)id);
	} else if (r == 1) {
		log_warnx("blast %lld is %s: nothing to send (see 'tocsin "
		    "blast show %lld')", (long long)id, db_column_text(st, 1),
		    (long long)id);
		fail_set(FAIL_DATA);
	}
	sqlite3_finalize(st);
	return r == -1 ? -1 : 0;
}

int
sendq_recover(struct db *db)
{
	sqlite3_stmt *st;
	int r, total = 0;

	st = db_prepare(db, "UPDATE deliveries SET state = 'unknown', "
	    "smtp_reply = 'in flight when a sender stopped', updated_at = "
	    "?1 WHERE " SENDQ_TODO " AND state = 'sending' RETURNING blast_id");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	for (;;) {
		r = db_step_row(db, st, "cannot recover deliveries");
		if (r != 1)
			break;
		total++;
		log_warnx("blast %lld: a message was in flight when the last "
		    "sender stopped: it is 'unknown', maybe delivered (see "
		    "tocsin blast show %lld; send --resend-unknown resends)",
		    sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 0));
	}
	sqlite3_finalize(st);
	return r == -1 ? -1 : total;
}

int
sendq_requeue_unknown(struct db *db, sqlite3_int64 blast_id)
{
	sqlite3_stmt *st;
	int r, n = -1;

	if (db_begin(db) == -1)
		return -1;
	st = db_prepare(db, "UPDATE deliveries SET state = 'queued' WHERE "
	    "state = 'unknown' AND (?1 IS NULL OR blast_id = ?1)");
	db_bind_positive(st, 1, blast_id);
	r = db_step_done(db, st, "cannot requeue deliveries");
	sqlite3_finalize(st);
	if (r == 0) {
		n = sqlite3_changes(db->handle);
		/* A blast done but for its unknowns has work again. */
		st = db_prepare(db, "UPDATE blasts SET state = 'scheduled', "
		    "finished_at = NULL WHERE state = 'done' AND id IN (SELECT "
		    "blast_id FROM deliveries WHERE " SENDQ_TODO " AND state "
		    "= 'queued')");
		r = db_step_done(db, st, "cannot reopen blasts");
		sqlite3_finalize(st);
	}
	if (r == -1 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return n;
}

int
sendq_due(struct db *db, sqlite3_int64 only, int flags, sqlite3_int64 *ids,
    int max)
{
	sqlite3_stmt *st;
	int r = 0, n = 0;

	/* Due blasts, never drafts; one named with --now goes before its
	 * time. Never when paused, cancelled or done. */
	st = db_prepare(db, "SELECT id FROM blasts WHERE state = 'scheduled' "
	    "AND (draft = 0 OR (?1 IS NOT NULL AND ?4)) AND (?1 IS NULL OR "
	    "id = ?1) AND (due_at <= ?2 OR (?1 IS NOT NULL AND ?3)) ORDER "
	    "BY due_at, id");
	db_bind_positive(st, 1, only);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	sqlite3_bind_int(st, 3, (flags & SENDQ_NOW) != 0);
	sqlite3_bind_int(st, 4, (flags & SENDQ_DRAFTS) != 0);
	while (n < max) {
		r = db_step_row(db, st, "cannot find due blasts");
		if (r != 1)
			break;
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return r == -1 ? -1 : n;
}

int
sendq_open(struct sendq *q, struct db *db, sqlite3_int64 blast_id)
{
	sqlite3_stmt *st;
	int r;

	memset(q, 0, sizeof(*q));
	q->db = db;
	q->blast_id = blast_id;
	st = db_prepare(db, "SELECT list_id, coalesce(started_at, ?2), "
	    "coalesce(action_id, 0) FROM blasts WHERE id = ?1");
	sqlite3_bind_int64(st, 1, blast_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	r = db_step_row(db, st, "cannot read the blast");
	if (r == 1) {
		q->list_id = sqlite3_column_int64(st, 0);
		q->started_at = (time_t)sqlite3_column_int64(st, 1);
		q->action_id = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (r != 1)
		return -1;
	q->read = db_prepare(db, "SELECT d.id, d.subscriber_id, d.attempts, "
	    "d.state = 'deferred', s.email, s.first_name, s.last_name, "
	    "s.fields FROM deliveries d JOIN subscribers s ON s.id = "
	    "d.subscriber_id WHERE d.blast_id = ?1 AND d.id > ?2 AND "
	    SENDQ_TODO_D " AND (d.state = 'queued' OR (d.state = 'deferred' "
	    "AND d.next_try_at <= ?3)) ORDER BY d.id LIMIT ?4");
	q->wanted = db_prepare(db, "SELECT m.status = 'subscribed' AND NOT "
	    "EXISTS (SELECT 1 FROM suppressions x JOIN subscribers s ON "
	    "x.email = s.email WHERE s.id = ?2) FROM memberships m "
	    "WHERE m.list_id = ?1 AND m.subscriber_id = ?2");
	q->change = db_prepare(db, "UPDATE deliveries SET state = ?3, attempts "
	    "= attempts + ?4, smtp_code = coalesce(?5, smtp_code), smtp_reply "
	    "= coalesce(?6, smtp_reply), next_try_at = coalesce(?7, "
	    "next_try_at), updated_at = coalesce(?8, updated_at), message_id "
	    "= coalesce(?9, message_id), relay = coalesce(?10, relay) WHERE "
	    "id = ?1 AND state = ?2");
	q->repeat = db_prepare(db, "SELECT d.blast_id FROM deliveries d JOIN "
	    "blasts b ON b.id = d.blast_id WHERE d.subscriber_id = ?1 AND "
	    "b.action_id = ?2 AND b.id != ?3 AND b.kind = 'alert' AND d.state "
	    "IN ('sent', 'sending', 'unknown') AND d.updated_at > ?4 LIMIT 1");
	q->today = db_prepare(db, "SELECT count(*) FROM deliveries d JOIN "
	    "blasts b ON b.id = d.blast_id WHERE d.subscriber_id = ?1 AND "
	    "b.id != ?2 AND b.kind = 'alert' AND d.state IN ('sent', "
	    "'sending', 'unknown') AND d.updated_at > ?3");
	q->state = db_prepare(db, "SELECT state FROM blasts WHERE id = ?1");
	q->unsuppressed = db_prepare(db, "SELECT ?1 = ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM suppressions x JOIN subscribers s ON x.email = "
	    "s.email WHERE s.id = ?2)");
	people_bouncer_init(&q->bouncer, db);
	return 0;
}

void
sendq_item_release(struct sendq_item *it)
{
	free(it->email);
	free(it->first_name);
	free(it->last_name);
	free(it->fields);
	memset(it, 0, sizeof(*it));
}

void
sendq_close(struct sendq *q)
{
	while (q->next < q->nitems)
		sendq_item_release(&q->items[q->next++]);
	sqlite3_finalize(q->read);
	sqlite3_finalize(q->wanted);
	sqlite3_finalize(q->change);
	sqlite3_finalize(q->state);
	sqlite3_finalize(q->unsuppressed);
	sqlite3_finalize(q->repeat);
	sqlite3_finalize(q->today);
	people_bouncer_release(&q->bouncer);
	memset(q, 0, sizeof(*q));
}

static int
refill(struct sendq *q, time_t now)
{
	struct sendq_item *it;
	int r;

	q->nitems = q->next = 0;
	sqlite3_bind_int64(q->read, 1, q->blast_id);
	sqlite3_bind_int64(q->read, 2, q->after);
	sqlite3_bind_int64(q->read, 3, (sqlite3_int64)now);
	sqlite3_bind_int(q->read, 4, SENDQ_BATCH);
	for (;;) {
		r = db_step_row(q->db, q->read, "cannot read deliveries");
		if (r != 1)
			return r;
		it = &q->items[q->nitems++];
		it->delivery_id = sqlite3_column_int64(q->read, 0);
		it->subscriber_id = sqlite3_column_int64(q->read, 1);
		it->attempts = sqlite3_column_int(q->read, 2);
		it->state = sqlite3_column_int(q->read, 3) ?
		    DELIVERY_DEFERRED : DELIVERY_QUEUED;
		it->email = xstrdup(db_column_text(q->read, 4));
		it->first_name = xstrdup(db_column_text(q->read, 5));
		it->last_name = xstrdup(db_column_text(q->read, 6));
		it->fields = xstrdup(db_column_text(q->read, 7));
		q->after = it->delivery_id;
	}
}

int
sendq_next(struct sendq *q, time_t now, struct sendq_item *it)
{
	if (q->next == q->nitems && refill(q, now) == -1)
		return -1;
	if (q->next == q->nitems)
		return 0;
	*it = q->items[q->next];
	memset(&q->items[q->next++], 0, sizeof(*it));
	return 1;
}

int
sendq_is_scheduled(struct sendq *q)
{
	int r, scheduled = 0;

	sqlite3_bind_int64(q->state, 1, q->blast_id);
	r = db_step_row(q->db, q->state, "cannot read the blast's state");
	if (r == 1) {
		scheduled = strcmp(db_column_text(q->state, 0),
		    "scheduled") == 0;
		sqlite3_reset(q->state);
	}
	return r == -1 ? -1 : scheduled;
}

void
sendq_rewind(struct sendq *q, sqlite3_int64 delivery_id)
{
	if (delivery_id > q->after)
		return;
	/* What was read ahead was never marked: it is read again. */
	while (q->next < q->nitems)
		sendq_item_release(&q->items[q->next++]);
	q->nitems = q->next = 0;
	q->after = delivery_id - 1;
}

int
sendq_still_wanted(struct sendq *q, const struct sendq_item *it)
{
	int r, wanted = 0;

	sqlite3_stmt *st = q->confirm ? q->unsuppressed : q->wanted;

	sqlite3_bind_int64(st, 1, q->list_id);
	sqlite3_bind_int64(st, 2, it->subscriber_id);
	r = db_step_row(q->db, st, "cannot check a subscriber");
	if (r == 1) {
		wanted = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
	}
	return r == -1 ? -1 : wanted;
}

int
sendq_mark_sending(struct sendq *q, struct sendq_item *it, time_t now,
    const char *message_id, const char *relay)
{
	struct change c = KEEP;

	c.to = DELIVERY_SENDING;
	c.attempt = 1;
	c.at = now;
	c.message_id = message_id;
	c.relay = relay;
	return change_state(q, it, &c);
}

int
sendq_mark_skipped(struct sendq *q, struct sendq_item *it, time_t now,
    const char *why)
{
	struct change c = KEEP;

	c.to = DELIVERY_SKIPPED;
	c.reply = why;
	c.at = now;
	return change_state(q, it, &c);
}

int
sendq_had_enough(struct sendq *q, const struct sendq_item *it, time_t now,
    long days, long per_day, char *why, size_t whysize)
{
	int r;

	if (q->confirm)
		return 0;
	if (days > 0 && q->action_id > 0) {
		sqlite3_bind_int64(q->repeat, 1, it->subscriber_id);
		sqlite3_bind_int64(q->repeat, 2, q->action_id);
		sqlite3_bind_int64(q->repeat, 3, q->blast_id);
		sqlite3_bind_int64(q->repeat, 4, (sqlite3_int64)now -
		    days * 86400);
		r = db_step_row(q->db, q->repeat, "cannot look for a repeat");
		if (r == 1) {
			snprintf(why, whysize, "already sent this action's "
			    "alert by blast %lld",
			    (long long)sqlite3_column_int64(q->repeat, 0));
			sqlite3_reset(q->repeat);
			return 1;
		}
		if (r == -1)
			return -1;
	}
	if (per_day > 0) {
		sqlite3_bind_int64(q->today, 1, it->subscriber_id);
		sqlite3_bind_int64(q->today, 2, q->blast_id);
		sqlite3_bind_int64(q->today, 3, (sqlite3_int64)now - 86400);
		r = db_step_row(q->db, q->today, "cannot count today's blasts");
		if (r != 1)
			return -1;
		r = sqlite3_column_int64(q->today, 0) >= per_day;
		sqlite3_reset(q->today);
		if (r) {
			snprintf(why, whysize, "had max_per_day (%ld) blasts "
			    "in the last 24 hours", per_day);
			return 1;
		}
	}
	return 0;
}

int
sendq_bounce(struct sendq *q, sqlite3_int64 delivery_id,
    sqlite3_int64 subscriber_id, long code, const char *reply, time_t now)
{
	struct people_bounce b;
	char why[64];

	snprintf(why, sizeof(why), "smtp %ld at delivery %lld", code,
	    (long long)delivery_id);
	memset(&b, 0, sizeof(b));
	b.subscriber_id = subscriber_id;
	b.list_id = q->list_id;
	b.delivery_id = delivery_id;
	b.reason = why;
	b.detail = reply;
	b.source = "smtp";
	b.now = now;
	return people_mark_bounced(&q->bouncer, &b) == -1 ? -1 : 0;
}

int
sendq_requeue(struct sendq *q, sqlite3_int64 delivery_id)
{
	struct sendq_item it;
	struct change c = KEEP;

	memset(&it, 0, sizeof(it));
	it.delivery_id = delivery_id;
	it.state = DELIVERY_FAILED;
	c.to = DELIVERY_QUEUED;
	c.next_try_at = 0;
	return change_state(q, &it, &c);
}

int
sendq_pause(struct sendq *q, const char *why, time_t now)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(q->db, "UPDATE blasts SET state = 'paused', "
	    "state_reason = ?2, state_at = ?3 WHERE id = ?1 AND state "
	    "= 'scheduled'");
	sqlite3_bind_int64(st, 1, q->blast_id);
	db_bind_text(st, 2, why);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	r = db_step_done(q->db, st, "cannot pause the blast");
	sqlite3_finalize(st);
	return r;
}

static long
backoff(int attempts)
{
	long d = SENDQ_BACKOFF_FIRST_SEC;

	while (attempts-- > 0 && d < SENDQ_BACKOFF_MAX_SEC)
		d *= 2;
	return d < SENDQ_BACKOFF_MAX_SEC ? d : SENDQ_BACKOFF_MAX_SEC;
}

int
sendq_record(struct sendq *q, struct sendq_item *it,
    const struct smtp_result *r, time_t now)
{
	struct change c = KEEP;

	c.to = DELIVERY_FAILED;
	c.code = r->code;
	c.reply = r->reply;
	c.next_try_at = 0;
	c.at = now;
	switch (r->outcome) {
	case SMTP_ACCEPTED:
		c.to = DELIVERY_SENT;
		break;
	case SMTP_PERMANENT:
		break;	/* a bounce is the caller's call (refusal.h) */
	case SMTP_TEMPORARY:
		/* Retried with backoff for the queue lifetime, then failed. */
		if (now - q->started_at < SENDQ_LIFETIME_SEC) {
			c.to = DELIVERY_DEFERRED;
			c.next_try_at = now + backoff(it->attempts);
		}
		break;
	case SMTP_UNKNOWN:
		c.to = DELIVERY_UNKNOWN;
		break;
	case SMTP_UNAVAILABLE:
		/* Back to where it was: no attempt was made. */
		c = (struct change)KEEP;
		c.to = it->attempts == 0 ? DELIVERY_QUEUED : DELIVERY_DEFERRED;
		c.attempt = -1;
		break;
	}
	return change_state(q, it, &c);
}

int
sendq_finish(struct sendq *q, time_t now)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(q->db, "UPDATE blasts SET state = 'done', finished_at "
	    "= ?2 WHERE id = ?1 AND state = 'scheduled' AND NOT EXISTS (SELECT "
	    "1 FROM deliveries WHERE blast_id = ?1 AND " SENDQ_TODO ")");
	sqlite3_bind_int64(st, 1, q->blast_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	r = db_step_done(q->db, st, "cannot finish the blast");
	sqlite3_finalize(st);
	return r == -1 ? -1 : sqlite3_changes(q->db->handle);
}

int
sendq_start(struct sendq *q)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(q->db, "UPDATE blasts SET started_at = coalesce("
	    "started_at, ?2) WHERE id = ?1");
	sqlite3_bind_int64(st, 1, q->blast_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)q->started_at);
	r = db_step_done(q->db, st, "cannot start the blast");
	sqlite3_finalize(st);
	return r;
}

long long
sendq_pending(struct sendq *q, time_t now)
{
	sqlite3_stmt *st;
	long long n = 0;

	st = db_prepare(q->db, "SELECT count(*) FROM deliveries WHERE "
	    "blast_id = ?1 AND " SENDQ_TODO " AND (state = 'queued' OR (state "
	    "= 'deferred' AND next_try_at <= ?2))");
	sqlite3_bind_int64(st, 1, q->blast_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	if (db_step_row(q->db, st, "cannot count deliveries") == 1)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

long long
sendq_relay_used(struct db *db, const char *relay, time_t since)
{
	sqlite3_stmt *st;
	long long n = -1;

	/* Every attempt counts against the relay, whatever its outcome. */
	st = db_prepare(db, "SELECT count(*) FROM deliveries WHERE relay = ?1 "
	    "AND updated_at > ?2 AND state != 'queued'");
	db_bind_text(st, 1, relay);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	if (db_step_row(db, st, "cannot count a relay's messages") == 1)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
