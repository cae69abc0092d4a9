/*
 * roster: creating lists and showing who is on them: `list create`,
 * `list ls`, `sub ls` (a view with statuses) and `sub export` (CSV that
 * `sub import` reads back unchanged, custom fields as columns).
 */
#ifndef TOCSIN_ROSTER_H
#define TOCSIN_ROSTER_H

#include "db.h"
#include "out.h"

/*
 * Creates a list. `from` is "Name <addr>" or "addr"; it is checked and
 * stored in that form. 0, or -1 (logged; bad input is FAIL_DATA).
 */
int	roster_list_create(struct db *db, const char *name, const char *from,
	    const char *reply_to);
int	roster_lists_print(struct db *db, enum out_format format);

/* NULL if `status` names a membership status, else why not. */
const char *roster_status_problem(const char *status);

/* Members of a list, optionally of one status (NULL: all). */
int	roster_members_print(struct db *db, sqlite3_int64 list_id,
	    const char *status, enum out_format format);
/* CSV of members for re-import; `status` NULL means all. */
int	roster_export(struct db *db, sqlite3_int64 list_id,
	    const char *status);

#endif
