/*
 * mbox: the messages of a file (see mbox.h).
 *
 * A line "From " starts a message only when it carries a time ("From
 * MAILER-DAEMON  Thu Apr 29 23:34:45 2015") and comes after a blank
 * line or before a header field: a body's own "From here on..." is not
 * one, in files whose writer did not quote such lines as ">From ".
 * Some writers leave out the blank line, so the field decides then.
 */
#include <string.h>

#include "mbox.h"

/* The end of the line that starts at `line` (its '\n', or `end`). */
static const char *
line_end(const char *line, const char *end)
{
	const char *nl = memchr(line, '\n', (size_t)(end - line));

	return nl != NULL ? nl : end;
}

/* Is the line [line, eol) an mbox "From " line? */
static int
is_from_line(const char *line, const char *eol)
{
	const char *p;

	if ((size_t)(eol - line) < 5 || memcmp(line, "From ", 5) != 0)
		return 0;
	for (p = line + 5; p + 5 <= eol; p++)
		if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'
		    && p[2] == ':' && p[3] >= '0' && p[3] <= '9')
			return 1;
	return 0;
}

/* Is the line starting at `line` blank ("\n" or "\r\n")? */
static int
is_blank(const char *line, const char *end)
{
	return line < end && (line[0] == '\n' ||
	    (line[0] == '\r' && line + 1 < end && line[1] == '\n'));
}

/* Does the line at `line` open a header field ("Received: ...")? */
static int
is_field(const char *line, const char *end)
{
	const char *p;

	for (p = line; p < end && *p > ' ' && *p < 127 && *p != ':'; p++)
		continue;
	return p > line && p < end && *p == ':';
}

const char *
mbox_next(const char *data, size_t len, size_t *offset, size_t *msglen)
{
	const char *end = data + len, *start, *line, *eol, *prev = NULL;

	if (*offset >= len)
		return NULL;
	start = data + *offset;
	if (*offset == 0 && !is_from_line(data, line_end(data, end))) {
		/* Not an mbox: the whole file is the message. */
		*offset = len;
		*msglen = len;
		return data;
	}
	/* Past this message's own "From " line. */
	eol = line_end(start, end);
	if (is_from_line(start, eol))
		start = eol < end ? eol + 1 : end;
	for (line = start; line < end; line = eol + 1) {
		eol = line_end(line, end);
		if (prev != NULL && is_from_line(line, eol) &&
		    (is_blank(prev, end) ||
		    (eol < end && is_field(eol + 1, end))))
			break;
		prev = line;
		if (eol == end) {
			line = end;
			break;
		}
	}
	*offset = (size_t)(line - data);
	*msglen = (size_t)(line - start);
	return start;
}
