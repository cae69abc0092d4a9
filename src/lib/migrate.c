/* migrate: applying the compiled-in schema migrations (see migrate.h). */
#include <time.h>

#include "db.h"
#include "log.h"
#include "migrate.h"

int
migrate_latest(void)
{
	return migrations[migrations_count - 1].version;
}

int
migrate_current(struct db *db, int *version)
{
	sqlite3_stmt *st;
	int r;

	/* A database from before any migration has no table to read. */
	st = db_prepare(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name = 'schema_migrations'");
	r = db_step_row(db, st, "cannot read the schema");
	if (r == 1 && sqlite3_column_int(st, 0) == 0) {
		sqlite3_finalize(st);
		*version = 0;
		return 0;
	}
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	st = db_prepare(db, "SELECT coalesce(max(version), 0) "
	    "FROM schema_migrations");
	r = db_step_row(db, st, "cannot read the schema version");
	if (r == 1)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return r == 1 ? 0 : -1;
}

static int
apply(struct db *db, const struct migration *m)
{
	sqlite3_stmt *st;
	int version;

	if (db_begin(db) == -1)
		return -1;
	/* Another 'tocsin init' may have got here first. */
	if (migrate_current(db, &version) == -1)
		goto fail;
	if (version >= m->version) {
		db_rollback(db);
		return 0;
	}
	if (db_exec(db, m->sql) == -1)
		goto fail;
	st = db_prepare(db, "INSERT INTO schema_migrations "
	    "(version, name, applied_at) VALUES (?1, ?2, ?3)");
	sqlite3_bind_int(st, 1, m->version);
	db_bind_text(st, 2, m->name);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	if (db_step_done(db, st, "cannot record the migration") == -1) {
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);
	if (db_commit(db) == -1)
		goto fail;
	log_debug("applied migration %s", m->name);
	return 1;
fail:
	log_warnx("migration %s was not applied", m->name);
	db_rollback(db);
	return -1;
}

int
migrate_to(struct db *db, int target)
{
	size_t i;
	int current, applied = 0, r;

	if (migrate_current(db, &current) == -1)
		return -1;
	for (i = 0; i < migrations_count; i++) {
		if (migrations[i].version <= current ||
		    migrations[i].version > target)
			continue;
		r = apply(db, &migrations[i]);
		if (r == -1)
			return -1;
		applied += r;
	}
	return applied;
}
