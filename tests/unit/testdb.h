/*
 * testdb: a unit test's own database, migrated to the latest schema, in
 * a new directory under /tmp; and, at the end, both removed. The tests
 * that need SQLite use it with CHECK constraints on, as the schema
 * writes them.
 */
#ifndef TOCSIN_TESTDB_H
#define TOCSIN_TESTDB_H

#include "db.h"

#define TESTDB_DIR_MAX	64

/*
 * Opens `db` in a new directory named after `name` (its path in `dir`).
 * 0, or -1 after a "not ok" line.
 */
int	testdb_open(struct db *db, const char *name, char dir[TESTDB_DIR_MAX]);
/* Closes `db` and removes its files and directory. */
void	testdb_remove(struct db *db, const char dir[TESTDB_DIR_MAX]);
/* Runs `sql` on `db`, or prints "not ok" and exits. */
void	testdb_exec(struct db *db, const char *sql);

#endif
