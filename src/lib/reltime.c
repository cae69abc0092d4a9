/* reltime: relative and local times (see reltime.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "reltime.h"

#define MINUTE_SEC	60
#define HOUR_SEC	(60 * MINUTE_SEC)
#define DAY_SEC		(24 * HOUR_SEC)
#define YEAR_SEC	(365L * DAY_SEC)

static void
ago_in(char *out, size_t outsize, long n, const char *unit)
{
	snprintf(out, outsize, "%ld %s%s ago", n, unit, n == 1 ? "" : "s");
}

void
reltime_ago(char *out, size_t outsize, time_t then, time_t now)
{
	long age = then < now ? (long)(now - then) : 0;

	if (age < MINUTE_SEC)
		snprintf(out, outsize, "just now");
	else if (age < HOUR_SEC)
		ago_in(out, outsize, age / MINUTE_SEC, "minute");
	else if (age < DAY_SEC)
		ago_in(out, outsize, age / HOUR_SEC, "hour");
	else if (age < YEAR_SEC)
		ago_in(out, outsize, age / DAY_SEC, "day");
	else	/* "2564 days ago" is a number nobody reads */
		ago_in(out, outsize, age / YEAR_SEC, "year");
}

void
reltime_local(char *out, size_t outsize, time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, outsize, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, outsize, "@%lld", (long long)t);
}

void
reltime_zoned(char *out, size_t outsize, time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, outsize, "%Y-%m-%d %H:%M %Z", &tm) == 0)
		snprintf(out, outsize, "@%lld", (long long)t);
}

/* "+01:00", "-0500" or "+02" as seconds east of UTC. 0 or -1. */
static int
offset_of(const char *s, long *offset)
{
	int sign = *s == '-' ? -1 : 1, h, m = 0;

	s++;
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	s += 2;
	if (*s == ':')
		s++;
	if (*s != '\0') {
		if (!isdigit((unsigned char)s[0]) ||
		    !isdigit((unsigned char)s[1]) || s[2] != '\0')
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 14 || m > 59)
		return -1;
	*offset = sign * (h * 3600L + m * 60L);
	return 0;
}

int
reltime_parse(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;
	long offset = 0;
	int utc = 0;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL)
		return -1;
	if (*end == ' ' || *end == 'T') {
		const char *t = strptime(end + 1, "%H:%M", &tm);

		if (t == NULL)
			return -1;
		end = t;
		if (*end == ':') {
			t = strptime(end + 1, "%S", &tm);
			if (t == NULL)
				return -1;
			end = t;
		}
	}
	if (*end == 'Z') {
		utc = 1;
		end++;
	} else if ((*end == '+' || *end == '-') && end[-1] != '-') {
		/* ISO 8601's offset: +01:00, -0500, +02 */
		if (offset_of(end, &offset) == -1)
			return -1;
		utc = 1;
		end += strlen(end);
	}
	if (*end != '\0')
		return -1;
	tm.tm_isdst = -1;
	*out = utc ? timegm(&tm) - offset : mktime(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}
