/*
 * rates: what came of a list's mail over a window of days: how many
 * messages were sent, and how many of their recipients bounced,
 * complained or unsubscribed because of them (events their own
 * delivery tokens or SMTP refusals brought, as report counts them).
 * The complaints are those feedback loops send back: a floor under the
 * rate a mailbox provider sees, which is why the limits are Gmail's.
 */
#ifndef TOCSIN_RATES_H
#define TOCSIN_RATES_H

#include <sqlite3.h>
#include <time.h>

#include "db.h"

#define RATES_WINDOW_DAYS	30
/* Gmail's target and limit for the complaint rate, in percent. */
#define RATES_COMPLAINT_TARGET	0.1
#define RATES_COMPLAINT_LIMIT	0.3
/* Fewer messages than this in the window and one complaint is noise:
 * the guard waits for this many before it pauses anything. */
#define RATES_MIN_SENT		1000

struct rates {
	long long	sent;
	long long	bounced;
	long long	complained;
	long long	unsubscribed;
};

/* The list's alert blasts since `since`. 0, or -1 logged. */
int	rates_list(struct db *db, sqlite3_int64 list_id, time_t since,
	    struct rates *r);

/* 100 * n / sent, 0 when nothing was sent. */
double	rates_pct(long long n, long long sent);

/* "" or what a complaint rate of `complained` in `sent` is over. */
const char *rates_complaint_flag(long long complained, long long sent);

/*
 * Whether the list's complaint rate over RATES_WINDOW_DAYS is past
 * `limit_pct` (0: never) with at least RATES_MIN_SENT sent: 1 with a
 * reason for blast show in `why`, 0 not, -1 on error.
 */
int	rates_over_complaint_limit(struct db *db, sqlite3_int64 list_id,
	    double limit_pct, time_t now, char *why, size_t whysize);

#endif
