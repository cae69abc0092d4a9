/*
 * Unit tests for a list's rates and the complaint guard (rates.h): what
 * they count, and that what another list sent, or what the list sent
 * before the window, costs them nothing. The guard runs before every
 * blast; over years of deliveries a scan of them all would hold up
 * each send by seconds before its first message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "rates.h"
#include "tap.h"
#include "testdb.h"

#define DAY_SEC	86400L

static struct db db;
static long long vm_steps;

static void
sql(const char *text)
{
	testdb_exec(&db, text);
}

static int
count_step(void *arg)
{
	(void)arg;
	vm_steps++;
	return 0;
}

/*
 * `n` sent deliveries of blast `blast`, to subscribers from `first`
 * on, sent at `at`: one statement, by a recursive count.
 */
static void
sent(int blast, int first, int n, time_t at)
{
	char text[512];

	snprintf(text, sizeof(text), "WITH RECURSIVE k(i) AS (SELECT %d "
	    "UNION ALL SELECT i + 1 FROM k WHERE i < %d) INSERT INTO "
	    "subscribers (id, email, created_at, updated_at) SELECT i, 'p' || "
	    "i || '@example.org', 0, 0 FROM k; WITH RECURSIVE k(i) AS (SELECT "
	    "%d UNION ALL SELECT i + 1 FROM k WHERE i < %d) INSERT INTO "
	    "deliveries (blast_id, subscriber_id, state, updated_at) SELECT "
	    "%d, i, 'sent', %lld FROM k", first, first + n - 1, first,
	    first + n - 1, blast, (long long)at);
	sql(text);
}

/* A complaint event for the delivery of `subscriber` in `blast`. */
static void
complaint(int blast, int subscriber, time_t at)
{
	char text[512];

	snprintf(text, sizeof(text), "INSERT INTO events (kind, "
	    "subscriber_id, list_id, source, created_at, delivery_id) SELECT "
	    "'complaint', subscriber_id, 1, 'arf', %lld, id FROM deliveries "
	    "WHERE blast_id = %d AND subscriber_id = %d", (long long)at, blast,
	    subscriber);
	sql(text);
}

/* The guard's verdict on list 1, counting the VM steps it took. */
static int
guard(time_t now, char *why, size_t whysize, long long *steps)
{
	int r;

	vm_steps = 0;
	sqlite3_progress_handler(db.handle, 1, count_step, NULL);
	r = rates_over_complaint_limit(&db, 1, 0.3, now, why, whysize);
	sqlite3_progress_handler(db.handle, 0, NULL, NULL);
	*steps = vm_steps;
	return r;
}

int
main(void)
{
	char dir[TESTDB_DIR_MAX];
	char why[512];
	time_t now = time(NULL), old = now - 90 * DAY_SEC;
	long long quiet, loud, steps;
	struct rates r;
	int i, verdict;

	if (testdb_open(&db, "test-rates", dir) == -1)
		return 1;
	sql("INSERT INTO lists (id, name, from_addr, created_at) VALUES "
	    "(1, 'one', 'x@example.org', 0), (2, 'two', 'y@example.org', 0)");
	/* List 1: a blast long done, and one this week; list 2: one. */
	sql("INSERT INTO blasts (id, list_id, template_name, template, "
	    "segment, state, due_at, recipients, created_at, finished_at) "
	    "VALUES (1, 1, 't', 't', 'all', 'done', 0, 0, 0, 0), "
	    "(2, 1, 't', 't', 'all', 'done', 0, 0, 0, NULL), "
	    "(3, 2, 't', 't', 'all', 'done', 0, 0, 0, NULL)");
	snprintf(why, sizeof(why), "UPDATE blasts SET finished_at = %lld "
	    "WHERE id = 1", (long long)old);
	sql(why);
	sent(1, 1, 500, old);
	sent(2, 1001, 1200, now - DAY_SEC);
	sent(3, 5001, 800, now - DAY_SEC);

	tap_ok(rates_list(&db, 1, now - 30 * DAY_SEC, &r) == 0,
	    "the rates of list 1");
	tap_ok(r.sent == 1200, "it sent 1,200 in the window, not the 500 "
	    "before it or list 2's 800 (%lld)", r.sent);
	memset(&r, 0, sizeof(r));
	(void)rates_list(&db, 1, old - DAY_SEC, &r);
	tap_ok(r.sent == 1700, "a window back past the old blast counts its "
	    "500 too (%lld)", r.sent);

	tap_ok(guard(now, why, sizeof(why), &quiet) == 0,
	    "no complaint: not over the limit");
	sent(3, 10001, 3000, now - DAY_SEC);
	verdict = guard(now, why, sizeof(why), &steps);
	tap_ok(verdict == 0 && steps == quiet, "and list 2's 3,000 more cost "
	    "the guard nothing (%lld steps, %lld before)", steps, quiet);
	tap_ok(quiet < 200, "without a complaint it counts nothing sent "
	    "(%lld steps)", quiet);

	/* 4 complaints in 1,200: 0.33%, over 0.3%. */
	for (i = 0; i < 4; i++)
		complaint(2, 1001 + i, now - 3600);
	tap_ok(guard(now, why, sizeof(why), &loud) == 1,
	    "4 complaints in 1,200: over a limit of 0.3%%");
	tap_ok(strstr(why, "0.33% (4 complaints in 1200 sent)") != NULL,
	    "why says the rate and the counts: %s", why);
	sent(3, 20001, 3000, now - DAY_SEC);
	sent(1, 30001, 2000, old);
	verdict = guard(now, why, sizeof(why), &steps);
	tap_ok(verdict == 1 && steps == loud, "what list 2 sent, and list 1 "
	    "before the window, cost it nothing (%lld steps, %lld before)",
	    steps, loud);
	/* A complaint of list 2 is not list 1's. */
	sql("DELETE FROM events");
	for (i = 0; i < 40; i++)
		complaint(3, 5001 + i, now - 3600);
	sql("UPDATE events SET list_id = 2");
	tap_ok(guard(now, why, sizeof(why), &steps) == 0,
	    "list 2's complaints do not pause list 1");

	testdb_remove(&db, dir);
	return tap_done();
}
