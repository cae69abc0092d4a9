/* tap: TAP output for the unit tests (see tap.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int tap_count;
static int tap_failures;

int
tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!pass)
		tap_failures++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return pass;
}

int
tap_todo(int pass, const char *why, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # TODO %s\n", why);
	return pass;
}

void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int
tap_is(const char *got, const char *want, const char *what)
{
	int pass = got != NULL && strcmp(got, want) == 0;

	tap_ok(pass, "%s", what);
	if (!pass) {
		tap_diag("got:  '%s'", got != NULL ? got : "(null)");
		tap_diag("want: '%s'", want);
	}
	return pass;
}

int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return fflush(stdout) != 0 || tap_failures > 0;
}
