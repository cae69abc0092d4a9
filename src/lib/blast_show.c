/*
 * blast_show: blasts as operators read them, and their state changes.
 * Part of the blast module (see blast.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "blast.h"
#include "log.h"
#include "reltime.h"
#include "smtp.h"

static void
when(char *out, size_t size, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		snprintf(out, size, "-");
	else
		reltime_zoned(out, size, (time_t)sqlite3_column_int64(st, col));
}

int
blast_list(struct db *db, enum out_format format)
{
	static const char *const headers[] = { "id", "list", "template",
	    "state", "due", "recipients", "sent", "left" };
	char id[24], due[48], total[24], sent[24], left[24];
	const char *v[8];
	sqlite3_stmt *st;
	struct out o;
	int r;

	st = db_prepare(db, "SELECT b.id, l.name, b.template_name, CASE WHEN "
	    "b.draft AND b.state = 'scheduled' THEN 'draft' ELSE b.state END, "
	    "b.due_at, b.recipients, (SELECT count(*) FROM deliveries d WHERE "
	    "d.blast_id = b.id AND d.state = 'sent'), (SELECT count(*) FROM "
	    "deliveries d WHERE d.blast_id = b.id AND d.state IN ('queued', "
	    "'sending', 'deferred')) FROM blasts b JOIN lists l ON "
	    "l.id = b.list_id ORDER BY b.id");
	out_begin(&o, format, 8, headers);
	for (;;) {
		r = db_step_row(db, st, "cannot list blasts");
		if (r != 1)
			break;
		snprintf(id, sizeof(id), "%lld", sqlite3_column_int64(st, 0));
		when(due, sizeof(due), st, 4);
		snprintf(total, sizeof(total), "%lld",
		    sqlite3_column_int64(st, 5));
		snprintf(sent, sizeof(sent), "%lld",
		    sqlite3_column_int64(st, 6));
		snprintf(left, sizeof(left), "%lld",
		    sqlite3_column_int64(st, 7));
		v[0] = id;
		v[1] = db_column_text(st, 1);
		v[2] = db_column_text(st, 2);
		v[3] = db_column_text(st, 3);
		v[4] = due;
		v[5] = total;
		v[6] = sent;
		v[7] = left;
		out_row(&o, v);
	}
	sqlite3_finalize(st);
	return out_end(&o) == -1 ? -1 : r;
}

static int
show_header(struct db *db, sqlite3_int64 id)
{
	char due[48], started[48], finished[48];
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "SELECT b.id, l.name, b.template_name, CASE WHEN "
	    "b.draft AND b.state = 'scheduled' THEN 'draft' ELSE b.state END, "
	    "b.due_at, b.started_at, b.finished_at, b.rate, b.recipients, "
	    "b.segment, coalesce(a.slug, '-'), b.state_reason, b.state_at "
	    "FROM blasts b JOIN lists l ON "
	    "l.id = b.list_id LEFT JOIN actions a ON a.id = b.action_id "
	    "WHERE b.id = ?1");
	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(db, st, "cannot read the blast");
	if (r == 1) {
		when(due, sizeof(due), st, 4);
		when(started, sizeof(started), st, 5);
		when(finished, sizeof(finished), st, 6);
		printf("blast %lld: %s to list '%s', action %s\nstate: %s\n",
		    sqlite3_column_int64(st, 0), db_column_text(st, 2),
		    db_column_text(st, 1), db_column_text(st, 10),
		    db_column_text(st, 3));
		if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
			char at[48], why[400];
			const char *text = db_column_text(st, 11);

			when(at, sizeof(at), st, 12);
			log_escape(why, sizeof(why), text, strlen(text));
			printf("why: %s (%s)\n", why, at);
		}
		printf("due: %s\nstarted: %s\nfinished: %s\n", due, started,
		    finished);
		if (sqlite3_column_type(st, 7) == SQLITE_NULL)
			printf("rate: no limit\n");
		else
			printf("rate: %lld a second\n",
			    sqlite3_column_int64(st, 7));
		printf("segment: %s\nrecipients: %lld\n", db_column_text(st, 9),
		    sqlite3_column_int64(st, 8));
	}
	sqlite3_finalize(st);
	if (r == 0) {
		log_warnx("no blast %lld (see 'tocsin blast ls')",
		    (long long)id);
		fail_set(FAIL_DATA);
	}
	return r == 1 ? 0 : -1;
}

static int
show_counts(struct db *db, sqlite3_int64 id)
{
	sqlite3_stmt *st;
	int r;

	/* Skipped deliveries by why: left, had the action's alert, had
	 * max_per_day. */
	st = db_prepare(db, "SELECT CASE state WHEN 'skipped' THEN 'skipped (' "
	    "|| coalesce(smtp_reply, '?') || ')' ELSE state END, count(*) FROM "
	    "deliveries WHERE blast_id = ?1 GROUP BY 1 ORDER BY CASE state "
	    "WHEN 'sent' THEN 1 WHEN 'queued' THEN 2 WHEN 'sending' THEN 3 "
	    "WHEN 'deferred' THEN 4 WHEN 'failed' THEN 5 WHEN 'unknown' THEN 6 "
	    "ELSE 7 END, 1");
	sqlite3_bind_int64(st, 1, id);
	for (;;) {
		r = db_step_row(db, st, "cannot count deliveries");
		if (r != 1)
			break;
		printf("  %-9s %lld\n", db_column_text(st, 0),
		    sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	return r;
}

/* The last errors, and every delivery whose fate is unknown. */
static int
show_problems(struct db *db, sqlite3_int64 id)
{
	char reply[200];
	sqlite3_stmt *st;
	int r, n = 0;

	st = db_prepare(db, "SELECT d.state, s.email, coalesce(d.smtp_code, "
	    "0), coalesce(d.smtp_reply, '') FROM deliveries d JOIN subscribers "
	    "s ON s.id = d.subscriber_id WHERE d.blast_id = ?1 AND (d.state = "
	    "'unknown' OR (d.state IN ('failed', 'deferred') AND d.id IN "
	    "(SELECT id FROM deliveries WHERE blast_id = ?1 AND state IN "
	    "('failed', 'deferred') ORDER BY updated_at DESC, id DESC LIMIT "
	    "10))) ORDER BY d.state, d.id");
	sqlite3_bind_int64(st, 1, id);
	for (;;) {
		r = db_step_row(db, st, "cannot read deliveries");
		if (r != 1)
			break;
		if (n++ == 0)
			printf("problems (the last errors, every unknown):\n");
		log_escape(reply, sizeof(reply), db_column_text(st, 3),
		    strlen(db_column_text(st, 3)));
		printf("  %-8s %s %lld %s\n", db_column_text(st, 0),
		    db_column_text(st, 1), sqlite3_column_int64(st, 2), reply);
	}
	sqlite3_finalize(st);
	return r;
}

/*
 * Why a due blast with messages to send is not moving, if the database
 * can tell: the last send run failed, its relay defers, every relay had
 * its hourly cap, or no sender has run lately. Nothing when it moves.
 */
/*
 * Whether each relay of [smtp] url (named as smtp.c names them: the URL
 * without its path) took its hourly cap in the last hour: 1, 0, -1.
 */
static int
all_capped(struct db *db, const struct conf *c, time_t now)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM deliveries "
	    "WHERE relay = ?1 AND updated_at > ?2 AND state IN ('sent', "
	    "'sending', 'unknown')");
	const char *u = conf_or(c->smtp_url, "");
	char name[1024];
	int r = 1, any = 0;

	sqlite3_bind_int64(st, 2, (sqlite3_int64)now - 3600);
	while (r == 1 && smtp_next_relay(&u, name, sizeof(name)) == 1) {
		db_bind_text(st, 1, name);
		r = db_step_row(db, st, "cannot count a relay's hour");
		if (r == 1 && sqlite3_column_int64(st, 0) < c->smtp_hourly_cap)
			r = 0;
		sqlite3_reset(st);
		any = 1;
	}
	sqlite3_finalize(st);
	return r == -1 ? -1 : r == 1 && any;
}

