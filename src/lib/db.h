/*
 * db: the SQLite database that holds a group's whole state. Opening sets
 * WAL, foreign keys, a busy timeout and synchronous=FULL, and checks the
 * schema is the one this build knows. Every failure is logged naming the
 * database and classed: busy or I/O is temporary, a missing file is no
 * input, a constraint is bad data.
 */
#ifndef TOCSIN_DB_H
#define TOCSIN_DB_H

#include <sqlite3.h>

#define DB_BUSY_TIMEOUT_MSEC	30000

enum db_open_mode {
	DB_EXISTING = 0,	/* must exist at the latest schema */
	DB_CREATE,		/* tocsin init: create it, any schema */
};

struct db {
	sqlite3	*handle;
	char	*path;
};

int	db_open(struct db *db, const char *path, enum db_open_mode mode);
void	db_close(struct db *db);

/*
 * Prepares constant SQL. Never NULL: a failure here is a bug in tocsin,
 * and aborts with the SQL and sqlite's message.
 */
sqlite3_stmt *db_prepare(struct db *db, const char *sql);
/* Runs constant SQL without results (BEGIN, PRAGMA ...). */
int	db_exec(struct db *db, const char *sql);
/*
 * For the hot loops (import, send) that write only states the code
 * names (test-sendq holds sendq's to the schema): CHECK constraints
 * off, because SQLite checks `x IN ('a', 'b', 'c')` by building a
 * temporary table each time, for every row (a third of an import's
 * instructions, measured). 0 or -1.
 */
int	db_checks(struct db *db, int on);
/* The page cache for a long write: `kib` KiB, or 0 for the default
 * (SQLite's 2 MB). Outside a transaction. 0, or -1 logged. */
int	db_cache_kib(struct db *db, long kib);
int	db_begin(struct db *db);	/* BEGIN IMMEDIATE */
int	db_commit(struct db *db);
void	db_rollback(struct db *db);

/*
 * Steps a statement that returns no rows and resets it. Returns 0 or -1
 * (logged, with `what` saying what was being done).
 */
int	db_step_done(struct db *db, sqlite3_stmt *st, const char *what);
/* Steps once: 1 for a row, 0 when done (and reset), -1 on failure. */
int	db_step_row(struct db *db, sqlite3_stmt *st, const char *what);

/* Text bound as a copy; NULL binds SQL NULL. */
int	db_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* A positive value (a row id, a limit); 0 or less binds SQL NULL: none. */
int	db_bind_positive(sqlite3_stmt *st, int idx, sqlite3_int64 v);
/* A column as text, never NULL. */
const char *db_column_text(sqlite3_stmt *st, int col);

#endif
