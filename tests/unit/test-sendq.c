/*
 * Unit tests for a delivery's states (the table in sendq.h): each change
 * sendq makes writes the state the schema accepts, with CHECK
 * constraints on, and none applies to a row someone else changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "sendq.h"
#include "tap.h"
#include "testdb.h"

static struct db db;

static void
sql(const char *text)
{
	testdb_exec(&db, text);
}

/* The state, attempts and reply of delivery `id`, as one string. */
static const char *
row(long long id)
{
	static char text[512];
	sqlite3_stmt *st = db_prepare(&db, "SELECT state || ' ' || attempts "
	    "|| ' ' || coalesce(smtp_code, '-') || ' ' || coalesce(smtp_reply, "
	    "'-') || ' ' || (next_try_at > 0) FROM deliveries WHERE id = ?1");

	sqlite3_bind_int64(st, 1, id);
	snprintf(text, sizeof(text), "%s", db_step_row(&db, st, "row") == 1 ?
	    (const char *)sqlite3_column_text(st, 0) : "(none)");
	sqlite3_finalize(st);
	return text;
}

static struct smtp_result
result(enum smtp_outcome outcome, long code, const char *reply)
{
	struct smtp_result r;

	memset(&r, 0, sizeof(r));
	r.outcome = outcome;
	r.code = code;
	snprintf(r.reply, sizeof(r.reply), "%s", reply);
	return r;
}

/* The next delivery, marked sending. */
static int
take(struct sendq *q, struct sendq_item *it, time_t now)
{
	if (sendq_next(q, now, it) != 1)
		return -1;
	return sendq_mark_sending(q, it, now, "<m@example.org>", "main");
}

int
main(void)
{
	char dir[TESTDB_DIR_MAX];
	struct sendq q;
	struct sendq_item it[6];
	struct smtp_result r;
	time_t now = time(NULL);
	int i;

	if (testdb_open(&db, "test-sendq", dir) == -1)
		return 1;
	sql("INSERT INTO lists (id, name, from_addr, created_at) VALUES "
	    "(1, 'l', 'x@example.org', 0)");
	sql("INSERT INTO blasts (id, list_id, template_name, template, "
	    "segment, state, due_at, recipients, created_at) VALUES "
	    "(1, 1, 't', 't', 'all', 'scheduled', 0, 6, 0)");
	for (i = 1; i <= 6; i++) {
		char text[256];

		snprintf(text, sizeof(text), "INSERT INTO subscribers (id, "
		    "email, created_at, updated_at) VALUES (%d, "
		    "'p%d@example.org', 0, 0); INSERT INTO deliveries (id, "
		    "blast_id, subscriber_id, updated_at) VALUES (%d, 1, %d, "
		    "0)", i, i, i, i);
		sql(text);
	}
	memset(it, 0, sizeof(it));
	if (sendq_open(&q, &db, 1) == -1)
		return tap_ok(0, "the queue opens") ? 0 : 1;

	/* queued -> sending -> sent */
	tap_ok(take(&q, &it[0], now) == 0, "a queued delivery is marked");
	tap_is(row(1), "sending 1 - - 0", "it is sending, one attempt");
	r = result(SMTP_ACCEPTED, 250, "250 2.0.0 Ok: queued as X");
	tap_ok(sendq_record(&q, &it[0], &r, now) == 0, "accepted");
	tap_is(row(1), "sent 1 250 250 2.0.0 Ok: queued as X 0", "sent");

	/* sending -> deferred */
	tap_ok(take(&q, &it[1], now) == 0, "the next is marked");
	r = result(SMTP_TEMPORARY, 451, "451 4.3.0 try later");
	tap_ok(sendq_record(&q, &it[1], &r, now) == 0, "deferred");
	tap_is(row(2), "deferred 1 451 451 4.3.0 try later 1",
	    "deferred, with a time to try again");

	/* sending -> queued: the relay was unavailable, no attempt made */
	tap_ok(take(&q, &it[2], now) == 0, "a third is marked");
	r = result(SMTP_UNAVAILABLE, 0, "");
	tap_ok(sendq_record(&q, &it[2], &r, now) == 0, "unavailable");
	tap_is(row(3), "queued 0 - - 0", "back to queued, the attempt undone");

	/* sending -> unknown, and -> failed */
	tap_ok(take(&q, &it[3], now) == 0, "a fourth is marked");
	r = result(SMTP_UNKNOWN, 0, "connection lost after DATA");
	tap_ok(sendq_record(&q, &it[3], &r, now) == 0, "lost");
	tap_is(row(4), "unknown 1 0 connection lost after DATA 0", "unknown");
	tap_ok(take(&q, &it[4], now) == 0, "a fifth is marked");
	r = result(SMTP_PERMANENT, 550, "550 5.1.1 no such user");
	tap_ok(sendq_record(&q, &it[4], &r, now) == 0, "refused");
	tap_is(row(5), "failed 1 550 550 5.1.1 no such user 0", "failed");

	/* failed -> queued: the breaker takes its verdict back */
	tap_ok(sendq_requeue(&q, 5) == 0, "requeued");
	tap_is(row(5), "queued 1 550 550 5.1.1 no such user 0",
	    "queued again, the last reply kept");

	/* queued -> skipped */
	tap_ok(sendq_next(&q, now, &it[5]) == 1, "the sixth is read");
	tap_ok(sendq_mark_skipped(&q, &it[5], now, "no longer subscribed") ==
	    0, "skipped");
	tap_is(row(6), "skipped 0 - no longer subscribed 0", "skipped, why");

	/* Past the queue lifetime, a deferral fails. */
	sendq_rewind(&q, 3);
	sendq_item_release(&it[2]);
	tap_ok(take(&q, &it[2], now) == 0, "the put-back one is marked again");
	r = result(SMTP_TEMPORARY, 421, "421 4.7.0 busy");
	tap_ok(sendq_record(&q, &it[2], &r, now + SENDQ_LIFETIME_SEC) == 0,
	    "deferred too late");
	tap_is(row(3), "failed 1 421 421 4.7.0 busy 0", "it fails");

	/* A row another program changed is left alone, and the run stops. */
	sendq_rewind(&q, 5);
	sendq_item_release(&it[4]);
	tap_ok(sendq_next(&q, now, &it[4]) == 1, "the requeued one is read");
	sql("UPDATE deliveries SET state = 'skipped' WHERE id = 5");
	tap_ok(sendq_mark_sending(&q, &it[4], now, "<m@example.org>", "main")
	    == -1 && fail_get() == FAIL_TEMP, "a row changed under us stops "
	    "the sender, to try later");
	tap_is(row(5), "skipped 1 550 550 5.1.1 no such user 0",
	    "and is not written");
	tap_ok(sendq_requeue(&q, 1) == -1, "a sent delivery is not requeued");
	tap_is(row(1), "sent 1 250 250 2.0.0 Ok: queued as X 0",
	    "it stays sent");

	for (i = 0; i < 6; i++)
		sendq_item_release(&it[i]);
	sendq_close(&q);
	testdb_remove(&db, dir);
	return tap_done();
}
