/*
 * mailview: one message as the classifier needs to see it. libetpan's
 * MIME parser finds the parts and undoes their transfer encodings; this
 * keeps the top header, and a flat list of the parts in order, each with
 * its type and decoded bytes, and how many message/rfc822 parts enclose
 * it (0 for the report itself, 1 for a returned message).
 */
#ifndef TOCSIN_MAILVIEW_H
#define TOCSIN_MAILVIEW_H

#include <stddef.h>

#include "rfc822.h"

#define MAILVIEW_PARTS_MAX	64
#define MAILVIEW_TYPE_MAX	64

struct mailview_part {
	char	 type[MAILVIEW_TYPE_MAX];	/* "text/plain", lower case */
	char	*body;		/* decoded, NUL-terminated, owned */
	size_t	 len;
	int	 depth;		/* enclosing message/rfc822 parts */
	int	 is_message;	/* message/rfc822: body is the whole message */
	/* text: where a returned message starts, or len */
	size_t	 original;
};

#define MAILVIEW_PAD	16	/* NUL bytes after the copy libetpan reads */

struct mailview {
	char			*copy;	/* the message, padded; owned */
	struct rfc822_fields	 top;
	/* the returned message's header */
	struct rfc822_fields	 returned;
	const char		*body;	/* the top body, in copy */
	size_t			 bodylen;
	struct mailview_part	 parts[MAILVIEW_PARTS_MAX];
	size_t			 nparts;
	/* libetpan parsed the structure */
	int			 mime_ok;
};

/*
 * Reads msg[0..len) (copied: the view keeps no pointer into it). Never fails: a
 * message libetpan cannot take apart is one text/plain part holding
 * its raw body, and mime_ok is 0.
 */
void	mailview_init(struct mailview *v, const char *msg, size_t len);
void	mailview_release(struct mailview *v);

/* The first part of `type` at `depth` (-1: any), or NULL. */
const struct mailview_part *mailview_find(const struct mailview *v,
	    const char *type, int depth);

#endif
