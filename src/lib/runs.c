/* runs: the last run of each scheduled program (see runs.h). */
#include "log.h"
#include "runs.h"

int
runs_record(struct db *db, const char *program, int ok, const char *summary,
    time_t now)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO runs (program, "
	    "ran_at, ok, problem, acted_at, summary) VALUES (?1, ?2, ?3, ?4, "
	    "CASE WHEN ?5 IS NULL THEN NULL ELSE ?2 END, ?5) "
	    "ON CONFLICT (program) DO UPDATE SET ran_at = ?2, ok = ?3, "
	    "problem = ?4, acted_at = CASE WHEN ?5 IS NULL THEN acted_at "
	    "ELSE ?2 END, summary = coalesce(?5, summary)");
	int r;

	db_bind_text(st, 1, program);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	sqlite3_bind_int(st, 3, ok);
	db_bind_text(st, 4, ok ? NULL : log_last_warning());
	db_bind_text(st, 5, summary);
	r = db_step_done(db, st, "cannot record the run");
	sqlite3_finalize(st);
	return r;
}
