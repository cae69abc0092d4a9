/*
 * intent: what a person's reply to an alert asks for, read from what
 * they wrote above the quoted original: to be taken off the list, to
 * sign, the opposite of one of those ("don't remove me", "I won't
 * sign"), or nothing clear (a reply for a person to read).
 *
 * The text is cut into clauses (at . ! ? ; : , and line ends), its
 * letters folded to plain lower-case ASCII ("Sáquenme" reads
 * "saquenme"), and each clause is matched against tables of phrases in
 * English, Spanish, French, German, Portuguese, Italian and Dutch. The
 * rules that keep a stranger's wording from acting the wrong way:
 *
 * - a request needs an object that is the writer or the list ("remove
 *   me", "take me off", "stop emailing me"): "remove him", "cancel the
 *   permit", "stop the incinerator" and a bare "stop" ask nothing;
 * - a negation before (or, in German and French, after) a phrase
 *   turns it around: "please don't remove me" is the contrary of a
 *   request; "don't email me" is itself one;
 * - a question asks nothing, unless it is a polite request ("could you
 *   remove me?");
 * - a removal request beats any "yes"; a "yes" counts only in a short
 *   answer with no question and no "but";
 * - anything mixed or unclear is INTENT_OTHER: a reply kept costs a
 *   person a minute, a wrong signature or unsubscribe costs far more.
 */
#ifndef TOCSIN_INTENT_H
#define TOCSIN_INTENT_H

#include <stddef.h>

enum intent {
	INTENT_OTHER,		/* nothing clear: for a person */
	INTENT_UNSUBSCRIBE,
	INTENT_SIGN,
	INTENT_CONTRARY,	/* "don't remove me", "I won't sign": for a
				   person, even when mailed to our
				   unsubscribe or sign address */
};

/*
 * Reads the reply's text body (text[0..len)) and, when the body says
 * nothing, its subject.
 */
enum intent intent_of(const char *text, size_t len, const char *subject);

/* "other", "unsubscribe", "sign", "contrary" */
const char *intent_name(enum intent i);

/*
 * Is this text (the start of a message body) an out-of-office notice?
 * For auto-replies whose headers do not say so.
 */
int	intent_is_away_notice(const char *text, size_t len);

#endif
