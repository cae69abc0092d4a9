/*
 * mbox: the messages of a file that may hold several, as an mbox does
 * (each one opened by a "From sender date" line after a blank line), or
 * just one. Operators classify exported mailboxes and saved bounces
 * alike, and some mail programs save bounce after bounce in one file.
 */
#ifndef TOCSIN_MBOX_H
#define TOCSIN_MBOX_H

#include <stddef.h>

/*
 * The next message of data[0..len) at or after *offset, without its
 * "From " line: its start, with its length in *msglen, and *offset moved
 * past it; NULL when none is left. A file that does not open with a
 * "From " line is one message, whatever it holds.
 */
const char *mbox_next(const char *data, size_t len, size_t *offset,
	    size_t *msglen);

#endif
