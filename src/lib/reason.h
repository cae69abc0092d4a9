/*
 * reason: names why a message bounced, in the vocabulary of Sisimai (the
 * reference analyser), from what the report says about one recipient:
 * the diagnostic text, the enhanced status code, the SMTP command it
 * failed at and the DSN action: first what the status code and the words
 * agree on, as the command allows, then the words alone, then the code.
 *
 * A bounce report's recipient gets its reason in one place, judge() in
 * bounce.c: reason_of, then the provider's own codes and what the report
 * says as a whole (provider.h). Two readers name a reason themselves,
 * as their source says it: an Amazon SES notification (classify.c, from
 * its own diagnostic, through reason_of) and a list manager's refusal
 * (listrefusal.c); and classify gives what is not a bounce its word
 * (feedback, vacation, reply, ...).
 */
#ifndef TOCSIN_REASON_H
#define TOCSIN_REASON_H

#include <stddef.h>

/*
 * Why a message bounced: Sisimai's vocabulary, then classify's own
 * words for what is not a failure or not understood: delivered,
 * onhold (words nobody knows), undefined (no words at all), feedback
 * (a complaint's recipient), vacation (an auto-reply), and reply,
 * unsubscribe and sign (whom a reply is from). REASON_NONE is a
 * recipient no reason was given for. reason_name says each as tocsin
 * classify prints it.
 */
enum reason {
	REASON_NONE, REASON_MAILBOXFULL, REASON_MESGTOOBIG,
	REASON_EXCEEDLIMIT, REASON_SUSPEND, REASON_HASMOVED,
	REASON_NORELAYING, REASON_AUTHFAILURE, REASON_USERUNKNOWN,
	REASON_FILTERED, REASON_REQUIREPTR, REASON_NOTCOMPLIANTRFC,
	REASON_BADREPUTATION, REASON_CONTENTERROR, REASON_REJECTED,
	REASON_HOSTUNKNOWN, REASON_SPAMDETECTED, REASON_SPEEDING,
	REASON_TOOMANYCONN, REASON_BLOCKED, REASON_VIRUSDETECTED,
	REASON_POLICYVIOLATION, REASON_SYSTEMERROR, REASON_NETWORKERROR,
	REASON_SYSTEMFULL, REASON_NOTACCEPT, REASON_EXPIRED,
	REASON_FAILEDSTARTTLS, REASON_SECURITYERROR, REASON_SUPPRESSED,
	REASON_MAILERERROR, REASON_SYNTAXERROR,
	/* classify's own */
	REASON_DELIVERED, REASON_ONHOLD, REASON_UNDEFINED, REASON_FEEDBACK,
	REASON_VACATION, REASON_REPLY, REASON_UNSUBSCRIBE, REASON_SIGN,
	REASON_COUNT
};

/* "userunknown", "mailboxfull", ...; "" for REASON_NONE. */
const char *reason_name(enum reason r);

struct reason_input {
	const char	*diag;		/* any case; NULL or "" if none */
	const char	*status;	/* "5.1.1", or "" */
	/* "RCPT", "DATA", "MAIL", "EHLO", "CONN", or "" */
	const char	*command;
	const char	*action;	/* DSN Action, or "" */
};

/*
 * The reason the report gives for one recipient: never REASON_NONE,
 * and REASON_DELIVERED for a success (a 2.X.X status, or "delivered").
 */
enum reason reason_of(const struct reason_input *in);

/* 1 when a bounce for `reason` with `status` means the address is dead. */
int	reason_is_hard(enum reason reason, const char *status);

/* The first SMTP reply code in folded text ("550 ...", "550-..."), or 0. */
int	reason_reply_code(const char *folded);

#endif
