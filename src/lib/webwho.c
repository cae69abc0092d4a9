/* webwho: the person a link's token names (see webwho.h). */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "webwho.h"

static int
may_use(enum webwho_use use, enum token_purpose p)
{
	if (use == WEBWHO_UNSUBSCRIBE)
		return p == TOKEN_UNSUBSCRIBE || p == TOKEN_LEGACY;
	return p == TOKEN_SIGN;
}

static void
copy(char *out, size_t size, sqlite3_stmt *st, int col)
{
	snprintf(out, size, "%s", db_column_text(st, col));
}

/* The person, the list and their status on it. */
static int
person(struct db *db, const struct token_ids *ids, struct webwho *w)
{
	sqlite3_stmt *st;
	int r;

	if (ids->kind == 'd')
		st = db_prepare(db, "SELECT d.subscriber_id, b.list_id, "
		    "coalesce(b.action_id, 0), d.id FROM deliveries d JOIN "
		    "blasts b ON b.id = d.blast_id WHERE d.id = ?1");
	else
		st = db_prepare(db, "SELECT s.id, l.id, 0, 0 FROM subscribers "
		    "s, lists l WHERE l.id = ?1 AND s.id = ?2");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ids->a);
	if (ids->kind == 'm')
		sqlite3_bind_int64(st, 2, (sqlite3_int64)ids->b);
	r = db_step_row(db, st, "find a link's person");
	if (r == 1) {
		w->subscriber_id = sqlite3_column_int64(st, 0);
		w->list_id = sqlite3_column_int64(st, 1);
		w->action_id = sqlite3_column_int64(st, 2);
		w->delivery_id = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (r != 1)
		return r;
	st = db_prepare(db, "SELECT s.email, s.first_name, s.last_name, "
	    "coalesce(m.status, ''), l.name, l.from_addr FROM subscribers s "
	    "JOIN lists l ON l.id = ?2 LEFT JOIN memberships m ON "
	    "m.subscriber_id = s.id AND m.list_id = l.id WHERE s.id = ?1");
	sqlite3_bind_int64(st, 1, w->subscriber_id);
	sqlite3_bind_int64(st, 2, w->list_id);
	r = db_step_row(db, st, "find a link's person");
	if (r == 1) {
		copy(w->email, sizeof(w->email), st, 0);
		copy(w->first_name, sizeof(w->first_name), st, 1);
		copy(w->last_name, sizeof(w->last_name), st, 2);
		copy(w->status, sizeof(w->status), st, 3);
		copy(w->list_name, sizeof(w->list_name), st, 4);
		copy(w->list_from, sizeof(w->list_from), st, 5);
	}
	sqlite3_finalize(st);
	return r;
}

static int
lists_of(struct db *db, struct webwho *w)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT list_id FROM memberships "
	    "WHERE subscriber_id = ?1 AND status IN ('subscribed', 'pending') "
	    "ORDER BY list_id");
	int r;

	sqlite3_bind_int64(st, 1, w->subscriber_id);
	while ((r = db_step_row(db, st, "find a person's lists")) == 1)
		if (w->nlists < WEBWHO_LISTS_MAX)
			w->lists[w->nlists++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r;
}

int
webwho_find(struct db *db, const struct token_key *key, const char *token,
    enum webwho_use use, struct webwho *w)
{
	struct token_ids ids;
	int r;

	memset(w, 0, sizeof(*w));
	if (!token_check(key, token, strlen(token), &ids) ||
	    !may_use(use, ids.purpose))
		return 0;
	r = person(db, &ids, w);
	if (r != 1)
		return r;
	return lists_of(db, w) == -1 ? -1 : 1;
}
