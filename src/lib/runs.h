/*
 * runs: the last run of tocsin send and tocsin inbox, kept in the
 * database (table runs) for tocsin status: when, whether it ended well
 * (else its last warning), and when it last did something, and what.
 */
#ifndef TOCSIN_RUNS_H
#define TOCSIN_RUNS_H

#include <time.h>

#include "db.h"

/*
 * Records a run of `program` that ended well (ok) or not (then the
 * log's last warning is kept); a `summary` (NULL: it did nothing) says
 * what it did. Outside any transaction. 0, or -1 logged.
 */
int	runs_record(struct db *db, const char *program, int ok,
	    const char *summary, time_t now);

#endif
