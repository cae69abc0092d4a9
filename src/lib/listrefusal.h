/*
 * listrefusal: a mailing-list manager's refusal of a post. A subscriber's
 * address may be a mailing list; when that list turns our alert away
 * (we are not a member of it, or its loop check tripped), its manager
 * writes to the sender in its own words rather than as an MTA would:
 * "You are not a member of this mailing list <list@example.org>."
 * Part of classify.
 */
#ifndef TOCSIN_LISTREFUSAL_H
#define TOCSIN_LISTREFUSAL_H

#include <stddef.h>

#include "mailview.h"
#include "verdict.h"

/*
 * If the message is a list manager's refusal, adds the list it names
 * (with the reason) to c->rcpt and returns how many it added; else 0.
 */
size_t	list_refusal_read(const struct mailview *v, struct classify *c);

#endif