static int
show_waiting(struct db *db, sqlite3_int64 id, const struct conf *c)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT "
	    "(SELECT count(*) FROM deliveries WHERE blast_id = ?1 AND state "
	    "IN ('queued', 'deferred')), "
	    "(SELECT ok FROM runs WHERE program = 'send'), "
	    "(SELECT coalesce(problem, '') FROM runs WHERE program = 'send'), "
	    "(SELECT ran_at FROM runs WHERE program = 'send'), "
	    "(SELECT relay || ': ' || coalesce(smtp_reply, '') FROM deliveries "
	    "WHERE blast_id = ?1 AND state = 'deferred' ORDER BY updated_at "
	    "DESC LIMIT 1), "
	    "(SELECT min(updated_at) FROM deliveries WHERE blast_id = ?1 AND "
	    "state = 'deferred') "
	    "FROM blasts b WHERE b.id = ?1 AND b.state = 'scheduled' AND NOT "
	    "b.draft AND b.due_at <= ?2");
	time_t now = time(NULL);
	char why[600], since[48];
	int r;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	r = db_step_row(db, st, "cannot read the blast");
	if (r != 1 || sqlite3_column_int64(st, 0) == 0) {
		sqlite3_finalize(st);
		return r == -1 ? -1 : 0;
	}
	why[0] = '\0';
	if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
	    sqlite3_column_int(st, 1) == 0) {
		when(since, sizeof(since), st, 3);
		snprintf(why, sizeof(why), "the last tocsin send (%s) "
		    "failed: %s", since, db_column_text(st, 2));
	} else if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
		when(since, sizeof(since), st, 5);
		snprintf(why, sizeof(why), "deferred since %s, the "
		    "relay %s", since, db_column_text(st, 4));
	} else if (c->smtp_hourly_cap > 0 && all_capped(db, c, now) == 1)
		snprintf(why, sizeof(why), "every relay has had its hourly "
		    "cap of %ld messages ([smtp] hourly_cap): the rest goes "
		    "within the hour", c->smtp_hourly_cap);
	else if (sqlite3_column_type(st, 3) == SQLITE_NULL ||
	    now - (time_t)sqlite3_column_int64(st, 3) > 600)
		snprintf(why, sizeof(why), "no tocsin send has run for ten "
		    "minutes: is its timer or cron entry running?");
	if (why[0] != '\0') {
		char safe[700];

		log_escape(safe, sizeof(safe), why, strlen(why));
		printf("waiting: %s\n", safe);
	}
	sqlite3_finalize(st);
	return 0;
}

