/* list_members: who is on a list, shown and exported (see list.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "addr.h"
#include "buf.h"
#include "log.h"
#include "reltime.h"
#include "list.h"
#include "slug.h"
#include "xalloc.h"


static const char *const statuses[] = { "subscribed", "unsubscribed",
    "bounced", "complained", "pending" };

const char *
list_status_problem(const char *status)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(status, statuses[i]) == 0)
			return NULL;
	return "a status is subscribed, unsubscribed, bounced, "
	    "complained or pending";
}

int
lists_print(struct db *db, enum out_format format)
{
	static const char *const headers[] = { "name", "from", "reply_to",
	    "subscribed", "members", "created" };
	char subscribed[24], members[24], created[32];
	const char *v[6];
	sqlite3_stmt *st;
	struct out o;
	int r;

	st = db_prepare(db, "SELECT l.name, l.from_addr, l.reply_to, "
	    "(SELECT count(*) FROM memberships m WHERE m.list_id = l.id AND "
	    "m.status = 'subscribed'), (SELECT count(*) FROM memberships m "
	    "WHERE m.list_id = l.id), l.created_at FROM lists l "
	    "WHERE l.removed_at IS NULL ORDER BY l.name");
	out_begin(&o, format, 6, headers);
	for (;;) {
		r = db_step_row(db, st, "cannot list lists");
		if (r != 1)
			break;
		snprintf(subscribed, sizeof(subscribed), "%lld",
		    (long long)sqlite3_column_int64(st, 3));
		snprintf(members, sizeof(members), "%lld",
		    (long long)sqlite3_column_int64(st, 4));
		reltime_local(created, sizeof(created),
		    (time_t)sqlite3_column_int64(st, 5));
		v[0] = db_column_text(st, 0);
		v[1] = db_column_text(st, 1);
		v[2] = db_column_text(st, 2);
		v[3] = subscribed;
		v[4] = members;
		v[5] = created;
		out_row(&o, v);
	}
	sqlite3_finalize(st);
	return out_end(&o) == -1 ? -1 : r;
}

static sqlite3_stmt *
members_query(struct db *db, sqlite3_int64 list_id, const char *status)
{
	sqlite3_stmt *st;

	st = db_prepare(db, "SELECT s.email, s.first_name, s.last_name, "
	    "m.status, m.source, m.subscribed_at, m.status_at, s.fields "
	    "FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id "
	    "WHERE m.list_id = ?1 AND (?2 IS NULL OR m.status = ?2) "
	    "ORDER BY s.email");
	sqlite3_bind_int64(st, 1, list_id);
	db_bind_text(st, 2, status);
	return st;
}

int
list_members_print(struct db *db, sqlite3_int64 list_id,
    const char *status, enum out_format format)
{
	static const char *const headers[] = { "email", "first_name",
	    "last_name", "status", "source", "subscribed_at", "status_at" };
	char since[32], changed[32];
	const char *v[7];
	sqlite3_stmt *st = members_query(db, list_id, status);
	struct out o;
	int r;

	out_begin(&o, format, 7, headers);
	for (;;) {
		r = db_step_row(db, st, "cannot list subscribers");
		if (r != 1)
			break;
		reltime_local(since, sizeof(since),
		    (time_t)sqlite3_column_int64(st, 5));
		reltime_local(changed, sizeof(changed),
		    (time_t)sqlite3_column_int64(st, 6));
		v[0] = db_column_text(st, 0);
		v[1] = db_column_text(st, 1);
		v[2] = db_column_text(st, 2);
		v[3] = db_column_text(st, 3);
		v[4] = db_column_text(st, 4);
		v[5] = since;
		v[6] = changed;
		out_row(&o, v);
	}
	sqlite3_finalize(st);
	return out_end(&o) == -1 ? -1 : r;
}

int
list_field_names(struct db *db, sqlite3_int64 list_id, const char *status,
    char **keys)
{
	sqlite3_stmt *st;
	int n = 0, r;

	st = db_prepare(db, "SELECT DISTINCT j.key FROM memberships m "
	    "JOIN subscribers s ON s.id = m.subscriber_id, json_each(s.fields) "
	    "j WHERE m.list_id = ?1 AND (?2 IS NULL OR m.status = ?2) ORDER "
	    "BY 1");
	sqlite3_bind_int64(st, 1, list_id);
	db_bind_text(st, 2, status);
	for (;;) {
		r = db_step_row(db, st, "cannot read custom fields");
		if (r != 1)
			break;
		if (n == LIST_FIELDS_MAX) {
			log_warnx("more than %d custom fields: cannot export "
			    "them as CSV columns", LIST_FIELDS_MAX);
			fail_set(FAIL_DATA);
			r = -1;
			break;
		}
		keys[n++] = xstrdup(db_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return r == -1 ? -1 : n;
}

static void
export_row(sqlite3_stmt *st, char **keys, int nkeys, int with_status)
{
	cJSON *fields = cJSON_Parse(db_column_text(st, 7));
	int i;

	out_csv_field(db_column_text(st, 0), 0);
	out_csv_field(db_column_text(st, 1), 0);
	out_csv_field(db_column_text(st, 2), nkeys == 0 && !with_status);
	if (with_status)
		out_csv_field(db_column_text(st, 3), nkeys == 0);
	for (i = 0; i < nkeys; i++) {
		cJSON *v = cJSON_GetObjectItemCaseSensitive(fields, keys[i]);
		const char *s = cJSON_IsString(v) ? v->valuestring : "";

		out_csv_field(s, i + 1 == nkeys);
	}
	cJSON_Delete(fields);
}

int
list_export(struct db *db, sqlite3_int64 list_id, const char *status)
{
	char *keys[LIST_FIELDS_MAX];
	sqlite3_stmt *st;
	int nkeys, i, r;
	/* Anyone but the subscribed carries their status, so that importing
	 * the file (here or in a new database) never subscribes them. */
	int with_status = status == NULL || strcmp(status, "subscribed") != 0;

	nkeys = list_field_names(db, list_id, status, keys);
	if (nkeys == -1)
		return -1;
	fputs("email,first_name,last_name", stdout);
	fputs(with_status ? ",status" : "", stdout);
	fputs(nkeys == 0 ? "\n" : ",", stdout);
	for (i = 0; i < nkeys; i++)
		out_csv_field(keys[i], i + 1 == nkeys);
	st = members_query(db, list_id, status);
	for (;;) {
		r = db_step_row(db, st, "cannot export subscribers");
		if (r != 1)
			break;
		export_row(st, keys, nkeys, with_status);
	}
	sqlite3_finalize(st);
	for (i = 0; i < nkeys; i++)
		free(keys[i]);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_warn("cannot write the export");
		fail_set(FAIL_TEMP);
		return -1;
	}
	return r;
}

