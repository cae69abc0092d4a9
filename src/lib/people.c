/* people: lists, subscribers and the compliance rule (see people.h). */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "people.h"
#include "utf8.h"

static void bind_salt(struct people *);

/*
 * Whether address `a` is suppressed, as itself or as the salted hash
 * person forget leaves (salt `salt`, bound once: see bind_salt). Every
 * statement that may add a person asks it in these words.
 */
#define SUPPRESSED(a, salt) "(EXISTS (SELECT 1 FROM suppressions x " \
	"WHERE x.email = " a ") OR EXISTS (SELECT 1 FROM suppressions x " \
	"WHERE x.email = 'forgotten:' || forget_hash(" salt ", " a ")))"

void
people_init(struct people *p, struct db *db)
{
	memset(p, 0, sizeof(*p));
	p->db = db;
	/* One row always: the subscriber (id NULL if none), their status
	 * on the list, and whether the address is suppressed. One
	 * statement instead of two is a tenth of an import's time. */
	p->find = db_prepare(db,
	    "SELECT s.id, m.status, " SUPPRESSED("?1", "?3") " "
	    "FROM (SELECT 1) "
	    "LEFT JOIN subscribers s ON s.email = ?1 "
	    "LEFT JOIN memberships m ON m.subscriber_id = s.id "
	    "AND m.list_id = ?2");
	/* json_patch keeps fields in one canonical form, so an update
	 * can tell "changed" from "the same" by comparing text. */
	p->insert_sub = db_prepare(db,
	    "INSERT INTO subscribers (email, first_name, last_name, fields, "
	    "created_at, updated_at) VALUES (?1, coalesce(?2, ''), "
	    "coalesce(?3, ''), json_patch('{}', coalesce(?4, '{}')), ?5, ?5)");
	/* The same insert for a new person only: nothing for one who
	 * exists or is suppressed (see people_subscribe). */
	p->insert_new = db_prepare(db,
	    "INSERT INTO subscribers (email, first_name, last_name, fields, "
	    "created_at, updated_at) SELECT ?1, coalesce(?2, ''), "
	    "coalesce(?3, ''), json_patch('{}', coalesce(?4, '{}')), ?5, "
	    "?5 WHERE NOT " SUPPRESSED("?1", "?6") " "
	    "ON CONFLICT (email) DO NOTHING");
	p->update_sub = db_prepare(db,
	    "UPDATE subscribers SET first_name = coalesce(?2, first_name), "
	    "last_name = coalesce(?3, last_name), "
	    "fields = json_patch(fields, coalesce(?4, '{}')), updated_at = ?5 "
	    "WHERE id = ?1 AND (first_name IS NOT coalesce(?2, first_name) "
	    "OR last_name IS NOT coalesce(?3, last_name) "
	    "OR fields IS NOT json_patch(fields, coalesce(?4, '{}')))");
	p->fill_sub = db_prepare(db,
	    "UPDATE subscribers SET "
	    "first_name = CASE first_name WHEN '' THEN coalesce(?2, '') "
	    "ELSE first_name END, "
	    "last_name = CASE last_name WHEN '' THEN coalesce(?3, '') "
	    "ELSE last_name END, updated_at = ?4 "
	    "WHERE id = ?1 AND ((first_name = '' AND coalesce(?2, '') != '') "
	    "OR (last_name = '' AND coalesce(?3, '') != ''))");
	p->insert_member = db_prepare(db,
	    "INSERT INTO memberships (list_id, subscriber_id, status, source, "
	    "subscribed_at, status_at) VALUES (?1, ?2, 'subscribed', ?3, "
	    "?4, ?4)");
	p->set_status = db_prepare(db,
	    "UPDATE memberships SET status = ?3, status_at = ?4, "
	    "status_reason = ?5 WHERE list_id = ?1 AND subscriber_id = ?2");
	p->suppress = db_prepare(db, "INSERT OR IGNORE INTO suppressions "
	    "(email, reason, created_at) VALUES (?1, ?2, ?3)");
	p->unsuppress = db_prepare(db,
	    "DELETE FROM suppressions WHERE email IN (?1, "
	    PEOPLE_FORGOTTEN_SQL("?1") ")");
	p->event = db_prepare(db,
	    "INSERT INTO events (kind, subscriber_id, list_id, detail, source, "
	    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	p->event_delivery = db_prepare(db,
	    "UPDATE events SET delivery_id = ?2 WHERE id = ?1");
	bind_salt(p);
}

/*
 * The forget salt, bound once: the lookup runs for every row of an
 * import, and the salt never changes. (An IN list with a subquery in
 * it made SQLite build a temporary table for every row.)
 */
static void
bind_salt(struct people *p)
{
	sqlite3_stmt *st = db_prepare(p->db, "SELECT value FROM salts "
	    "WHERE name = 'forget'");

	if (db_step_row(p->db, st, "cannot read the forget salt") == 1) {
		sqlite3_bind_blob(p->find, 3, sqlite3_column_blob(st, 0),
		    sqlite3_column_bytes(st, 0), SQLITE_TRANSIENT);
		sqlite3_bind_blob(p->insert_new, 6, sqlite3_column_blob(st, 0),
		    sqlite3_column_bytes(st, 0), SQLITE_TRANSIENT);
	}
	sqlite3_finalize(st);
}

void
people_bouncer_init(struct people_bouncer *b, struct db *db)
{
	b->db = db;
	b->mark = db_prepare(db, "UPDATE memberships SET status = 'bounced', "
	    "status_at = ?2, status_reason = ?3 WHERE subscriber_id = ?1 AND "
	    "status IN ('subscribed', 'pending')");
	b->event = db_prepare(db, "INSERT INTO events (kind, subscriber_id, "
	    "list_id, detail, source, created_at, delivery_id, imap_uid, "
	    "inbox_message_id) VALUES ('bounce', ?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8)");
}

void
people_bouncer_release(struct people_bouncer *b)
{
	sqlite3_finalize(b->mark);
	sqlite3_finalize(b->event);
	memset(b, 0, sizeof(*b));
}

int
people_mark_bounced(struct people_bouncer *b, const struct people_bounce *w)
{
	int changed;

	sqlite3_bind_int64(b->mark, 1, w->subscriber_id);
	sqlite3_bind_int64(b->mark, 2, (sqlite3_int64)w->now);
	db_bind_text(b->mark, 3, w->reason);
	if (db_step_done(b->db, b->mark, "cannot record a bounce") == -1)
		return -1;
	changed = sqlite3_changes(b->db->handle);
	sqlite3_bind_int64(b->event, 1, w->subscriber_id);
	db_bind_positive(b->event, 2, w->list_id);
	db_bind_text(b->event, 3, w->detail);
	db_bind_text(b->event, 4, w->source);
	sqlite3_bind_int64(b->event, 5, (sqlite3_int64)w->now);
	db_bind_positive(b->event, 6, w->delivery_id);
	db_bind_positive(b->event, 7, w->imap_uid);
	db_bind_positive(b->event, 8, w->inbox_message_id);
	if (db_step_done(b->db, b->event, "cannot record a bounce") == -1)
		return -1;
	return changed;
}

void
people_release(struct people *p)
{
	sqlite3_finalize(p->find);
	sqlite3_finalize(p->insert_sub);
	sqlite3_finalize(p->insert_new);
	sqlite3_finalize(p->update_sub);
	sqlite3_finalize(p->fill_sub);
	sqlite3_finalize(p->insert_member);
	sqlite3_finalize(p->set_status);
	sqlite3_finalize(p->suppress);
	sqlite3_finalize(p->unsuppress);
	sqlite3_finalize(p->event);
	sqlite3_finalize(p->event_delivery);
	memset(p, 0, sizeof(*p));
}

static int
record_event(struct people *p, const char *kind, sqlite3_int64 sub_id,
    sqlite3_int64 list_id, const char *detail, const char *source,
    time_t now)
{
	sqlite3_stmt *st = p->event;

	db_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, sub_id);
	sqlite3_bind_int64(st, 3, list_id);
	db_bind_text(st, 4, detail);
	db_bind_text(st, 5, source);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)now);
	return db_step_done(p->db, st, "cannot record an event");
}

