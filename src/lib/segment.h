/*
 * segment: who of a list's subscribed, unsuppressed members a blast goes
 * to, as an organiser says it: conditions on fields (first_name,
 * last_name, email, or a custom field, named in any case) with =, !=,
 * ~ (contains), < and > (numbers, or dates written YYYY-MM-DD), and
 * IN (a,b); text compares without case; --tag TAG, one of the
 * comma-separated values of a "tags" field (any case). Also signed or
 * not signed an action, received or not a blast, joined after a date.
 * All of them (AND), or with `any` one of the field conditions (OR). The
 * SQL is made of fixed fragments with every value bound, never of the
 * values.
 */
#ifndef TOCSIN_SEGMENT_H
#define TOCSIN_SEGMENT_H

#include <sqlite3.h>
#include <time.h>

#include "buf.h"
#include "db.h"

#define SEGMENT_CONDS_MAX	16
#define SEGMENT_IN_MAX		16
#define SEGMENT_VALUE_MAX	256
#define SEGMENT_FIELD_MAX	64

enum segment_op {
	SEGMENT_EQ,
	SEGMENT_NE,
	SEGMENT_CONTAINS,
	SEGMENT_LT,
	SEGMENT_GT,
	SEGMENT_IN,
	SEGMENT_TAG,	/* --tag: one of the comma-separated "tags" field */
};

struct segment_cond {
	char		 field[SEGMENT_FIELD_MAX + 1];	/* as resolved */
	enum segment_op	 op;
	char		 values[SEGMENT_IN_MAX][SEGMENT_VALUE_MAX + 1];
	size_t		 nvalues;
};

struct segment {
	sqlite3_int64		 list_id;
	sqlite3_int64		 signed_id;	/* 0: no condition */
	sqlite3_int64		 not_signed_id;
	sqlite3_int64		 received;	/* a blast id; 0: none */
	sqlite3_int64		 not_received;
	time_t			 joined_after;	/* 0: none */
	int			 any;		/* OR the field conditions */
	char			 signed_slug[65];	/* for the words */
	char			 not_signed_slug[65];
	struct segment_cond	 conds[SEGMENT_CONDS_MAX];
	size_t			 nconds;
};

/* The options that say a segment, for blast create and segment count. */
#define SEGMENT_LONGOPTS \
	{ "where", required_argument, NULL, 'w' }, \
	{ "tag", required_argument, NULL, 'G' }, \
	{ "any", no_argument, NULL, 'Y' }, \
	{ "signed", required_argument, NULL, 'g' }, \
	{ "not-signed", required_argument, NULL, 'n' }, \
	{ "received", required_argument, NULL, 'V' }, \
	{ "not-received", required_argument, NULL, 'N' }, \
	{ "joined-after", required_argument, NULL, 'J' }
#define SEGMENT_USAGE \
    "         [--where 'FIELD OP VALUE']... [--tag TAG]... [--any]\n" \
    "         [--signed SLUG]\n" \
    "         [--not-signed SLUG] [--received BLAST] [--not-received BLAST]\n" \
    "         [--joined-after DATE]\n" \
    "         OP: = != ~ (contains) < > (numbers, YYYY-MM-DD dates) or\n" \
    "         'IN (a,b)'; names and text without case; --any: OR them\n"

/*
 * Takes one of those options: 1 taken, 0 not one of them, or an exit
 * code (64) after saying what is wrong with it.
 */
int	segment_option(struct segment *s, int ch, const char *arg);

/*
 * Resolves the segment against the database: the actions of --signed
 * and --not-signed, then the fields (as segment_resolve). 0 or -1.
 */
int	segment_finish(struct db *db, struct segment *s);

/*
 * Prepares `select` (what to do with each of the list's subscribed,
 * unsuppressed members the segment matches: "SELECT s.email", "INSERT
 * INTO ... SELECT ?1, m.subscriber_id") followed by the segment's FROM
 * and WHERE over the aliases s (subscribers) and m (memberships), in
 * subscriber order. It binds the list's id at ?list_param and the
 * segment's values after it; the caller binds ?1 to ?(list_param - 1).
 * NULL on error (logged).
 */
#define SEGMENT_SQL_MAX	16384
sqlite3_stmt *segment_prepare(struct db *db, const struct segment *s,
	    const char *select, int list_param);

/*
 * Appends ", where city = Lyon and country in (bo, pe), not signers of
 * 'x'" to `out`; the caller checks out->failed. SEGMENT_WORDS_MAX holds
 * the longest there can be, with a list's name before it.
 */
#define SEGMENT_WORDS_MAX	(SEGMENT_CONDS_MAX * (SEGMENT_FIELD_MAX + 16 + \
	    SEGMENT_IN_MAX * (SEGMENT_VALUE_MAX + 2)) + 1024)
void	segment_describe(const struct segment *s, struct buf *out);

/*
 * How many of the list's subscribed, unsuppressed members match, and
 * the first few addresses (sample[0..*nsample)), for segment count. 0
 * or -1.
 */
#define SEGMENT_SAMPLE	5
int	segment_count(struct db *db, const struct segment *s, long long *n,
	    char sample[SEGMENT_SAMPLE][255], size_t *nsample);

#endif
