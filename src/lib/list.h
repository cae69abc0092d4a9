/*
 * list: creating lists and showing who is on them: `list create`,
 * `list ls`, `sub ls` (a view with statuses) and `sub export` (CSV that
 * `sub import` reads back unchanged, custom fields as columns).
 */
#ifndef TOCSIN_LIST_H
#define TOCSIN_LIST_H

#include "db.h"
#include "out.h"

struct list {
	sqlite3_int64	 id;
	char		*name;
	char		*from;
	char		*title;		/* what messages call it */
	char		*address;	/* postal, or "" */
	char		*footer;	/* Mustache, or NULL: the default */
};

/* What list create sets and list set changes; NULL keeps (or, for
 * create, takes the default: the title is the From's name, or NAME). */
struct list_settings {
	const char	*from;
	const char	*reply_to;	/* "" clears */
	const char	*title;
	const char	*address;	/* "" clears */
	const char	*footer;	/* the footer's source, checked */
	int		 default_footer;	/* back to the default */
};

struct list_member {
	sqlite3_int64	 subscriber_id;
	char		*email;
	char		*first_name;
	char		*last_name;
	char		*fields;	/* JSON */
	char		*status;
};

/*
 * Creates a list. `from` is "Name <addr>" or "addr"; it is checked and
 * stored in that form. 0, or -1 (logged; bad input is FAIL_DATA).
 */
int	list_create(struct db *db, const char *name,
	    const struct list_settings *s);
/* Changes what `s` gives. 0, or -1 (logged; bad input is FAIL_DATA). */
int	list_set(struct db *db, const char *name,
	    const struct list_settings *s);
/*
 * Removes a list: gone from list ls and from every command, its name
 * free again; its blasts, deliveries and memberships stay as history.
 * Refused (FAIL_DATA) while a blast of it may still send, a reply
 * waits to be forwarded to it, or an action gathers signers into it.
 */
int	list_remove(struct db *db, const char *name);
int	lists_print(struct db *db, enum out_format format);
/* A list's settings, as list show prints them. */
int	list_show(struct db *db, const char *name);

/*
 * A list by name: 1, 0 if none (logged, FAIL_DATA), -1. The one lookup
 * of a list by name; list_get_id is it for callers that need only
 * the id.
 */
int	list_get(struct db *db, const char *name, struct list *l);
void	list_release(struct list *l);
int	list_get_id(struct db *db, const char *name, sqlite3_int64 *id);

/* A member of a list by address: 1, 0 if not on it (logged), -1. */
int	list_member_get(struct db *db, sqlite3_int64 list_id,
	    const char *email, struct list_member *m);
void	list_member_release(struct list_member *m);

/* NULL if `status` names a membership status, else why not. */
const char *list_status_problem(const char *status);

/* Members of a list, optionally of one status (NULL: all). */
int	list_members_print(struct db *db, sqlite3_int64 list_id,
	    const char *status, enum out_format format);
/*
 * The custom field names used on a list (by members of `status`, or
 * all when NULL), sorted, as strings the caller frees. The count, or -1.
 */
#define LIST_FIELDS_MAX 250
int	list_field_names(struct db *db, sqlite3_int64 list_id,
	    const char *status, char **names);

/* CSV of members for re-import; `status` NULL means all. Unless it is
 * "subscribed", a status column keeps who left out on re-import. */
int	list_export(struct db *db, sqlite3_int64 list_id,
	    const char *status);

#endif