/*
 * Finds the subscriber, their status on the list ("" if not on it) and
 * whether the address is suppressed. Returns 1 if they exist, 0 if not,
 * -1 on error.
 */
static int
find_person(struct people *p, const char *email, sqlite3_int64 list_id,
    sqlite3_int64 *id, char *status, size_t statussize, int *suppressed)
{
	int r, exists;

	db_bind_text(p->find, 1, email);
	sqlite3_bind_int64(p->find, 2, list_id);
	r = db_step_row(p->db, p->find, "cannot look up a subscriber");
	if (r != 1)
		return r == 0 ? -1 : r;
	exists = sqlite3_column_type(p->find, 0) != SQLITE_NULL;
	*id = sqlite3_column_int64(p->find, 0);
	snprintf(status, statussize, "%s", db_column_text(p->find, 1));
	*suppressed = sqlite3_column_int(p->find, 2);
	sqlite3_reset(p->find);
	return exists;
}

/*
 * A name as stored (utf8_tidy: no no-break or zero-width characters,
 * one space between words); one that tidies to nothing is NULL, "keep".
 */
static void
bind_name(sqlite3_stmt *st, int idx, const char *name)
{
	char tidy[PEOPLE_NAME_MAX + 1];

	if (name == NULL || utf8_tidy(name, tidy, sizeof(tidy)) == 0)
		sqlite3_bind_null(st, idx);
	else
		db_bind_text(st, idx, tidy);
}

