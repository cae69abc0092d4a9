/* person: what is held about a person, shown or forgotten (person.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "out.h"
#include "people.h"
#include "person.h"

/*
 * Each kind of record and the query for it: ?1 the subscriber (0 when
 * none is held), ?2 the address. A column named *_at is a Unix time.
 * A reply names the person by its sender or, for a report no token of
 * ours verified, in its excerpt ("names: ann@example.org 5.1.1, ..."),
 * as a whole word: ann@example.org is not joann@example.org.
 */
#define PERSON_REPLIES_WHERE "r.subscriber_id = ?1 OR lower(r.sender) = " \
	"lower(?2) OR instr(lower(r.sender), '<' || lower(?2) || '>') > 0 " \
	"OR (r.kind != 'reply' AND instr(' ' || replace(lower(r.excerpt), " \
	"',', ' ') || ' ', ' ' || lower(?2) || ' ') > 0)"

static const struct {
	const char	*name;
	const char	*sql;
} sections[] = {
	{ "subscriber", "SELECT email, first_name, last_name, fields, "
	    "created_at, updated_at FROM subscribers WHERE id = ?1" },
	{ "lists", "SELECT l.name AS list, l.title, m.status, m.source, "
	    "m.subscribed_at, m.status_at, m.status_reason FROM memberships m "
	    "JOIN lists l ON l.id = m.list_id WHERE m.subscriber_id = ?1 "
	    "ORDER BY l.name" },
	{ "suppression", "SELECT reason, created_at FROM suppressions "
	    "WHERE email IN (?2, " PEOPLE_FORGOTTEN_SQL("?2") ")" },
	{ "signatures", "SELECT a.slug AS action, a.title, s.name, "
	    "s.display_name, s.org, s.comment, s.source, s.signed_at FROM "
	    "signatures s JOIN actions a ON a.id = s.action_id WHERE "
	    "s.subscriber_id = ?1 ORDER BY s.signed_at" },
	{ "pending_signatures", "SELECT a.slug AS action, p.name, "
	    "p.display_name, p.postcode, p.comment, p.consent, p.ip, "
	    "p.created_at, p.confirmed_at, p.confirmed_ip FROM "
	    "pending_signatures p JOIN actions a ON a.id = p.action_id WHERE "
	    "p.subscriber_id = ?1 ORDER BY p.id" },
	{ "deliveries", "SELECT d.blast_id AS blast, l.name AS list, "
	    "d.state, d.attempts, d.smtp_code, d.smtp_reply, d.message_id, "
	    "d.updated_at FROM deliveries d JOIN blasts b ON b.id = d.blast_id "
	    "JOIN lists l ON l.id = b.list_id WHERE d.subscriber_id = ?1 "
	    "ORDER BY d.id" },
	{ "events", "SELECT e.kind, l.name AS list, e.detail, e.source, "
	    "e.created_at FROM events e LEFT JOIN lists l ON l.id = e.list_id "
	    "WHERE e.subscriber_id = ?1 ORDER BY e.id" },
	{ "replies", "SELECT r.kind, r.sender, r.subject, r.sent_date, "
	    "r.excerpt, r.created_at, r.handled_at, r.handled_how FROM "
	    "replies r WHERE " PERSON_REPLIES_WHERE " ORDER BY r.id" },
};

#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* The subscriber's id: 1 found, 0 none held, -1 error. */
static int
subscriber_id(struct db *db, const char *email, sqlite3_int64 *id)
{
	sqlite3_stmt *st;
	int r;

	*id = 0;
	st = db_prepare(db, "SELECT id FROM subscribers WHERE email = ?1");
	db_bind_text(st, 1, email);
	r = db_step_row(db, st, "cannot look up the person");
	if (r == 1)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r;
}

static void
iso_time(char *out, size_t size, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, size, "%lld", (long long)t);
}

