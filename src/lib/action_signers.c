/*
 * action_signers: who signed an action, as people read it ("Gabrielle
 * signed 9 days ago", a numbered list of organisations) and as scripts
 * do (TSV).
 * Part of the action module (see action.h).
 */
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "log.h"
#include "out.h"
#include "reltime.h"

static int
count_signatures(struct db *db, const struct action *a, long long *n)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "SELECT count(*) FROM signatures "
	    "WHERE action_id = ?1");
	sqlite3_bind_int64(st, 1, a->id);
	r = db_step_row(db, st, "cannot count signatures");
	if (r == 1)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r == 1 ? 0 : -1;
}

static sqlite3_stmt *
newest_first(struct db *db, const struct action *a, long recent)
{
	sqlite3_stmt *st;

	st = db_prepare(db, "SELECT s.first_name, g.name, g.signed_at, "
	    "s.email, g.org, g.comment, g.source, g.display_name FROM "
	    "signatures g "
	    "JOIN subscribers s ON s.id = g.subscriber_id "
	    "WHERE g.action_id = ?1 ORDER BY g.signed_at DESC, g.id "
	    "DESC LIMIT ?2");
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, recent > 0 ? recent : -1);
	return st;
}

static int
print_table(struct db *db, const struct action *a, long recent, time_t now,
    enum out_format format)
{
	static const char *const headers[] = { "signed_at", "ago",
	    "first_name", "name", "email", "org", "comment", "source" };
	const char *v[8];
	char when[32], ago[RELTIME_MAX], first[64];
	sqlite3_stmt *st = newest_first(db, a, recent);
	struct out o;
	int r;

	out_begin(&o, format, 8, headers);
	for (;;) {
		r = db_step_row(db, st, "cannot list signatures");
		if (r != 1)
			break;
		reltime_local(when, sizeof(when),
		    (time_t)sqlite3_column_int64(st, 2));
		reltime_ago(ago, sizeof(ago),
		    (time_t)sqlite3_column_int64(st, 2), now);
		action_public_name(db_column_text(st, 7),
		    db_column_text(st, 1), db_column_text(st, 0), first,
		    sizeof(first));
		v[0] = when;
		v[1] = ago;
		v[2] = first;
		v[3] = db_column_text(st, 1);
		v[4] = db_column_text(st, 3);
		v[5] = db_column_text(st, 4);
		v[6] = db_column_text(st, 5);
		v[7] = db_column_text(st, 6);
		out_row(&o, v);
	}
	sqlite3_finalize(st);
	return out_end(&o) == -1 ? -1 : r;
}

static int
print_people(struct db *db, const struct action *a, long recent, time_t now)
{
	char ago[RELTIME_MAX], first[64];
	sqlite3_stmt *st = newest_first(db, a, recent);
	int r;

	for (;;) {
		r = db_step_row(db, st, "cannot list signatures");
		if (r != 1)
			break;
		action_public_name(db_column_text(st, 7),
		    db_column_text(st, 1), db_column_text(st, 0), first,
		    sizeof(first));
		reltime_ago(ago, sizeof(ago),
		    (time_t)sqlite3_column_int64(st, 2), now);
		printf("%s signed %s\n", first, ago);
	}
	sqlite3_finalize(st);
	return r;
}

/*
 * A letter's organisations in the order they signed, each once however
 * many of its people signed; with `recent`, the last N of that list,
 * keeping their numbers.
 */
static int
print_organisations(struct db *db, const struct action *a, long recent,
    long long *norgs)
{
	sqlite3_stmt *st;
	char org[256];
	int r;

	st = db_prepare(db, "SELECT n, org, total FROM (SELECT org, "
	    "row_number() OVER (ORDER BY min(signed_at), min(id)) AS n, "
	    "count(*) OVER () AS total FROM signatures WHERE action_id = ?1 "
	    "AND org != '' GROUP BY org COLLATE NOCASE) "
	    "WHERE ?2 <= 0 OR n > total - ?2 ORDER BY n");
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, recent);
	*norgs = 0;
	for (;;) {
		r = db_step_row(db, st, "cannot list organisations");
		if (r != 1)
			break;
		*norgs = sqlite3_column_int64(st, 2);
		log_escape(org, sizeof(org), db_column_text(st, 1),
		    strlen(db_column_text(st, 1)));
		printf("%lld. %s\n", (long long)sqlite3_column_int64(st, 0),
		    org);
	}
	sqlite3_finalize(st);
	return r;
}

