/*
 * intent: what a person's reply to an alert asks for, from its first
 * words that are not quoted: to be unsubscribed, to sign, or anything
 * else (for a person to read). Short, plain answers only: "Yes, add my
 * name" signs; a long letter that starts with "yes" is for a person.
 */
#ifndef TOCSIN_INTENT_H
#define TOCSIN_INTENT_H

#include <stddef.h>

enum intent {
	INTENT_OTHER,
	INTENT_UNSUBSCRIBE,
	INTENT_SIGN,
};

/* Reads the reply's text body (text[0..len)) and its subject. */
enum intent intent_of(const char *text, size_t len, const char *subject);

/*
 * Is this text (the start of a message body) an out-of-office notice?
 * For auto-replies whose headers do not say so.
 */
int	intent_is_away_notice(const char *text, size_t len);

#endif
