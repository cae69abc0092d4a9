/*
 * reltime: times as people read them in an alert ("9 days ago") and as
 * operators read them in a listing ("2026-11-22 13:05", local time).
 */
#ifndef TOCSIN_RELTIME_H
#define TOCSIN_RELTIME_H

#include <stddef.h>
#include <time.h>

#define RELTIME_MAX 32	/* enough for "2147483647 minutes ago" */

/*
 * Writes how long before now `then` was: "just now" under a minute (and
 * for times in the future, which only a skewed clock produces), then
 * "1 minute ago", "N minutes ago", "N hours ago", "N days ago", and
 * past a year "N years ago".
 */
void	reltime_ago(char *out, size_t outsize, time_t then, time_t now);

/* Writes `t` as local "YYYY-MM-DD HH:MM". */
void	reltime_local(char *out, size_t outsize, time_t t);
/* The same with its zone, "2026-12-01 09:00 CET": a blast's times. */
void	reltime_zoned(char *out, size_t outsize, time_t t);

/*
 * Parses local "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DD" (midnight), or
 * "YYYY-MM-DDTHH:MM[:SS]Z" as UTC. Returns 0, or -1 if it is not one.
 */
int	reltime_parse(const char *s, time_t *out);

#endif
