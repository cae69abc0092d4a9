/*
 * migrate: the schema, as the numbered files of migrations/ compiled in.
 * Each migration runs in its own transaction and is recorded in
 * schema_migrations, so a run that dies midway leaves a database at a
 * known version and the next run carries on.
 */
#ifndef TOCSIN_MIGRATE_H
#define TOCSIN_MIGRATE_H

#include <stddef.h>

struct db;

struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

/* Defined in the generated build/gen/migrations.c. */
extern const struct migration migrations[];
extern const size_t migrations_count;

int	migrate_latest(void);
/* The highest version applied, 0 for a new database. */
int	migrate_current(struct db *db, int *version);
/*
 * Applies every migration above the current version up to `target`.
 * Returns the number applied, or -1.
 */
int	migrate_to(struct db *db, int target);

#endif