/* ?2 to ?5 of the statements that store a person: names, fields, now. */
static void
bind_values(sqlite3_stmt *st, const struct person *who, time_t now)
{
	bind_name(st, 2, who->first_name);
	bind_name(st, 3, who->last_name);
	db_bind_text(st, 4, who->fields_json);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
}

/* Inserts or updates the subscriber: 1 if anything changed, 0, -1. */
static int
store_person(struct people *p, const struct person *who, int exists,
    sqlite3_int64 *id, time_t now)
{
	sqlite3_stmt *st = exists ? p->update_sub : p->insert_sub;

	/* ?1 is the id to update or the address to insert. */
	if (exists)
		sqlite3_bind_int64(st, 1, *id);
	else
		db_bind_text(st, 1, who->email);
	bind_values(st, who, now);
	if (db_step_done(p->db, st, "cannot store a subscriber") == -1)
		return -1;
	if (!exists)
		*id = sqlite3_last_insert_rowid(p->db->handle);
	return sqlite3_changes(p->db->handle) > 0;
}

static int
set_status(struct people *p, sqlite3_int64 list_id, sqlite3_int64 sub_id,
    const char *status, const char *reason, time_t now)
{
	sqlite3_stmt *st = p->set_status;

	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_int64(st, 2, sub_id);
	db_bind_text(st, 3, status);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	db_bind_text(st, 5, reason);
	return db_step_done(p->db, st, "cannot change a status");
}

static int
add_member(struct people *p, sqlite3_int64 list_id, sqlite3_int64 sub_id,
    const char *source, time_t now)
{
	sqlite3_stmt *st = p->insert_member;

	sqlite3_bind_int64(st, 1, list_id);
	sqlite3_bind_int64(st, 2, sub_id);
	db_bind_text(st, 3, source);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	return db_step_done(p->db, st, "cannot add to the list");
}

static int
resubscribe(struct people *p, sqlite3_int64 list_id, sqlite3_int64 sub_id,
    const struct person *who, int on_list, const char *source,
    const char *reason, time_t now)
{
	if (on_list) {
		if (set_status(p, list_id, sub_id, "subscribed", reason,
		    now) == -1)
			return -1;
	} else if (add_member(p, list_id, sub_id, source, now) == -1)
		return -1;
	db_bind_text(p->unsuppress, 1, who->email);
	if (db_step_done(p->db, p->unsuppress, "cannot lift a suppression"))
		return -1;
	if (record_event(p, "resubscribe", sub_id, list_id, reason, source,
	    now) == -1)
		return -1;
	return PEOPLE_RESUBSCRIBED;
}

/*
 * Inserts the person if no one has the address and it is not
 * suppressed: 1 if it did (*id set), 0 if not, -1 on error.
 */
static int
insert_if_new(struct people *p, const struct person *who, time_t now,
    sqlite3_int64 *id)
{
	sqlite3_stmt *st = p->insert_new;

	db_bind_text(st, 1, who->email);
	bind_values(st, who, now);
	if (db_step_done(p->db, st, "cannot store a subscriber") == -1)
		return -1;
	if (sqlite3_changes(p->db->handle) == 0)
		return 0;
	*id = sqlite3_last_insert_rowid(p->db->handle);
	return 1;
}

