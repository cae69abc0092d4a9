/*
 * people: lists, subscribers and their memberships, with the compliance
 * rule at its centre: nothing here ever resubscribes an address that
 * unsubscribed, bounced or complained (on the list, or in the global
 * suppression list) unless the caller passes a reason, which is recorded.
 */
#ifndef TOCSIN_PEOPLE_H
#define TOCSIN_PEOPLE_H

#include <sqlite3.h>
#include <time.h>

#include "db.h"

enum people_outcome {
	PEOPLE_IMPORTED,	/* newly on the list */
	PEOPLE_UPDATED,		/* on the list; name or fields changed */
	PEOPLE_UNCHANGED,
	PEOPLE_LEFT_ALONE,	/* unsubscribed, bounced, complained or
				   suppressed: not touched */
	PEOPLE_RESUBSCRIBED,	/* was left-alone kind; a reason was given */
	PEOPLE_LEFT,		/* recorded as having left: an import's
				   status column, sub rm of a non-member */
	PEOPLE_PENDING,		/* on the list, not confirmed (an import's
				   status column) */
};

#define PEOPLE_NAME_MAX	4096	/* bytes in a name (IMPORT_VALUE_MAX) */

/* A person as given by a row or the command line; NULL means "keep".
 * Names are stored tidied (utf8_tidy). */
struct person {
	const char	*email;		/* normalised (addr_normalise) */
	const char	*first_name;
	const char	*last_name;
	const char	*fields_json;	/* a JSON object to merge, or NULL */
};

struct people {
	struct db	*db;		/* borrowed */
	sqlite3_stmt	*find;
	sqlite3_stmt	*insert_sub;
	sqlite3_stmt	*insert_new;
	sqlite3_stmt	*update_sub;
	sqlite3_stmt	*fill_sub;
	sqlite3_stmt	*insert_member;
	sqlite3_stmt	*set_status;
	sqlite3_stmt	*suppress;
	sqlite3_stmt	*unsuppress;
	sqlite3_stmt	*event;
	sqlite3_stmt	*event_delivery;
	int		 expect_new;	/* the last person subscribed was */
};

void	people_init(struct people *p, struct db *db);
void	people_release(struct people *p);

/*
 * Puts a person on a list (in the caller's transaction). `source` says
 * where they came from (file name, "cli", "reply"). With a non-NULL
 * `resubscribe_reason` a left-alone address is subscribed again and the
 * reason recorded. Returns an outcome, or -1.
 */
int	people_subscribe(struct people *p, sqlite3_int64 list_id,
	    const struct person *who, const char *source,
	    const char *resubscribe_reason, time_t now);

/*
 * The person confirmed, by a token mailed to them: pending becomes
 * subscribed; anyone else goes as people_subscribe (without a reason)
 * puts them. Returns an outcome, or -1.
 */
int	people_confirm(struct people *p, sqlite3_int64 list_id,
	    const struct person *who, const char *source, time_t now);

/*
 * The person asks to join the list, to be confirmed by email (double
 * opt-in): they become pending (new, or back after an unsubscribe,
 * with the reason recorded); people_subscribe then confirms. Returns
 * PEOPLE_IMPORTED when now pending, PEOPLE_UNCHANGED when subscribed or
 * pending already, PEOPLE_LEFT_ALONE when bounced, complained or
 * suppressed (no mail goes to them), or -1. *id is the subscriber. Only
 * people_confirm ends pending: an import or sub add leaves it.
 */
int	people_request(struct people *p, sqlite3_int64 list_id,
	    const struct person *who, const char *source, time_t now,
	    sqlite3_int64 *id);

/*
 * Finds or creates a subscriber without touching any list; names are
 * only filled in where none is stored. Returns 0 and sets *id, or -1.
 */
int	people_find_or_create(struct people *p, const struct person *who,
	    time_t now, sqlite3_int64 *id);

/*
 * Marks a person unsubscribed from a list, with an event (naming the
 * delivery whose link or reply asked, if any: 0 none). Returns 1 if
 * the status changed, 0 if they were not subscribed (*status says what
 * they are, "" when not on the list), -1 on error.
 */
int	people_unsubscribe(struct people *p, sqlite3_int64 list_id,
	    const char *email, const char *source, sqlite3_int64 delivery_id,
	    time_t now, char *status, size_t statussize);

/*
 * Records, on the operator's word (sub rm, an import's status column),
 * that a person left the list: `status` is unsubscribed, bounced or
 * complained, set with `reason` and an event; someone not on the list
 * yet is put on it so, and no later import mails them; one who
 * complained is also suppressed on every list. PEOPLE_LEFT, or
 * PEOPLE_UNCHANGED when they had left already (the first word stands),
 * or -1.
 */
int	people_record_left(struct people *p, sqlite3_int64 list_id,
	    const struct person *who, const char *status, const char *source,
	    const char *reason, time_t now);

/*
 * An imported row that had not confirmed in the old tool: pending (not
 * mailed), PEOPLE_PENDING, if new to the list; PEOPLE_UNCHANGED if on
 * it, LEFT_ALONE if they left or are suppressed; -1.
 */
int	people_record_pending(struct people *p, sqlite3_int64 list_id,
	    const struct person *who, const char *source, time_t now);

/*
 * SQL for what person forget leaves of an address in the suppression
 * list: "forgotten:" and its salted hash (forget_hash, db.c).
 */
#define PEOPLE_FORGOTTEN_SQL(addr) "'forgotten:' || forget_hash((SELECT " \
	"value FROM salts WHERE name = 'forget'), " addr ")"

/* A bounce, as the one who saw it knows it. */
struct people_bounce {
	sqlite3_int64	 subscriber_id;
	/* the bounced mail's list; 0: unknown */
	sqlite3_int64	 list_id;
	sqlite3_int64	 delivery_id;	/* 0: none */
	const char	*reason;	/* the memberships' status_reason */
	const char	*detail;	/* the event's: the server's words */
	/* "smtp" (a refusal at RCPT), "inbox" */
	const char	*source;
	sqlite3_int64	 imap_uid;	/* the inbox's message, else 0 */
	sqlite3_int64	 inbox_message_id;
	time_t		 now;
};

/* The two statements of a bounce, prepared once by its user. */
struct people_bouncer {
	struct db	*db;
	sqlite3_stmt	*mark;
	sqlite3_stmt	*event;
};

void	people_bouncer_init(struct people_bouncer *b, struct db *db);
void	people_bouncer_release(struct people_bouncer *b);

/*
 * The one place a subscriber becomes bounced: on every list where they
 * are subscribed or pending, with one 'bounce' event of one shape,
 * whoever saw it (tocsin send's refusals, the inbox's DSNs). In the
 * caller's transaction. The memberships changed (0: bounced already),
 * or -1.
 */
int	people_mark_bounced(struct people_bouncer *b,
	    const struct people_bounce *what);

#endif
