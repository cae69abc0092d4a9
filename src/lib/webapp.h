/*
 * webapp: what tocsin web serves, over web.h: the one-click unsubscribe
 * of RFC 8058 at the List-Unsubscribe URL, the unsubscribe page, and
 * the petition pages of actions (webaction.c). Every change to a person
 * is made on the word of a token that verifies for that purpose, through
 * the same library as the other programs, with an event whose source
 * is "web".
 *
 *   GET  /unsubscribe?t=TOKEN      a page asking, with a button; changes
 *                                  nothing (link scanners fetch it)
 *   POST /unsubscribe?t=TOKEN      List-Unsubscribe=One-Click: off the
 *                                  token's list (scope=all: every list);
 *                                  undo=1: back on it (the person asked)
 *   GET  /a/SLUG[?t=TOKEN]         the petition page
 *   POST /a/SLUG/sign[?t=TOKEN]    sign it
 *   GET  /a/SLUG/count.json        the count and recent first names
 *   GET  /static/tocsin.css        the pages' style
 */
#ifndef TOCSIN_WEBAPP_H
#define TOCSIN_WEBAPP_H

#include <time.h>

#include "conf.h"
#include "db.h"
#include "page.h"
#include "people.h"
#include "token.h"
#include "web.h"

#define WEBAPP_RATE_SLOTS	1024	/* clients remembered for limits */
#define WEBAPP_COUNTS		16	/* actions whose counts are kept */

struct webapp_rate {
	char	ip[64];
	time_t	window;		/* the minute it counts in */
	long	count;
};

/*
 * An action's signature count, kept between requests: counting 100,000
 * rows for every page view would be most of its cost. It holds while
 * the database's data_version says no other connection wrote, and this
 * one drops it when it signs.
 */
struct webapp_count {
	sqlite3_int64	action_id;	/* 0: empty */
	long long	count;
	int		version;
};

struct webapp {
	struct db		*db;		/* borrowed */
	const struct conf	*conf;		/* borrowed */
	struct token_key	 key;
	struct pages		*pages;
	struct people		 people;
	long			 posts_per_minute;	/* 0: no limit */
	long			 confirm_days;
	struct webapp_rate	 rate[WEBAPP_RATE_SLOTS];
	struct webapp_count	 counts[WEBAPP_COUNTS];
	sqlite3_stmt		*data_version;
};

/* 0, or -1 logged (the secret, the templates directory). */
int	webapp_init(struct webapp *a, struct db *db, const struct conf *c);
void	webapp_release(struct webapp *a);

/* The web_handler: routes one request. */
void	webapp_handle(void *app, const struct web_request *rq,
	    struct web_response *rs);

/* Shared by the handlers of webapp.c and webaction.c. */
void	webapp_page(struct webapp *a, struct web_response *rs, int status,
	    const char *name, const struct mval *data);
void	webapp_message(struct webapp *a, struct web_response *rs, int status,
	    const char *title, const char *message);
/* The action's signature count (kept, see webapp_count), or -1. */
long long webapp_signatures(struct webapp *a, sqlite3_int64 action_id);
/* Forgets the kept counts: this connection signed. */
void	webapp_signed(struct webapp *a);
/* Records an event with source "web" (in the caller's transaction). */
int	webapp_event(struct webapp *a, const char *kind,
	    sqlite3_int64 subscriber_id, sqlite3_int64 list_id,
	    const char *detail, sqlite3_int64 delivery_id, time_t now);
/*
 * A form's token against cross-site posts: purpose f, for this action
 * (or list, `is_list`) and this hour, good for WEBAPP_FORM_HOURS:
 * fm<id>x<hour * 2 + is_list>.
 */
#define WEBAPP_FORM_HOURS	48
void	webapp_form_token(struct webapp *a, sqlite3_int64 id, int is_list,
	    time_t now, char out[TOKEN_MAX]);
int	webapp_form_ok(struct webapp *a, sqlite3_int64 id, int is_list,
	    const char *token, time_t now);
/* The handler of /s/LIST, the subscribe form (webconfirm.c). */
void	webconfirm_subscribe(struct webapp *a, const struct web_request *rq,
	    struct web_response *rs);
/* 1 if the client may POST once more this minute (counted), else 0. */
int	webapp_rate_ok(struct webapp *a, const char *ip, time_t now);

/* The handlers of /c/TOKEN (webconfirm.c) and /a/SLUG (webaction.c). */
void	webconfirm_handle(struct webapp *a, const struct web_request *rq,
	    struct web_response *rs);
void	webaction_handle(struct webapp *a, const struct web_request *rq,
	    struct web_response *rs);

#endif
