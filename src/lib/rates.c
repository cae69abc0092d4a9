/* rates: a list's bounce, complaint and unsubscribe rates (rates.h). */
#include <stdio.h>

#include "log.h"
#include "rates.h"

/* Who an event of `kind` came back for, through the list's tokens. */
#define OUTCOME(kind) \
    " (SELECT count(DISTINCT e.subscriber_id) FROM events e" \
    "  JOIN deliveries d ON d.id = e.delivery_id" \
    "  JOIN blasts b ON b.id = d.blast_id WHERE b.list_id = ?1 AND" \
    "  b.kind = 'alert' AND e.kind = '" kind "' AND e.created_at >= ?2)"

int
rates_list(struct db *db, sqlite3_int64 list_id, time_t since,
    struct rates *r)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT (SELECT count(*) FROM "
	    "deliveries d JOIN blasts b ON b.id = d.blast_id WHERE "
	    "b.list_id = ?1 AND b.kind = 'alert' AND d.state = 'sent' AND "
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
	struct rates r;

	if (limit_pct <= 0)
		return 0;
	if (rates_list(db, list_id, now - RATES_WINDOW_DAYS * 86400L,
	    &r) == -1)
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
