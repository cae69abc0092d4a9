/*
 * mime: builds the outgoing message, correct by construction: headers
 * through the header module, both parts UTF-8 quoted-printable (lines
 * of at most 76 characters, CRLF, a leading "." or "From " encoded so
 * no transport can alter them), multipart/alternative when there is an
 * HTML part, with a boundary that quoted-printable cannot contain.
 */
#ifndef TOCSIN_MIME_H
#define TOCSIN_MIME_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

#define MIME_QP_LINE_MAX 76

struct message {
	const char	*from_name;
	const char	*from_addr;
	const char	*to_name;
	const char	*to_addr;
	const char	*reply_to;	/* an address */
	const char	*subject;	/* merged text, any bytes */
	const char	*message_id;	/* "<...@domain>" */
	time_t		 date;
	/* "name.domain"; NULL: no list headers */
	const char	*list_id;
	const char	*list_name;
	const char	*unsubscribe_mailto;	/* an address */
	const char	*unsubscribe_url;
	const char	*feedback_id;	/* NULL: none */
	const char	*text;
	size_t		 text_len;
	const char	*html;		/* NULL: text only */
	size_t		 html_len;
	const char	*boundary;	/* unique per message */
};

/* Appends `len` bytes of text quoted-printable encoded. */
void	mime_qp(struct buf *out, const char *text, size_t len);

/* Writes the whole message. 0, or -1 if an address is bad or it is
 * too large for `out`. */
int	mime_build(struct buf *out, const struct message *m);

#endif
