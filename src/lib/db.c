/* db: opening and using the SQLite database (see db.h). */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "db.h"
#include "encode.h"
#include "log.h"
#include "migrate.h"
#include "xalloc.h"

/* Logs "database 'PATH': what: sqlite's message" and classes it. */
static void
db_fail(struct db *db, const char *what)
{
	int code = db->handle != NULL ? sqlite3_extended_errcode(db->handle) :
	    SQLITE_CANTOPEN;
	const char *msg = db->handle != NULL ? sqlite3_errmsg(db->handle) :
	    "cannot open";

	log_warnx("database '%s': %s: %s", db->path, what, msg);
	switch (code & 0xff) {
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
		fail_set(FAIL_DATA);
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		fail_set(FAIL_DATA);
		break;
	case SQLITE_CANTOPEN:
		fail_set(FAIL_NOINPUT);
		break;
	default:
		/* busy, locked, I/O, full disk: the next run may succeed. */
		fail_set(FAIL_TEMP);
		break;
	}
}

/*
 * A database in WAL mode is read through its -shm file, which a reader
 * must be able to create and write: without write access to the file
 * and its directory, even a listing cannot read it. Retrying will not
 * help, so say what will.
 */
static int
read_only(struct db *db)
{
	log_warnx("database '%s' is read-only for this user (uid %u): tocsin "
	    "writes it and its directory (the -wal and -shm files beside "
	    "it) even to read it; run as its owner, or make both writable",
	    db->path, (unsigned)geteuid());
	fail_set(FAIL_NOINPUT);
	return -1;
}

static int
db_configure(struct db *db)
{
	sqlite3_stmt *st;
	const char *mode;
	int r;

	sqlite3_busy_timeout(db->handle, DB_BUSY_TIMEOUT_MSEC);
	sqlite3_extended_result_codes(db->handle, 1);
	if (sqlite3_db_readonly(db->handle, "main") == 1)
		return read_only(db);
	if (sqlite3_prepare_v2(db->handle, "PRAGMA journal_mode=WAL", -1, &st,
	    NULL) != SQLITE_OK) {
		if ((sqlite3_errcode(db->handle) & 0xff) == SQLITE_READONLY ||
		    (sqlite3_errcode(db->handle) & 0xff) == SQLITE_CANTOPEN)
			return read_only(db);
		db_fail(db, "cannot read the journal mode");
		return -1;
	}
	r = sqlite3_step(st);
	mode = r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) :
	    NULL;
	if (mode == NULL || strcmp(mode, "wal") != 0) {
		sqlite3_finalize(st);
		db_fail(db, "cannot switch to WAL mode");
		return -1;
	}
	sqlite3_finalize(st);
	if (db_exec(db, "PRAGMA foreign_keys=ON") == -1 ||
	    db_exec(db, "PRAGMA synchronous=FULL") == -1)
		return -1;
	return 0;
}

static int
db_check_schema(struct db *db)
{
	int version;

	if (migrate_current(db, &version) == -1)
		return -1;
	if (version == migrate_latest())
		return 0;
	if (version > migrate_latest())
		log_warnx("database '%s' has schema version %d, made by a "
		    "newer tocsin; this one knows up to %d", db->path,
		    version, migrate_latest());
	else if (version == 0)
		log_warnx("database '%s' is empty: run 'tocsin init' first",
		    db->path);
	else
		log_warnx("database '%s' has schema version %d: run "
		    "'tocsin init' to upgrade it to %d", db->path, version,
		    migrate_latest());
	fail_set(FAIL_CONFIG);
	return -1;
}

/*
 * tocsin's programs use SQLite from one thread: no mutexes, and no
 * memory statistics (which take a global mutex on every allocation).
 */
static void
db_library_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	(void)sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/*
 * forget_hash(salt, address): the hex SHA-256 of the salt and the
 * address folded to lower case, all that person forget keeps of an
 * address (in the suppression list, as "forgotten:HASH").
 */