static cJSON *
column_value(sqlite3_stmt *st, int i)
{
	const char *name = sqlite3_column_name(st, i);
	size_t n = strlen(name);
	char when[32];

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return cJSON_CreateNull();
	case SQLITE_INTEGER:
		if (n > 3 && strcmp(name + n - 3, "_at") == 0) {
			iso_time(when, sizeof(when),
			    (time_t)sqlite3_column_int64(st, i));
			return cJSON_CreateString(when);
		}
		return cJSON_CreateNumber((double)sqlite3_column_int64(st, i));
	default:
		return cJSON_CreateString(db_column_text(st, i));
	}
}

static int
collect_section(struct db *db, size_t k, sqlite3_int64 id, const char *email,
    cJSON *rows)
{
	sqlite3_stmt *st = db_prepare(db, sections[k].sql);
	cJSON *row;
	int i, r;

	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, email);
	while ((r = db_step_row(db, st, "cannot read what is held")) == 1) {
		row = cJSON_CreateObject();
		for (i = 0; i < sqlite3_column_count(st); i++)
			cJSON_AddItemToObject(row, sqlite3_column_name(st, i),
			    column_value(st, i));
		cJSON_AddItemToArray(rows, row);
	}
	sqlite3_finalize(st);
	return r;
}

/*
 * What is held about `email` (normalised) as a JSON object, one member
 * a kind of record, each an array of objects; times are ISO 8601 UTC.
 * The caller frees it (cJSON_Delete). NULL on error (logged).
 */
static cJSON *
person_collect(struct db *db, const char *email)
{
	sqlite3_int64 id;
	cJSON *doc, *rows;
	size_t k;

	if (subscriber_id(db, email, &id) == -1)
		return NULL;
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "email", email);
	for (k = 0; k < NSECTIONS; k++) {
		rows = cJSON_AddArrayToObject(doc, sections[k].name);
		if (collect_section(db, k, id, email, rows) == -1) {
			cJSON_Delete(doc);
			return NULL;
		}
	}
	return doc;
}

static int
flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("cannot write");
		fail_set(FAIL_TEMP);
		return -1;
	}
	return 0;
}

int
person_show(struct db *db, const char *email)
{
	cJSON *doc = person_collect(db, email), *rows, *row, *v;
	size_t k;
	int n, total = 0;

	if (doc == NULL)
		return -1;
	printf("what is held about %s\n", email);
	for (k = 0; k < NSECTIONS; k++) {
		rows = cJSON_GetObjectItem(doc, sections[k].name);
		n = cJSON_GetArraySize(rows);
		total += n;
		printf("\n%s: %d\n", sections[k].name, n);
		cJSON_ArrayForEach(row, rows) {
			cJSON_ArrayForEach(v, row) {
				if (cJSON_IsNull(v) || (cJSON_IsString(v) &&
				    v->valuestring[0] == '\0'))
					continue;
				printf("  %s: ", v->string);
				if (cJSON_IsNumber(v))
					printf("%.0f", v->valuedouble);
				else
					out_safe(v->valuestring);
				putchar('\n');
			}
			if (row->next != NULL)
				putchar('\n');
		}
	}
	if (total == 0)
		printf("\nnothing is held about %s\n", email);
	cJSON_Delete(doc);
	return flush_stdout();
}

int
person_export(struct db *db, const char *email)
{
	cJSON *doc = person_collect(db, email);
	char *text;

	if (doc == NULL)
		return -1;
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (text == NULL)
		fatal("cannot allocate");
	fputs(text, stdout);
	putchar('\n');
	cJSON_free(text);
	return flush_stdout();
}

static int
forget_step(struct db *db, const char *sql, sqlite3_int64 id,
    const char *email)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int r;

	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, email);
	r = db_step_done(db, st, "cannot forget the person");
	sqlite3_finalize(st);
	return r;
}