int
list_get(struct db *db, const char *name, struct list *l)
{
	sqlite3_stmt *st;
	int r;

	memset(l, 0, sizeof(*l));
	st = db_prepare(db, "SELECT id, name, from_addr, title, "
	    "postal_address, footer FROM lists WHERE name = ?1 AND "
	    "removed_at IS NULL");
	db_bind_text(st, 1, name);
	r = db_step_row(db, st, "cannot look up the list");
	if (r == 1) {
		l->id = sqlite3_column_int64(st, 0);
		l->name = xstrdup(db_column_text(st, 1));
		l->from = xstrdup(db_column_text(st, 2));
		l->title = xstrdup(db_column_text(st, 3));
		l->address = xstrdup(db_column_text(st, 4));
		l->footer = sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL :
		    xstrdup(db_column_text(st, 5));
	}
	sqlite3_finalize(st);
	if (r == 0) {
		log_warnx("no list named '%s' (see 'tocsin list ls')", name);
		fail_set(FAIL_DATA);
	}
	return r;
}

int
list_get_id(struct db *db, const char *name, sqlite3_int64 *id)
{
	struct list l;
	int r = list_get(db, name, &l);

	if (r == 1)
		*id = l.id;
	list_release(&l);
	return r;
}

void
list_release(struct list *l)
{
	free(l->name);
	free(l->from);
	free(l->title);
	free(l->address);
	free(l->footer);
	memset(l, 0, sizeof(*l));
}

int
list_member_get(struct db *db, sqlite3_int64 list_id, const char *email,
    struct list_member *m)
{
	sqlite3_stmt *st;
	int r;

	memset(m, 0, sizeof(*m));
	st = db_prepare(db, "SELECT s.id, s.email, s.first_name, s.last_name, "
	    "s.fields, m.status FROM subscribers s JOIN memberships m ON "
	    "m.subscriber_id = s.id AND m.list_id = ?1 WHERE s.email = ?2");
	sqlite3_bind_int64(st, 1, list_id);
	db_bind_text(st, 2, email);
	r = db_step_row(db, st, "cannot look up the subscriber");
	if (r == 1) {
		m->subscriber_id = sqlite3_column_int64(st, 0);
		m->email = xstrdup(db_column_text(st, 1));
		m->first_name = xstrdup(db_column_text(st, 2));
		m->last_name = xstrdup(db_column_text(st, 3));
		m->fields = xstrdup(db_column_text(st, 4));
		m->status = xstrdup(db_column_text(st, 5));
	}
	sqlite3_finalize(st);
	if (r == 0) {
		log_warnx("%s is not on the list", email);
		fail_set(FAIL_DATA);
	}
	return r;
}

void
list_member_release(struct list_member *m)
{
	free(m->email);
	free(m->first_name);
	free(m->last_name);
	free(m->fields);
	free(m->status);
	memset(m, 0, sizeof(*m));
}
