/*
 * Unit tests for mbox: a file of several messages is cut at its "From "
 * lines, and only at those: a body's own "From here..." and a file that
 * is one plain message stay whole.
 */
#include <string.h>

#include "mbox.h"
#include "tap.h"

/* The messages of `data` joined by '|', each cut to its first line. */
static void
firsts(const char *data, char *out, size_t outsize)
{
	const char *one;
	size_t offset = 0, n, o = 0, line;

	out[0] = '\0';
	while ((one = mbox_next(data, strlen(data), &offset, &n)) != NULL) {
		line = strcspn(one, "\n");
		if (line > n)
			line = n;
		if (o > 0 && o + 1 < outsize)
			out[o++] = '|';
		if (o + line >= outsize)
			break;
		memcpy(out + o, one, line);
		o += line;
		out[o] = '\0';
	}
}

int
main(void)
{
	char got[512];

	firsts("Subject: one\n\nFrom here on, no.\n", got, sizeof(got));
	tap_is(got, "Subject: one", "a file with no From_ line is one "
	    "message, a body's 'From here' and all");
	firsts("From MAILER-DAEMON  Thu Apr 29 23:34:45 2015\nSubject: a\n"
	    "\nbody\n\nFrom MAILER-DAEMON  Thu Apr 29 23:35:00 2015\n"
	    "Subject: b\n\nbody\n", got, sizeof(got));
	tap_is(got, "Subject: a|Subject: b",
	    "two messages, each without its From_ line");
	firsts("From a@b  Thu Jul  2 12:05:05 2020\nSubject: a\n\n--x--\n"
	    "From b@c  Thu Jul  2 12:05:05 2020\nReceived: by x\n"
	    "Subject: b\n\n", got, sizeof(got));
	tap_is(got, "Subject: a|Received: by x", "a From_ line with no "
	    "blank line before it still starts one when a field follows");
	firsts("From a@b  Thu Jul  2 12:05:05 2020\nSubject: a\n\n"
	    "From now on we write daily.\nBye\n", got, sizeof(got));
	tap_is(got, "Subject: a", "a body line 'From ' with no time in it "
	    "starts nothing");
	firsts("From a@b  Thu Jul  2 12:05:05 2020\r\nSubject: a\r\n\r\n"
	    "x\r\n\r\nFrom b@c  Thu Jul  2 12:06:05 2020\r\nSubject: b\r\n"
	    "\r\n", got, sizeof(got));
	tap_is(got, "Subject: a\r|Subject: b\r",
	    "CRLF lines are cut the same way");
	firsts("", got, sizeof(got));
	tap_is(got, "", "an empty file has no message");
	return tap_done();
}
