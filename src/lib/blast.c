/* blast: blasts and their recipients (see blast.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blast.h"
#include "buf.h"
#include "log.h"
#include "reltime.h"
#include "xalloc.h"


static int
insert_blast(struct db *db, const struct blast_spec *s, sqlite3_int64 *id)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "INSERT INTO blasts (list_id, action_id, "
	    "template_name, template, partials, segment, state, due_at, rate, "
	    "recipients, created_at, draft) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "'scheduled', ?7, ?8, 0, ?9, ?10)");
	sqlite3_bind_int64(st, 1, s->list_id);
	db_bind_positive(st, 2, s->action_id);
	db_bind_text(st, 3, s->template_name);
	db_bind_text(st, 4, s->template_text);
	db_bind_text(st, 5, s->partials_json);
	db_bind_text(st, 6, s->segment);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)s->due_at);
	db_bind_positive(st, 8, s->rate);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)time(NULL));
	sqlite3_bind_int(st, 10, s->draft != 0);
	r = db_step_done(db, st, "cannot create the blast");
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(db->handle);
	return r;
}

/* The segment, evaluated once: one delivery per recipient. */
static int
insert_deliveries(struct db *db, const struct blast_spec *s, sqlite3_int64 id)
{
	sqlite3_stmt *st;
	int r;

	st = segment_prepare(db, &s->seg, "INSERT INTO deliveries (blast_id, "
	    "subscriber_id, updated_at) SELECT ?1, m.subscriber_id, ?2", 3);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	r = db_step_done(db, st, "cannot choose the recipients");
	sqlite3_finalize(st);
	return r;
}

static int
set_recipients(struct db *db, sqlite3_int64 id, long long *n)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "UPDATE blasts SET recipients = (SELECT count(*) "
	    "FROM deliveries WHERE blast_id = ?1) WHERE id = ?1 "
	    "RETURNING recipients");
	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(db, st, "cannot count the recipients");
	if (r == 1) {
		*n = sqlite3_column_int64(st, 0);
		r = db_step_row(db, st, "cannot count the recipients");
	}
	sqlite3_finalize(st);
	return r;
}

int
blast_create(struct db *db, const struct blast_spec *s, sqlite3_int64 *id,
    long long *recipients)
{
	if (db_begin(db) == -1)
		return -1;
	if (insert_blast(db, s, id) == -1 || insert_deliveries(db, s, *id))
		goto fail;
	if (set_recipients(db, *id, recipients) == -1)
		goto fail;
	if (*recipients == 0 && !s->allow_empty) {
		log_warnx("blast not made: the segment (%s) matches nobody; "
		    "--allow-empty makes it anyway", s->segment);
		fail_set(FAIL_DATA);
		goto fail;
	}
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int
blast_load(struct db *db, sqlite3_int64 id, struct blast *b)
{
	sqlite3_stmt *st;
	int r;

	memset(b, 0, sizeof(*b));
	st = db_prepare(db, "SELECT b.id, b.list_id, l.name, l.from_addr, "
	    "coalesce(b.action_id, 0), b.template_name, b.template, "
	    "b.partials, coalesce(b.rate, 0), b.recipients, b.kind = "
	    "'confirm', l.title, l.postal_address, l.footer, "
	    "b.complaint_override FROM blasts b JOIN lists l ON l.id = "
	    "b.list_id WHERE b.id = ?1");
	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(db, st, "cannot read the blast");
	if (r == 1) {
		b->id = sqlite3_column_int64(st, 0);
		b->list_id = sqlite3_column_int64(st, 1);
		b->list_name = xstrdup(db_column_text(st, 2));
		b->list_from = xstrdup(db_column_text(st, 3));
		b->action_id = sqlite3_column_int64(st, 4);
		b->template_name = xstrdup(db_column_text(st, 5));
		b->template = xstrdup(db_column_text(st, 6));
		b->partials = xstrdup(db_column_text(st, 7));
		b->rate = (long)sqlite3_column_int64(st, 8);
		b->recipients = sqlite3_column_int64(st, 9);
		b->is_confirm = sqlite3_column_int(st, 10);
		b->list_title = xstrdup(db_column_text(st, 11));
		b->list_address = xstrdup(db_column_text(st, 12));
		b->list_footer = sqlite3_column_type(st, 13) == SQLITE_NULL ?
		    NULL : xstrdup(db_column_text(st, 13));
		b->complaint_override = sqlite3_column_int(st, 14);
	}
	sqlite3_finalize(st);
	if (r == 0) {
		log_warnx("no blast %lld (see 'tocsin blast ls')",
		    (long long)id);
		fail_set(FAIL_DATA);
	}
	return r;
}

void
blast_release(struct blast *b)
{
	free(b->list_name);
	free(b->list_from);
	free(b->list_title);
	free(b->list_address);
	free(b->list_footer);
	free(b->template_name);
	free(b->template);
	free(b->partials);
	memset(b, 0, sizeof(*b));
}

int
blast_schedule(struct db *db, sqlite3_int64 id, time_t due_at)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "UPDATE blasts SET draft = 0, due_at = ?2, "
	    "state_reason = 'scheduled by the operator', state_at = "
	    "strftime('%s', 'now') WHERE id = ?1 AND draft = 1 AND state "
	    "= 'scheduled'");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)due_at);
	r = db_step_done(db, st, "cannot schedule the blast");
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	if (sqlite3_changes(db->handle) == 1)
		return 1;
	log_warnx("blast %lld is not a draft (see 'tocsin blast show %lld')",
	    (long long)id, (long long)id);
	fail_set(FAIL_DATA);
	return 0;
}
