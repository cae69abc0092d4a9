/*
 * webwho: who a token in a link names, for tocsin web: the person, the
 * list and (for a delivery) the blast's action, once the token verifies
 * for what the link is for. An unsubscribe link takes an unsubscribe
 * token (or one made before tokens had purposes: mail already out); a
 * sign link takes a sign token. Nothing else is accepted.
 */
#ifndef TOCSIN_WEBWHO_H
#define TOCSIN_WEBWHO_H

#include <sqlite3.h>

#include "addr.h"
#include "db.h"
#include "token.h"

#define WEBWHO_LISTS_MAX	64

enum webwho_use {
	WEBWHO_UNSUBSCRIBE,
	WEBWHO_SIGN,
};

struct webwho {
	sqlite3_int64	subscriber_id;
	sqlite3_int64	list_id;
	sqlite3_int64	delivery_id;	/* 0 for a membership token */
	sqlite3_int64	action_id;	/* the blast's, or 0 */
	char		email[ADDR_MAX_LEN + 1];
	char		first_name[128];
	char		last_name[128];
	char		status[16];	/* on the list; "" if not on it */
	char		list_name[128];
	char		list_from[256];
	/* the lists they are subscribed (or pending) on */
	sqlite3_int64	lists[WEBWHO_LISTS_MAX];
	size_t		nlists;
};

/* 1 and *w, 0 when the token does not verify for `use` or names
 * nobody we have, -1 on a database error. */
int	webwho_find(struct db *db, const struct token_key *key,
	    const char *token, enum webwho_use use, struct webwho *w);

#endif
