/*
 * action: what alerts ask people to do, and who did it. A petition
 * collects signatures; a sign-on letter collects organisations. A person
 * signs an action once: signing again changes nothing.
 */
#ifndef TOCSIN_ACTION_H
#define TOCSIN_ACTION_H

#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

#include "alert.h"
#include "db.h"
#include "import.h"
#include "out.h"
#include "people.h"

#include "slug.h"

#define ACTION_SLUG_MAX		SLUG_MAX
#define ACTION_TITLE_MAX	200
#define ACTION_TEXT_MAX		20000

struct action {
	sqlite3_int64	 id;
	char		 slug[ACTION_SLUG_MAX + 1];
	char		*title;
	int		 is_letter;
};

struct signature {
	const char	*email;		/* normalised */
	const char	*name;		/* NULL if not given */
	/* shown whole; NULL: name's first word */
	const char	*display_name;
	const char	*org;
	const char	*comment;
	const char	*source;	/* file name, "cli", "reply" */
	time_t		 signed_at;
};

/* NULL if the title is fine, else why not. */
const char *action_title_problem(const char *title);

/* 0, or -1 (logged; an existing slug is FAIL_DATA). */
int	action_create(struct db *db, const char *slug, const char *title,
	    int is_letter);
/*
 * Sets what tocsin web's page of the action shows and uses: the list
 * (0: none), the first goal (0: none) and the text (NULL: unchanged).
 * 0 or -1.
 */
int	action_set_page(struct db *db, const char *slug, sqlite3_int64 list_id,
	    long goal, const char *text);
/* 1 found, 0 not (logged, FAIL_DATA), -1 error. */
int	action_find(struct db *db, const char *slug, struct action *a);
/* The same, by id. */
int	action_find_id(struct db *db, sqlite3_int64 id, struct action *a);
void	action_release(struct action *a);

/*
 * Records a signature (in the caller's transaction), creating the
 * subscriber if unknown but never putting them on a list. Returns 1 if
 * new, 0 if they had signed already, -1 on error.
 */
int	action_sign(struct people *p, const struct action *a,
	    const struct signature *sig);

/* Imports a CSV of signatures; bad rows are counted. 0 or -1. */
int	action_import(struct db *db, const struct action *a, FILE *fp,
	    const char *name, struct import_counts *counts);

/* Lists actions with their signature counts. 0 or -1. */
int	action_list(struct db *db, enum out_format format);

/*
 * Prints signers, newest first: "Gabrielle signed 9 days ago" lines then
 * "N people signed"; for a letter, its organisations as a numbered list.
 * `recent` limits to the newest N (0: all). With another format than
 * OUT_PLAIN, a table of every signature: when, ago, name, email, org,
 * comment, source. 0 or -1.
 */
int	action_print_signers(struct db *db, const struct action *a,
	    long recent, enum out_format format, time_t now);

/*
 * Fills the action's part of an alert's merge data: title, slug, the
 * signer count ("12,408") and the newest signers' first names and how
 * long ago they signed. 0 or -1.
 */
int	action_context(struct db *db, const struct action *a,
	    struct alert_context *ctx, time_t now);

/* Writes a count as people write one in an appeal: 12408 as "12,408". */
void	action_count_text(char *out, size_t outsize, long long n);

/*
 * The name shown publicly: the display name a signer chose ("Craig
 * Lee"), else the first word of the name they signed with, else of
 * their first name on the list, else "Someone". Writes into out.
 */
void	action_public_name(const char *display, const char *name,
	    const char *first_name, char *out, size_t outsize);

#endif
