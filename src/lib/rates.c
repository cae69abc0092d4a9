/* rates: a list's bounce, complaint and unsubscribe rates (rates.h). */
#include <stdio.h>

#include "log.h"
#include "rates.h"

/* The events of `kind` the list's alerts brought since ?2 (list ?1). */
#define EVENTS_OF(kind) \
    " FROM events e" \
    "  JOIN deliveries d ON d.id = e.delivery_id" \
    "  JOIN blasts b ON b.id = d.blast_id WHERE b.list_id = ?1 AND" \
    "  b.kind = 'alert' AND e.kind = '" kind "' AND e.created_at >= ?2"
/* Who an event of `kind` came back for, through the list's tokens. */
#define OUTCOME(kind) \
    " (SELECT count(DISTINCT e.subscriber_id)" EVENTS_OF(kind) ")"

int
rates_list(struct db *db, sqlite3_int64 list_id, time_t since,
    struct rates *r)
{
	/*
	 * From the list's blasts to their deliveries (CROSS JOIN keeps
	 * that order), not the other way: the planner would otherwise
	 * read every delivery of every list. A message sent in the
	 * window is of a blast that ran in it: one finished before
	 * `since` has no delivery to count.
	 */
	sqlite3_stmt *st = db_prepare(db, "SELECT (SELECT count(*) FROM "
	    "blasts b CROSS JOIN deliveries d ON d.blast_id = b.id WHERE "
	    "b.list_id = ?1 AND b.kind = 'alert' AND (b.finished_at IS NULL "
	    "OR b.finished_at >= ?2) AND d.state = 'sent' AND "
	    "d.updated_at >= ?2)," OUTCOME("bounce") "," OUTCOME("complaint")
	    "," OUTCOME("unsubscribe"));
	int rc;

	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	rc = db_step_row(db, st, "cannot count the list's outcomes");
	if (rc == 1) {
		r->sent = sqlite3_column_int64(st, 0);
		r->bounced = sqlite3_column_int64(st, 1);
		r->complained = sqlite3_column_int64(st, 2);
		r->unsubscribed = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return rc == 1 ? 0 : -1;
}

/* Whether any of the list's alerts brought a complaint since. 1, 0, -1. */
static int
any_complaint(struct db *db, sqlite3_int64 list_id, time_t since)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT EXISTS (SELECT 1"
	    EVENTS_OF("complaint") ")");
	int rc, any = 0;

	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	rc = db_step_row(db, st, "cannot look for the list's complaints");
	if (rc == 1)
		any = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == 1 ? any : -1;
}

double
rates_pct(long long n, long long sent)
{
	return sent > 0 ? 100.0 * (double)n / (double)sent : 0;
}

const char *
rates_complaint_flag(long long complained, long long sent)
{
	double pct = rates_pct(complained, sent);

	if (pct > RATES_COMPLAINT_LIMIT)
		return "complaints over Gmail's 0.3% limit";
	if (pct > RATES_COMPLAINT_TARGET)
		return "complaints over Gmail's 0.1% target";
	return "";
}

int
rates_over_complaint_limit(struct db *db, sqlite3_int64 list_id,
    double limit_pct, time_t now, char *why, size_t whysize)
{
	time_t since = now - RATES_WINDOW_DAYS * 86400L;
	struct rates r;
	int any;

	if (limit_pct <= 0)
		return 0;
	/* Without a complaint there is no rate to be over, and no need to
	 * count what was sent: the usual case costs one index search. */
	any = any_complaint(db, list_id, since);
	if (any != 1)
		return any;
	if (rates_list(db, list_id, since, &r) == -1)
		return -1;
	if (r.sent < RATES_MIN_SENT || rates_pct(r.complained, r.sent) <=
	    limit_pct)
		return 0;
	snprintf(why, whysize, "the list's complaint rate over %d days is "
	    "%.2f%% (%lld complaints in %lld sent), past [blast] "
	    "complaint_limit %.2f%%: find out why before mailing them "
	    "again; 'tocsin blast resume --force ID' sends anyway",
	    RATES_WINDOW_DAYS, rates_pct(r.complained, r.sent), r.complained,
	    r.sent, limit_pct);
	return 1;
}