int
people_subscribe(struct people *p, sqlite3_int64 list_id,
    const struct person *who, const char *source,
    const char *resubscribe_reason, time_t now)
{
	char status[16] = "";
	sqlite3_int64 id = 0;
	int exists, suppressed, changed, blocked;

	/*
	 * A new person is one statement and one search of the address
	 * index fewer when the insert comes first. It is tried while the
	 * people subscribed are new (a first import), and the lookup
	 * first while they are known (a second import of the same file).
	 */
	if (p->expect_new) {
		exists = insert_if_new(p, who, now, &id);
		if (exists == -1)
			return -1;
		if (exists == 1)
			return add_member(p, list_id, id, source, now) == -1 ?
			    -1 : PEOPLE_IMPORTED;
		p->expect_new = 0;
	}
	exists = find_person(p, who->email, list_id, &id, status,
	    sizeof(status), &suppressed);
	if (exists == -1)
		return -1;
	p->expect_new = !exists && !suppressed;
	blocked = suppressed || strcmp(status, "unsubscribed") == 0 ||
	    strcmp(status, "bounced") == 0 || strcmp(status, "complained") == 0;
	if (blocked && resubscribe_reason == NULL)
		return PEOPLE_LEFT_ALONE;
	changed = store_person(p, who, exists, &id, now);
	if (changed == -1)
		return -1;
	if (blocked)
		return resubscribe(p, list_id, id, who, status[0] != '\0',
		    source, resubscribe_reason, now);
	if (status[0] == '\0') {
		if (add_member(p, list_id, id, source, now) == -1)
			return -1;
		return PEOPLE_IMPORTED;
	}
	/* Pending is someone's request, perhaps a stranger's for an address
	 * that had left: only their confirmation (people_confirm) or the
	 * operator's reason ends it. */
	if (strcmp(status, "pending") == 0 && resubscribe_reason != NULL)
		return resubscribe(p, list_id, id, who, 1, source,
		    resubscribe_reason, now);
	return changed ? PEOPLE_UPDATED : PEOPLE_UNCHANGED;
}

int
people_confirm(struct people *p, sqlite3_int64 list_id,
    const struct person *who, const char *source, time_t now)
{
	char status[16] = "";
	sqlite3_int64 id = 0;
	int exists, suppressed;

	exists = find_person(p, who->email, list_id, &id, status,
	    sizeof(status), &suppressed);
	if (exists == -1)
		return -1;
	if (strcmp(status, "pending") != 0 || suppressed)
		return people_subscribe(p, list_id, who, source, NULL, now);
	if (set_status(p, list_id, id, "subscribed", source, now) == -1)
		return -1;
	return PEOPLE_UPDATED;
}

int
people_request(struct people *p, sqlite3_int64 list_id,
    const struct person *who, const char *source, time_t now,
    sqlite3_int64 *id)
{
	char status[16] = "";
	int exists, suppressed;

	*id = 0;
	exists = find_person(p, who->email, list_id, id, status,
	    sizeof(status), &suppressed);
	if (exists == -1)
		return -1;
	if (suppressed || strcmp(status, "bounced") == 0 ||
	    strcmp(status, "complained") == 0)
		return PEOPLE_LEFT_ALONE;
	if (strcmp(status, "subscribed") == 0 || strcmp(status, "pending") == 0)
		return PEOPLE_UNCHANGED;
	/* A stranger's form never renames someone: names fill blanks only. */
	if (people_find_or_create(p, who, now, id) == -1)
		return -1;
	if (status[0] == '\0' && add_member(p, list_id, *id, source, now) == -1)
		return -1;
	if (set_status(p, list_id, *id, "pending", status[0] == '\0' ?
	    "asked to join: confirmation sent" : "asked to join again: "
	    "confirmation sent", now) == -1 ||
	    record_event(p, "pending", *id, list_id, NULL, source, now) == -1)
		return -1;
	return PEOPLE_IMPORTED;
}

