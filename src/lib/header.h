/*
 * header: the one way data reaches a message header. Values lose every
 * CR, LF and NUL (a first name of "Eve\r\nBcc: x" stays one header),
 * non-ASCII text is RFC 2047-encoded as UTF-8, and lines fold at 78
 * columns. Addresses are checked, never encoded or folded inside.
 */
#ifndef TOCSIN_HEADER_H
#define TOCSIN_HEADER_H

#include <stddef.h>

#include "buf.h"

#define HEADER_LINE_MAX	78	/* where lines fold (RFC 5322 2.1.1) */
#define HEADER_VALUE_MAX 4096	/* of text data in one header */

/* Unstructured text (Subject): "Name: text\r\n", encoded and folded. */
int	header_text(struct buf *out, const char *name, const char *value);

/*
 * An address with an optional display name (From, To, Reply-To):
 * "Name: Display <addr>\r\n". The name is quoted or encoded as needed;
 * the address must pass addr_normalise. 0, or -1 for a bad address.
 */
int	header_address(struct buf *out, const char *name, const char *display,
	    const char *addr);

/*
 * List-Id (RFC 2919): "List-Id: Description <id>\r\n", the description
 * quoted or encoded like a display name. 0, or -1 for a bad id.
 */
int	header_list_id(struct buf *out, const char *description,
	    const char *id);

/* A structured value of tocsin's own making, checked for CR/LF/NUL. */
int	header_raw(struct buf *out, const char *name, const char *value);

/*
 * Like header_raw for a value of two halves joined by `sep` (", " or
 * "; "): the second half goes on a continuation line when the whole
 * would pass 78 columns.
 */
int	header_raw_fold(struct buf *out, const char *name, const char *first,
	    const char *sep, const char *second);

#endif
