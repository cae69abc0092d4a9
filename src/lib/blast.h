/*
 * blast: an alert to a segment of a list. Creating one fixes its
 * recipients, once, as one delivery row each: the subscribed members of
 * the list, minus the suppression list, as the segment says (segment.h).
 * The template and its partials are snapshotted into the blast.
 */
#ifndef TOCSIN_BLAST_H
#define TOCSIN_BLAST_H

#include <sqlite3.h>
#include <time.h>

#include "conf.h"
#include "db.h"
#include "out.h"
#include "segment.h"

struct blast_spec {
	sqlite3_int64	 list_id;
	sqlite3_int64	 action_id;	/* 0: none */
	struct segment	 seg;		/* who, of the list (resolved) */
	time_t		 due_at;
	long		 rate;		/* messages a second, 0: no limit */
	const char	*template_name;
	const char	*template_text;
	const char	*partials_json;
	/* how recipients were chosen, as text */
	const char	*segment;
	int		 draft;		/* not due until blast_schedule */
	int		 allow_empty;	/* 0 recipients is not an error */
};

/* A blast as the sender needs it; strings owned, see blast_release. */
struct blast {
	sqlite3_int64	 id;
	sqlite3_int64	 list_id;
	char		*list_name;
	char		*list_from;
	char		*list_title;
	char		*list_address;
	char		*list_footer;	/* NULL: the default */
	sqlite3_int64	 action_id;	/* 0: none */
	char		*template_name;
	char		*template;
	char		*partials;
	long		 rate;		/* 0: no limit */
	long long	 recipients;
	int		 is_confirm;	/* the confirmations of a web page */
	int		 complaint_override;	/* resumed with --force */
};

/* 1, 0 if there is no such blast (logged, FAIL_DATA), -1. */
int	blast_load(struct db *db, sqlite3_int64 id, struct blast *b);
void	blast_release(struct blast *b);

/*
 * Creates the blast and its deliveries in one transaction. 0, or -1;
 * a segment that matches nobody is an error (FAIL_DATA, nothing made)
 * unless s->allow_empty.
 */
int	blast_create(struct db *db, const struct blast_spec *s,
	    sqlite3_int64 *id, long long *recipients);

/*
 * Makes a draft due at `due_at`: 1, 0 when it is no draft (logged,
 * FAIL_DATA), -1.
 */
int	blast_schedule(struct db *db, sqlite3_int64 id, time_t due_at);

int	blast_list(struct db *db, enum out_format format);
/* Counts per state, rate, times, why a due blast waits (the config's
 * relays and hourly_cap among the reasons), last errors, unknown
 * deliveries. */
int	blast_show(struct db *db, sqlite3_int64 id, const struct conf *c);

/*
 * Moves a blast to `to` if it is in one of the states `from` ("a|b").
 * 1 done, 0 not in such a state (logged), -1.
 */
int	blast_set_state(struct db *db, sqlite3_int64 id, const char *from,
	    const char *to);
/* The operator's word that the blast goes out whatever its list's
 * complaint rate (blast resume --force). 0, or -1. */
int	blast_override_complaints(struct db *db, sqlite3_int64 id);

#endif
