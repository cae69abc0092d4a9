/*
 * rfc822: reads a block of "Name: value" fields, the shape shared by a
 * message's header, a delivery-status report (RFC 3464) and a feedback
 * report (RFC 5965). Continuation lines are unfolded; values keep their
 * text but lose CR and LF. Used on mail from strangers, so every count
 * and length has a ceiling and nothing here can fail but by truncating.
 */
#ifndef TOCSIN_RFC822_H
#define TOCSIN_RFC822_H

#include <stddef.h>

#define RFC822_FIELDS_MAX	512	/* more are ignored */
#define RFC822_VALUE_MAX	8192	/* a longer value is cut */

struct rfc822_field {
	char	*name;
	char	*value;
};

struct rfc822_fields {
	struct rfc822_field	*v;
	size_t			 n;
	size_t			 cap;
};

void	rfc822_fields_init(struct rfc822_fields *f);
void	rfc822_fields_release(struct rfc822_fields *f);

/*
 * Appends the fields of the block at text[0..len) to f and returns the
 * offset just past the blank line that ends it (len if there is none).
 * Leading blank lines are skipped. A line that is neither a field nor a
 * continuation ends the block, as a body would.
 */
size_t	rfc822_fields_parse(struct rfc822_fields *f, const char *text,
	    size_t len);

/* The first value of the field named `name` (any case), or NULL. */
const char *rfc822_get(const struct rfc822_fields *f, const char *name);

#endif
