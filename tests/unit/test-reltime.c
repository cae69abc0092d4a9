/* Unit tests for reltime: "9 days ago" and the times operators type. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "reltime.h"
#include "tap.h"

struct ago_case {
	long		 age_sec;
	const char	*want;
};

static const struct ago_case ago_cases[] = {
	{ 0, "just now" },
	{ 59, "just now" },
	{ -3600, "just now" },		/* a clock that ran ahead */
	{ 60, "1 minute ago" },
	{ 119, "1 minute ago" },
	{ 120, "2 minutes ago" },
	{ 3599, "59 minutes ago" },
	{ 3600, "1 hour ago" },
	{ 7200, "2 hours ago" },
	{ 86399, "23 hours ago" },
	{ 86400, "1 day ago" },
	{ 9 * 86400 + 5, "9 days ago" },
	{ 364 * 86400L, "364 days ago" },
	{ 365 * 86400L, "1 year ago" },
	{ 400 * 86400L, "1 year ago" },
	{ 2564 * 86400L, "7 years ago" },
};

struct parse_case {
	const char	*in;
	long long	 want;	/* -1: must be refused */
};

/* With TZ=UTC, local times are UTC. */
static const struct parse_case parse_cases[] = {
	{ "2026-12-01 09:00", 1796115600 },
	{ "2026-12-01 09:00:30", 1796115630 },
	{ "2026-12-01T09:00Z", 1796115600 },
	{ "2026-12-01T10:00+01:00", 1796115600 },
	{ "2026-12-01T04:00-0500", 1796115600 },
	{ "2026-12-01T11:00+02", 1796115600 },
	{ "2026-12-01T09:00+1:00", -1 },
	{ "2026-12-01T09:00+25:00", -1 },
	{ "2026-12-01", 1796083200 },
	{ "2026-13-01 09:00", -1 },
	{ "2026-12-01 25:00", -1 },
	{ "tomorrow", -1 },
	{ "2026-12-01 09:00 and more", -1 },
	{ "", -1 },
};

int
main(void)
{
	char out[RELTIME_MAX];
	time_t now = 1796115600, t;
	size_t i;
	int r;

	setenv("TZ", "UTC", 1);
	tzset();
	for (i = 0; i < sizeof(ago_cases) / sizeof(ago_cases[0]); i++) {
		reltime_ago(out, sizeof(out), now - ago_cases[i].age_sec, now);
		tap_is(out, ago_cases[i].want, ago_cases[i].want);
	}
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		t = 0;
		r = reltime_parse(parse_cases[i].in, &t);
		if (parse_cases[i].want == -1)
			tap_ok(r == -1, "refuses '%s'", parse_cases[i].in);
		else
			tap_ok(r == 0 && (long long)t == parse_cases[i].want,
			    "parses '%s' (got %lld)", parse_cases[i].in,
			    (long long)t);
	}
	reltime_local(out, sizeof(out), now);
	tap_is(out, "2026-12-01 09:00", "local time for listings");
	return tap_done();
}
