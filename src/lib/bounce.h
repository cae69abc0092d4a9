/*
 * bounce: finds the failed recipients of a bounce and, for each, the
 * status code and the words that explain it, then names the reason
 * (reason.h). It reads delivery-status reports (RFC 3464) when there is
 * one, and otherwise the report text that MTAs write in their own words
 * (qmail, Exim, Gmail, Exchange...), with or without the returned
 * message after it. Part of classify; the caller has decided that the
 * message is a bounce.
 */
#ifndef TOCSIN_BOUNCE_H
#define TOCSIN_BOUNCE_H

#include <stddef.h>

#include "mailview.h"
#include "verdict.h"

/* Fills c->rcpt from the message; returns how many it found. */
size_t	bounce_read(const struct mailview *v, struct classify *c);

/*
 * Does the message carry what only a bounce would: a delivery-status
 * part, X-Failed-Recipients, a daemon's From? With weak_signs, also
 * what an auto-reply might share: a subject such as "Undelivered Mail
 * Returned to Sender", or a returned message from the null sender.
 */
int	bounce_looks_like(const struct mailview *v, int weak_signs);

#endif
