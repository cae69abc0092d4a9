/*
 * import: CSV files of people, read row by row in constant memory. The
 * header row names the columns (email, first_name, last_name, and for
 * signatures name, org, comment, signed_at); other columns of a
 * subscriber file become custom fields. A status column (another
 * tool's export: Mailchimp, Mailman, listmonk, Action Network) puts each
 * row in its status: those who left are recorded so, never subscribed.
 * A header without an email column means the file is not a supporter
 * CSV at all: nothing is changed.
 * A bad row is reported as FILE:LINE: why, and the rest goes on.
 */
#ifndef TOCSIN_IMPORT_H
#define TOCSIN_IMPORT_H

#include <sqlite3.h>
#include <stdio.h>

#include "buf.h"
#include "csvin.h"
#include "db.h"

/*
 * Rows a transaction: fewer commits rewrite fewer pages of the address
 * index (random inserts touch a page each), and a crash loses at most
 * this many, which the summary says. With a 16 MB page cache while it
 * runs, 1,000,000 rows took 9.7 s instead of 10.5 to 11.1 (and a
 * 32 MB cache put peak RSS past 64 MB).
 */
#define IMPORT_BATCH_ROWS	50000
#define IMPORT_CACHE_KIB	16384
#define IMPORT_VALUE_MAX	4096	/* bytes in one name or field */

enum import_column {
	COL_IGNORED = 0,
	COL_EMAIL,
	COL_FIRST_NAME,
	COL_LAST_NAME,
	COL_NAME,		/* a full name, split when first/last lack */
	COL_DISPLAY_NAME,	/* a signer's public name, whole */
	COL_ORG,
	COL_COMMENT,
	COL_SIGNED_AT,
	COL_STATUS,		/* subscribed, unsubscribed ... in another
				   tool's words (import_status) */
	COL_CUSTOM,		/* a subscriber's custom field */
};

enum import_kind {
	IMPORT_SUBSCRIBERS,
	IMPORT_SIGNATURES,
	IMPORT_SUPPRESSIONS,	/* email, and columns the caller finds */
};

struct import_header {
	size_t			 ncols;
	enum import_column	 cols[CSVIN_FIELDS_MAX];
	char			*names[CSVIN_FIELDS_MAX];	/* as written */
	int			 has_first_or_last;
	/* Without a status column, the status every row of the file is
	 * in, as its columns show (Mailchimp's unsubscribed file has
	 * UNSUB_TIME, its cleaned file CLEAN_TIME), or NULL. */
	const char		*file_status;
};

struct import_counts {
	unsigned long long	rows;
	unsigned long long	imported;	/* or signed, for signatures */
	unsigned long long	updated;
	unsigned long long	unchanged;	/* or already signed */
	unsigned long long	left_alone;
	unsigned long long	resubscribed;
	unsigned long long	left;		/* recorded as having left */
	unsigned long long	pending;	/* had not confirmed */
	unsigned long long	rejected;
	unsigned long long	committed;	/* rows safely stored */
};

/*
 * Reads and checks the header row of `name`. Returns 0, or -1 (logged,
 * FAIL_DATA) when the file is not CSV of this kind.
 */
int	import_header_read(struct import_header *h, struct csvin *in,
	    const char *name, enum import_kind kind);
void	import_header_release(struct import_header *h);

/*
 * Checks the fields of a data row against the header: the count, the
 * address (normalised into `email`, ADDR_MAX_LEN + 1 bytes), the length
 * of each value. Returns 0, or -1 after reporting "NAME:LINE: why".
 */
int	import_row_check(const struct import_header *h,
	    const struct csvin_row *row, const char *name, char *email);

/*
 * Reads the data rows of `in` in one transaction per IMPORT_BATCH_ROWS,
 * counting them into `c`, with a progress line (`size`: the file's
 * bytes, 0 unknown): a row CSV cannot read is rejected and reported,
 * the others go to row_fn, which counts its outcome and returns 0, or
 * -1 to stop. Returns 0, or -1 with the rows before the last commit
 * stored (reported).
 */
int	import_each_row(struct db *db, struct csvin *in, const char *name,
	    unsigned long long size, struct import_counts *c,
	    int (*row_fn)(void *ctx, const struct csvin_row *row,
	    struct import_counts *c), void *ctx);
/* A regular file's size for the progress line, or 0. */
unsigned long long	import_file_size(FILE *fp);

/* The value of the first column of kind `col`, or NULL if none/empty. */
const char *import_row_value(const struct import_header *h,
	    const struct csvin_row *row, enum import_column col);

/* Splits "Ann Marie Smith" into "Ann" and "Marie Smith" in `scratch`. */
void	import_split_name(const char *name, struct buf *scratch,
	    const char **first, const char **last);

/*
 * Imports a subscriber CSV into a list. `fp` is read to its end; rows
 * are committed in batches. Returns 0 (bad rows are counted, not
 * failures) or -1.
 */
int	import_subscribers(struct db *db, sqlite3_int64 list_id, FILE *fp,
	    const char *name, const char *resubscribe_reason,
	    struct import_counts *counts);

/* Prints the summary line for `name` on stdout. */
void	import_print_summary(const char *name, const struct import_counts *c,
	    enum import_kind kind);

/* Opens `path` for an import ("-" is stdin). NULL after logging. */
FILE	*import_open(const char *path);

#endif