/* How many rows a count query finds. */
static int
count_of(struct db *db, const char *sql, sqlite3_int64 id, const char *email,
    long long *count)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	int r;

	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, email);
	r = db_step_row(db, st, "cannot count what is held");
	if (r == 1)
		*count = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r == 1 ? 0 : -1;
}

static int
count_all(struct db *db, sqlite3_int64 id, const char *email,
    struct person_forgotten *f)
{
	long long pending = 0;

	if (count_of(db, "SELECT count(*) FROM memberships WHERE "
	    "subscriber_id = ?1", id, email, &f->lists) == -1 ||
	    count_of(db, "SELECT count(*) FROM signatures WHERE "
	    "subscriber_id = ?1", id, email, &f->signatures) == -1 ||
	    count_of(db, "SELECT count(*) FROM pending_signatures WHERE "
	    "subscriber_id = ?1", id, email, &pending) == -1 ||
	    count_of(db, "SELECT count(*) FROM deliveries WHERE "
	    "subscriber_id = ?1", id, email, &f->deliveries) == -1 ||
	    count_of(db, "SELECT count(*) FROM events WHERE "
	    "subscriber_id = ?1", id, email, &f->events) == -1 ||
	    count_of(db, "SELECT count(*) FROM replies r WHERE "
	    PERSON_REPLIES_WHERE, id, email, &f->replies) == -1)
		return -1;
	f->signatures += pending;
	return 0;
}

/*
 * The deletions, children before parents. The subscriber record stays
 * as an empty tombstone (forgotten-ID@forgotten.invalid: .invalid is
 * no one's domain) so that deliveries keep their blast's figures true;
 * what is still to send to it is skipped.
 */
static const char *const forget_sql[] = {
	"DELETE FROM forwards WHERE reply_id IN (SELECT r.id FROM replies "
	    "r WHERE " PERSON_REPLIES_WHERE ")",
	"DELETE FROM replies AS r WHERE " PERSON_REPLIES_WHERE,
	"UPDATE inbox_messages SET subscriber_id = NULL WHERE "
	    "subscriber_id = ?1",
	"DELETE FROM events WHERE subscriber_id = ?1",
	"DELETE FROM pending_signatures WHERE subscriber_id = ?1",
	"DELETE FROM signatures WHERE subscriber_id = ?1",
	"DELETE FROM memberships WHERE subscriber_id = ?1",
	"UPDATE deliveries SET state = CASE WHEN state IN ('queued', "
	    "'deferred') THEN 'skipped' ELSE state END, smtp_reply = NULL "
	    "WHERE subscriber_id = ?1",
	"UPDATE subscribers SET email = 'forgotten-' || id || "
	    "'@forgotten.invalid', first_name = '', last_name = '', "
	    "fields = '{}' WHERE id = ?1",
	"DELETE FROM suppressions WHERE email = ?2",
	"INSERT OR IGNORE INTO suppressions (email, reason, "
	    "created_at) VALUES (" PEOPLE_FORGOTTEN_SQL("?2") ", 'forgotten', "
	    "CAST(strftime('%s', 'now') AS INTEGER))",
	"INSERT INTO events (kind, subscriber_id, source, created_at) "
	    "SELECT 'forgotten', id, 'cli', CAST(strftime('%s', 'now') AS "
	    "INTEGER) FROM subscribers WHERE id = ?1",
};

int
person_forget(struct db *db, const char *email, int really,
    struct person_forgotten *f)
{
	sqlite3_int64 id;
	size_t i;
	int r;

	memset(f, 0, sizeof(*f));
	if (db_begin(db) == -1)
		return -1;
	r = subscriber_id(db, email, &id);
	if (r == -1 || count_all(db, id, email, f) == -1)
		goto fail;
	f->had_record = r == 1;
	if (!really) {
		db_rollback(db);
		return 0;
	}
	for (i = 0; i < sizeof(forget_sql) / sizeof(forget_sql[0]); i++)
		if (forget_step(db, forget_sql[i], id, email) == -1)
			goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}