int
people_find_or_create(struct people *p, const struct person *who,
    time_t now, sqlite3_int64 *id)
{
	struct person names_only = *who;
	char status[16];
	sqlite3_stmt *st = p->fill_sub;
	int exists, suppressed;

	exists = find_person(p, who->email, 0, id, status, sizeof(status),
	    &suppressed);
	if (exists == -1)
		return -1;
	if (!exists) {
		names_only.fields_json = NULL;
		return store_person(p, &names_only, 0, id, now) == -1 ? -1 : 0;
	}
	sqlite3_bind_int64(st, 1, *id);
	bind_name(st, 2, who->first_name);
	bind_name(st, 3, who->last_name);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
	return db_step_done(p->db, st, "cannot store a subscriber");
}

int
people_unsubscribe(struct people *p, sqlite3_int64 list_id,
    const char *email, const char *source, sqlite3_int64 delivery_id,
    time_t now, char *status, size_t statussize)
{
	sqlite3_int64 id;
	int r, suppressed;

	status[0] = '\0';
	r = find_person(p, email, list_id, &id, status, statussize,
	    &suppressed);
	if (r <= 0 || (strcmp(status, "subscribed") != 0 &&
	    strcmp(status, "pending") != 0))
		return r == -1 ? -1 : 0;
	if (set_status(p, list_id, id, "unsubscribed", source, now) == -1 ||
	    record_event(p, "unsubscribe", id, list_id, NULL, source,
	    now) == -1)
		return -1;
	if (delivery_id > 0) {
		sqlite3_stmt *st = p->event_delivery;

		/* the event just written, with the delivery that asked */
		sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(
		    p->db->handle));
		sqlite3_bind_int64(st, 2, delivery_id);
		if (db_step_done(p->db, st, "cannot record an event") == -1)
			return -1;
	}
	return 1;
}

static int
has_left(const char *status)
{
	return strcmp(status, "unsubscribed") == 0 ||
	    strcmp(status, "bounced") == 0 || strcmp(status, "complained") == 0;
}

int
people_record_left(struct people *p, sqlite3_int64 list_id,
    const struct person *who, const char *status, const char *source,
    const char *reason, time_t now)
{
	static const char *const kinds[][2] = { { "unsubscribed",
	    "unsubscribe" }, { "bounced", "bounce" }, { "complained",
	    "complaint" } };
	char was[16];
	sqlite3_int64 id;
	int r, suppressed;
	size_t k;

	for (k = 0; k < 3 && strcmp(kinds[k][0], status) != 0; k++)
		;
	if (k == 3)
		BUG("people_record_left: not a status of leaving");
	r = find_person(p, who->email, list_id, &id, was, sizeof(was),
	    &suppressed);
	if (r == -1)
		return -1;
	if (has_left(was))
		return PEOPLE_UNCHANGED;	/* the first word stands */
	if (people_find_or_create(p, who, now, &id) == -1 ||
	    (was[0] == '\0' && add_member(p, list_id, id, source, now) == -1) ||
	    set_status(p, list_id, id, status, reason, now) == -1 ||
	    record_event(p, kinds[k][1], id, list_id, reason, source,
	    now) == -1)
		return -1;
	/* A spam report is about all our mail, as the inbox treats one. */
	if (strcmp(status, "complained") == 0) {
		db_bind_text(p->suppress, 1, who->email);
		db_bind_text(p->suppress, 2, "complained");
		sqlite3_bind_int64(p->suppress, 3, (sqlite3_int64)now);
		if (db_step_done(p->db, p->suppress, "cannot suppress") == -1)
			return -1;
	}
	return PEOPLE_LEFT;
}

int
people_record_pending(struct people *p, sqlite3_int64 list_id,
    const struct person *who, const char *source, time_t now)
{
	char was[16];
	sqlite3_int64 id;
	int r, suppressed;

	r = find_person(p, who->email, list_id, &id, was, sizeof(was),
	    &suppressed);
	if (r == -1)
		return -1;
	if (was[0] != '\0' || suppressed)
		return has_left(was) || suppressed ? PEOPLE_LEFT_ALONE :
		    PEOPLE_UNCHANGED;
	if (people_find_or_create(p, who, now, &id) == -1 ||
	    add_member(p, list_id, id, source, now) == -1 ||
	    set_status(p, list_id, id, "pending", "not confirmed "
	    "before the import", now) == -1)
		return -1;
	return PEOPLE_PENDING;
}
