/* suppress: the global suppression list (see suppress.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "log.h"
#include "people.h"
#include "reltime.h"
#include "suppress.h"
#include "utf8.h"

const char *
suppress_reason_problem(const char *reason)
{
	size_t i, len = strlen(reason);

	if (len == 0)
		return "a reason is needed";
	if (len > SUPPRESS_REASON_MAX)
		return "the reason is longer than 200 bytes";
	for (i = 0; i < len; i++)
		if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7f)
			return "the reason has a control character";
	return NULL;
}

/* The change, as an event on the person if we know them. */
static int
suppress_event(struct db *db, const char *kind, const char *email,
    const char *reason, const char *source, time_t now)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "INSERT INTO events (kind, subscriber_id, "
	    "detail, source, created_at) VALUES (?1, (SELECT id FROM "
	    "subscribers WHERE email = ?2), ?3, ?4, ?5)");
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, email);
	db_bind_text(st, 3, reason);
	db_bind_text(st, 4, source);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	r = db_step_done(db, st, "cannot record an event");
	sqlite3_finalize(st);
	return r;
}

int
suppress_add(struct db *db, const char *email, const char *reason,
    const char *source, time_t when)
{
	sqlite3_stmt *st;
	int r, added;

	st = db_prepare(db, "INSERT OR IGNORE INTO suppressions (email, "
	    "reason, created_at) VALUES (?1, ?2, ?3)");
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, reason);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)when);
	r = db_step_done(db, st, "cannot suppress an address");
	added = r == 0 && sqlite3_changes(db->handle) > 0;
	sqlite3_finalize(st);
	if (r == -1 || (added && suppress_event(db, "suppress", email, reason,
	    source, time(NULL)) == -1))
		return -1;
	return added;
}

int
suppress_remove(struct db *db, const char *email, const char *reason)
{
	sqlite3_stmt *st;
	int r, removed;

	/* An address given back after person forget lifts its hash too. */
	st = db_prepare(db, "DELETE FROM suppressions WHERE email IN (?1, "
	    PEOPLE_FORGOTTEN_SQL("?1") ")");
	db_bind_text(st, 1, email);
	r = db_step_done(db, st, "cannot lift a suppression");
	removed = r == 0 && sqlite3_changes(db->handle) > 0;
	sqlite3_finalize(st);
	if (r == -1 || (removed && suppress_event(db, "unsuppress", email,
	    reason, "cli", time(NULL)) == -1))
		return -1;
	return removed;
}

int
suppress_print(struct db *db, enum out_format format)
{
	static const char *const headers[] = { "email", "reason", "since" };
	const char *v[3];
	char since[32];
	sqlite3_stmt *st;
	struct out o;
	int r;

	st = db_prepare(db, "SELECT email, reason, created_at FROM "
	    "suppressions ORDER BY created_at DESC, email");
	out_begin(&o, format, 3, headers);
	for (;;) {
		r = db_step_row(db, st, "cannot list suppressions");
		if (r != 1)
			break;
		reltime_local(since, sizeof(since),
		    (time_t)sqlite3_column_int64(st, 2));
		v[0] = db_column_text(st, 0);
		v[1] = db_column_text(st, 1);
		v[2] = since;
		out_row(&o, v);
	}
	sqlite3_finalize(st);
	return out_end(&o) == -1 ? -1 : r;
}

struct suppress_run {
	struct db			*db;
	const struct import_header	*h;
	const char			*name;
	const char			*reason;
	int				 reason_col;	/* -1: none */
	int				 since_col;
	time_t				 now;
};

/* A column the header names, or -1. */
static int
named_column(const struct import_header *h, const char *want)
{
	size_t i;

	for (i = 0; i < h->ncols; i++)
		if (strcasecmp(h->names[i], want) == 0)
			return (int)i;
	return -1;
}

static int
suppress_row(void *ctx, const struct csvin_row *row, struct import_counts *c)
{
	const struct suppress_run *run = ctx;
	char email[ADDR_MAX_LEN + 1], reason[SUPPRESS_REASON_MAX + 1];
	const char *problem;
	time_t when = run->now;
	int r;

	if (import_row_check(run->h, row, run->name, email) == -1) {
		c->rejected++;
		return 0;
	}
	snprintf(reason, sizeof(reason), "%s", run->reason);
	if (run->reason_col >= 0 && row->lens[run->reason_col] >
	    SUPPRESS_REASON_MAX)
		problem = "the reason is longer than 200 bytes";
	else {
		if (run->reason_col >= 0 && row->lens[run->reason_col] > 0)
			snprintf(reason, sizeof(reason), "%s",
			    row->fields[run->reason_col]);
		problem = suppress_reason_problem(reason);
	}
	if (problem == NULL && !utf8_is_valid(reason, strlen(reason)))
		problem = "the reason is not UTF-8";
	if (problem == NULL && run->since_col >= 0 &&
	    row->lens[run->since_col] > 0 &&
	    reltime_parse(row->fields[run->since_col], &when) == -1)
		problem = "since is not 'YYYY-MM-DD HH:MM'";
	if (problem != NULL) {
		log_warnx("%s:%zu: rejected: %s", run->name, row->line,
		    problem);
		c->rejected++;
		return 0;
	}
	r = suppress_add(run->db, email, reason, run->name, when);
	if (r == 1)
		c->imported++;
	else if (r == 0)
		c->unchanged++;
	return r == -1 ? -1 : 0;
}

int
suppress_import(struct db *db, FILE *fp, const char *name,
    const char *reason, struct import_counts *counts)
{
	struct import_header h;
	struct csvin in;
	int r = -1;

	memset(counts, 0, sizeof(*counts));
	csvin_init(&in, fp);
	if (import_header_read(&h, &in, name, IMPORT_SUPPRESSIONS) == 0) {
		struct suppress_run run = { db, &h, name, reason,
		    named_column(&h, "reason"), named_column(&h, "since"),
		    time(NULL) };

		r = import_each_row(db, &in, name, import_file_size(fp),
		    counts, suppress_row, &run);
	}
	import_header_release(&h);
	csvin_release(&in);
	return r;
}

int
suppress_export(struct db *db)
{
	char since[32];
	sqlite3_stmt *st;
	int r;

	/* A forgotten address's hash is salted for this database only. */
	st = db_prepare(db, "SELECT email, reason, created_at FROM "
	    "suppressions WHERE email NOT LIKE 'forgotten:%' ORDER BY email");
	fputs("email,reason,since\n", stdout);
	for (;;) {
		r = db_step_row(db, st, "cannot export suppressions");
		if (r != 1)
			break;
		reltime_local(since, sizeof(since),
		    (time_t)sqlite3_column_int64(st, 2));
		out_csv_field(db_column_text(st, 0), 0);
		out_csv_field(db_column_text(st, 1), 0);
		out_csv_field(since, 1);
	}
	sqlite3_finalize(st);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_warn("cannot write the export");
		fail_set(FAIL_TEMP);
		return -1;
	}
	return r;
}
