/* confirm: confirmation mails as deliveries (see confirm.h). */
#include <string.h>

#include "confirm.h"
#include "log.h"

int
confirm_blast(struct db *db, sqlite3_int64 list_id, sqlite3_int64 action_id,
    const char *template_name, const char *text, time_t now,
    sqlite3_int64 *id)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "SELECT id FROM blasts WHERE kind = 'confirm' AND "
	    "list_id = ?1 AND coalesce(action_id, 0) = ?2 AND state != "
	    "'cancelled' ORDER BY id LIMIT 1");
	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_int64(st, 2, action_id);
	r = db_step_row(db, st, "find a confirmation blast");
	if (r == 1)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r != 0)
		return r == 1 ? 0 : -1;
	st = db_prepare(db, "INSERT INTO blasts (list_id, action_id, "
	    "template_name, template, segment, state, due_at, recipients, "
	    "created_at, kind) VALUES (?1, ?2, ?3, ?4, ?5, 'scheduled', ?6, 0, "
	    "?6, 'confirm')");
	sqlite3_bind_int64(st, 1, list_id);
	db_bind_positive(st, 2, action_id);
	db_bind_text(st, 3, template_name);
	db_bind_text(st, 4, text);
	db_bind_text(st, 5, action_id > 0 ? "confirmations of signatures "
	    "from the web page" : "confirmations of subscriptions");
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	r = db_step_done(db, st, "make a confirmation blast");
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(db->handle);
	return r;
}

int
confirm_queue(struct db *db, sqlite3_int64 blast_id,
    sqlite3_int64 subscriber_id, time_t now, sqlite3_int64 *delivery_id)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "INSERT INTO deliveries (blast_id, subscriber_id, "
	    "updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (blast_id, "
	    "subscriber_id) DO NOTHING");
	sqlite3_bind_int64(st, 1, blast_id);
	sqlite3_bind_int64(st, 2, subscriber_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	r = db_step_done(db, st, "queue a confirmation");
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	if (sqlite3_changes(db->handle) == 0)
		return 0;
	*delivery_id = sqlite3_last_insert_rowid(db->handle);
	/* A done blast has work again. */
	st = db_prepare(db, "UPDATE blasts SET state = 'scheduled', "
	    "finished_at = NULL, recipients = recipients + 1 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, blast_id);
	r = db_step_done(db, st, "reopen a confirmation blast");
	sqlite3_finalize(st);
	return r == -1 ? -1 : 1;
}