int
blast_show(struct db *db, sqlite3_int64 id, const struct conf *c)
{
	if (show_header(db, id) == -1 || show_waiting(db, id, c) == -1)
		return -1;
	printf("deliveries:\n");
	if (show_counts(db, id) == -1 || show_problems(db, id) == -1)
		return -1;
	if (fflush(stdout) != 0) {
		log_warn("cannot write");
		fail_set(FAIL_TEMP);
		return -1;
	}
	return 0;
}

int
blast_set_state(struct db *db, sqlite3_int64 id, const char *from,
    const char *to)
{
	sqlite3_stmt *st;
	int r;

	/* `from` is "a|b": instr() on "|state|" matches whole names. */
	/* The operator's word replaces whatever reason tocsin gave. */
	st = db_prepare(db, "UPDATE blasts SET state = ?3, state_reason = "
	    "'by the operator', state_at = strftime('%s', 'now') WHERE id = ?1 "
	    "AND instr('|' || ?2 || '|', '|' || state || '|') > 0");
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	r = db_step_done(db, st, "cannot change the blast");
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	if (sqlite3_changes(db->handle) == 1)
		return 1;
	st = db_prepare(db, "SELECT 1 FROM blasts WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(db, st, "cannot read the blast");
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	if (r == 0)
		log_warnx("no blast %lld (see 'tocsin blast ls')",
		    (long long)id);
	else
		log_warnx("blast %lld cannot become %s: it is not %s (see "
		    "'tocsin blast show %lld')", (long long)id, to, from,
		    (long long)id);
	fail_set(FAIL_DATA);
	return 0;
}

int
blast_override_complaints(struct db *db, sqlite3_int64 id)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE blasts SET "
	    "complaint_override = 1 WHERE id = ?1");
	int r;

	sqlite3_bind_int64(st, 1, id);
	r = db_step_done(db, st, "cannot change the blast");
	sqlite3_finalize(st);
	return r;
}
