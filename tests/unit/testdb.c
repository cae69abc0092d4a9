/* testdb: a unit test's own migrated database (see testdb.h). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "migrate.h"
#include "tap.h"
#include "testdb.h"

static void
file_of(char *out, size_t outsize, const char *dir, const char *suffix)
{
	snprintf(out, outsize, "%s/tocsin.db%s", dir, suffix);
}

int
testdb_open(struct db *db, const char *name, char dir[TESTDB_DIR_MAX])
{
	char file[TESTDB_DIR_MAX + 16];

	snprintf(dir, TESTDB_DIR_MAX, "/tmp/%s-XXXXXX", name);
	if (mkdtemp(dir) == NULL) {
		tap_ok(0, "a directory for the database");
		return -1;
	}
	file_of(file, sizeof(file), dir, "");
	if (db_open(db, file, DB_CREATE) == -1 ||
	    migrate_to(db, migrate_latest()) == -1) {
		tap_ok(0, "a new database");
		return -1;
	}
	return 0;
}

void
testdb_remove(struct db *db, const char dir[TESTDB_DIR_MAX])
{
	static const char *suffixes[] = { "", "-wal", "-shm" };
	char file[TESTDB_DIR_MAX + 16];
	size_t i;

	db_close(db);
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		file_of(file, sizeof(file), dir, suffixes[i]);
		unlink(file);
	}
	rmdir(dir);
}

void
testdb_exec(struct db *db, const char *sql)
{
	if (db_exec(db, sql) == -1) {
		tap_ok(0, "setup: %s", sql);
		exit(1);
	}
}