int
action_print_signers(struct db *db, const struct action *a, long recent,
    enum out_format format, time_t now)
{
	long long people, orgs;

	if (format != OUT_PLAIN)
		return print_table(db, a, recent, now, format);
	if (count_signatures(db, a, &people) == -1)
		return -1;
	if (a->is_letter) {
		if (print_organisations(db, a, recent, &orgs) == -1)
			return -1;
		printf("%lld organisation%s signed, %lld %s in all\n", orgs,
		    orgs == 1 ? "" : "s", people,
		    people == 1 ? "signature" : "signatures");
	} else {
		if (print_people(db, a, recent, now) == -1)
			return -1;
		printf("%lld %s signed\n", people,
		    people == 1 ? "person" : "people");
	}
	if (fflush(stdout) != 0) {
		log_warn("cannot write the list of signers");
		fail_set(FAIL_TEMP);
		return -1;
	}
	return 0;
}

/* Groups of three from the right; a short `out` truncates, never overflows. */
void
action_count_text(char *out, size_t outsize, long long n)
{
	char digits[24];
	size_t len, i, o = 0;

	snprintf(digits, sizeof(digits), "%lld", n < 0 ? 0 : n);
	len = strlen(digits);
	for (i = 0; i < len && o + 2 < outsize; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* A letter's organisations, each once, in the order they signed. */
static int
context_organisations(struct db *db, const struct action *a,
    struct alert_context *ctx)
{
	sqlite3_stmt *st;
	long long total = 0;
	int r;

	st = db_prepare(db, "SELECT org, count(*) OVER () FROM signatures "
	    "WHERE action_id = ?1 AND org != '' GROUP BY org COLLATE NOCASE "
	    "ORDER BY min(signed_at), min(id) LIMIT ?2");
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int(st, 2, ALERT_ORGS_MAX);
	ctx->norgs = 0;
	for (;;) {
		r = db_step_row(db, st, "cannot list organisations");
		if (r != 1)
			break;
		snprintf(ctx->org_names[ctx->norgs],
		    sizeof(ctx->org_names[0]), "%s", db_column_text(st, 0));
		snprintf(ctx->org_numbers[ctx->norgs],
		    sizeof(ctx->org_numbers[0]), "%zu", ctx->norgs + 1);
		total = sqlite3_column_int64(st, 1);
		ctx->norgs++;
	}
	sqlite3_finalize(st);
	action_count_text(ctx->org_count, sizeof(ctx->org_count), total);
	return r;
}

int
action_context(struct db *db, const struct action *a,
    struct alert_context *ctx, time_t now)
{
	sqlite3_stmt *st;
	long long count;
	int r;

	if (count_signatures(db, a, &count) == -1)
		return -1;
	ctx->has_action = 1;
	ctx->action_title = a->title;
	ctx->action_slug = a->slug;
	action_count_text(ctx->signer_count, sizeof(ctx->signer_count), count);
	ctx->nsigners = 0;
	st = newest_first(db, a, ALERT_RECENT_MAX);
	for (;;) {
		r = db_step_row(db, st, "cannot list signatures");
		if (r != 1)
			break;
		action_public_name(db_column_text(st, 7), db_column_text(st, 1),
		    db_column_text(st, 0), ctx->signer_names[ctx->nsigners],
		    sizeof(ctx->signer_names[0]));
		reltime_ago(ctx->signer_agos[ctx->nsigners],
		    sizeof(ctx->signer_agos[0]),
		    (time_t)sqlite3_column_int64(st, 2), now);
		ctx->nsigners++;
	}
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	return context_organisations(db, a, ctx);
}
