/*
 * suppress: the global suppression list, addresses no list may mail
 * whatever their memberships say (complaints, dead mailboxes, people
 * who left another tool), managed by the operator: added with a reason,
 * lifted only with a reason, listed, imported from and exported to CSV
 * that reads back. Each change is an event on the person, if known.
 */
#ifndef TOCSIN_SUPPRESS_H
#define TOCSIN_SUPPRESS_H

#include <stdio.h>
#include <time.h>

#include "db.h"
#include "import.h"
#include "out.h"

#define SUPPRESS_REASON_MAX	200	/* bytes */

/*
 * Suppresses a normalised address: 1 added, 0 suppressed already (its
 * reason and time are left as they are), -1 error. `source` is "cli" or
 * a file name.
 */
int	suppress_add(struct db *db, const char *email, const char *reason,
	    const char *source, time_t when);

/* Lifts a suppression, with the reason recorded: 1, 0 none, -1. */
int	suppress_remove(struct db *db, const char *email, const char *reason);

/* The suppression list: email, reason, since; newest first. 0 or -1. */
int	suppress_print(struct db *db, enum out_format format);

/*
 * CSV with an email column (a Mailchimp unsubscribed export reads), a
 * reason column if any (else `reason`) and a since column if any (the
 * time, else now). Bad rows are reported by line; counts: imported
 * (added), unchanged (suppressed already), rejected. 0 or -1.
 */
int	suppress_import(struct db *db, FILE *fp, const char *name,
	    const char *reason, struct import_counts *counts);

/* CSV that suppress_import reads back: email,reason,since. 0 or -1. */
int	suppress_export(struct db *db);

/* A reason is 1 to SUPPRESS_REASON_MAX bytes of text, no control. */
const char *suppress_reason_problem(const char *reason);

#endif