static void
forget_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	unsigned char digest[SHA256_DIGEST_SIZE], folded[512];
	char out[2 * SHA256_DIGEST_SIZE + 1];
	struct sha256_ctx h;
	const unsigned char *addr;
	int i, n;

	(void)argc;
	sha256_init(&h);
	sha256_update(&h, (size_t)sqlite3_value_bytes(argv[0]),
	    sqlite3_value_blob(argv[0]));
	addr = sqlite3_value_text(argv[1]);
	n = sqlite3_value_bytes(argv[1]);
	while (addr != NULL && n > 0) {
		for (i = 0; i < n && i < (int)sizeof(folded); i++)
			folded[i] = addr[i] >= 'A' && addr[i] <= 'Z' ?
			    addr[i] + 32 : addr[i];
		sha256_update(&h, (size_t)i, folded);
		addr += i;
		n -= i;
	}
	sha256_digest(&h, sizeof(digest), digest);
	encode_hex(out, digest, sizeof(digest));
	sqlite3_result_text(ctx, out, 2 * SHA256_DIGEST_SIZE, SQLITE_TRANSIENT);
}

int
db_open(struct db *db, const char *path, enum db_open_mode mode)
{
	int flags = SQLITE_OPEN_READWRITE;
	struct stat sb;

	db_library_init();
	memset(db, 0, sizeof(*db));
	db->path = xstrdup(path);
	if (mode == DB_EXISTING && stat(path, &sb) == -1) {
		log_warn("cannot open database '%s'%s", path, errno == ENOENT ?
		    " (run 'tocsin init' to create it)" : "");
		fail_set(FAIL_NOINPUT);
		goto fail;
	}
	if (mode == DB_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db->handle, flags, NULL) != SQLITE_OK) {
		if (sqlite3_system_errno(db->handle) == EACCES) {
			log_warnx("cannot open database '%s': this user (uid "
			    "%u) may not read it", path, (unsigned)geteuid());
			fail_set(FAIL_NOINPUT);
		} else
			db_fail(db, "cannot open");
		goto fail;
	}
	if (db_configure(db) == -1)
		goto fail;
	if (sqlite3_create_function(db->handle, "forget_hash", 2,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, forget_hash, NULL,
	    NULL) != SQLITE_OK) {
		db_fail(db, "cannot make the forget_hash function");
		goto fail;
	}
	if (mode == DB_EXISTING && db_check_schema(db) == -1)
		goto fail;
	return 0;
fail:
	db_close(db);
	return -1;
}

void
db_close(struct db *db)
{
	if (db->handle != NULL && sqlite3_close(db->handle) != SQLITE_OK)
		BUG("database closed with statements still open");
	free(db->path);
	memset(db, 0, sizeof(*db));
}

int
db_checks(struct db *db, int on)
{
	return db_exec(db, on ? "PRAGMA ignore_check_constraints=OFF" :
	    "PRAGMA ignore_check_constraints=ON");
}

sqlite3_stmt *
db_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL) != SQLITE_OK) {
		log_warnx("database '%s': cannot prepare '%s': %s", db->path,
		    sql, sqlite3_errmsg(db->handle));
		BUG("SQL that does not prepare");
	}
	return st;
}

int
db_exec(struct db *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db->handle, sql, NULL, NULL, &err) != SQLITE_OK) {
		sqlite3_free(err);
		db_fail(db, sql);
		return -1;
	}
	return 0;
}

int
db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int
db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

void
db_rollback(struct db *db)
{
	if (sqlite3_get_autocommit(db->handle) == 0)
		(void)sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
}

int
db_step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int r = sqlite3_step(st);

	if (r != SQLITE_DONE && r != SQLITE_ROW) {
		db_fail(db, what);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int
db_step_row(struct db *db, sqlite3_stmt *st, const char *what)
{
	int r = sqlite3_step(st);

	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	db_fail(db, what);
	sqlite3_reset(st);
	return -1;
}

int
db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int
db_bind_positive(sqlite3_stmt *st, int idx, sqlite3_int64 v)
{
	if (v <= 0)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_int64(st, idx, v);
}

const char *
db_column_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s != NULL ? (const char *)s : "";
}

int
db_cache_kib(struct db *db, long kib)
{
	char sql[64];

	/* a negative cache_size is KiB; -2000 is SQLite's default */
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%ld",
	    kib > 0 ? kib : 2000L);
	return db_exec(db, sql);
}
