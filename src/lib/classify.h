/*
 * classify: says what an incoming message is, so that the inbox can act
 * on it with no person in the loop: a bounce (RFC 3464 report or an MTA's
 * own wording), a complaint (RFC 5965 feedback report), an auto-reply
 * (RFC 3834, vacation), a reply to an alert that unsubscribes or signs,
 * a human reply kept for a person, or unknown. It reads only the message:
 * the tokens it finds are reported as written, and checking them (and so
 * trusting any of this) is the caller's job.
 */
#ifndef TOCSIN_CLASSIFY_H
#define TOCSIN_CLASSIFY_H

#include <stddef.h>

#include "verdict.h"

/* Classifies msg[0..len). Never fails: what it cannot read is unknown. */
void	classify_message(const char *msg, size_t len, struct classify *c);

#endif
