/*
 * reason: names why a message bounced, in the vocabulary of Sisimai (the
 * reference analyser), from what the report says about one recipient:
 * the diagnostic text, the enhanced status code, the SMTP command it
 * failed at and the DSN action: first what the status code and the words
 * agree on, as the command allows, then the words alone, then the code.
 */
#ifndef TOCSIN_REASON_H
#define TOCSIN_REASON_H

#include <stddef.h>

struct reason_input {
	const char	*diag;		/* any case; NULL or "" if none */
	const char	*status;	/* "5.1.1", or "" */
	/* "RCPT", "DATA", "MAIL", "EHLO", "CONN", or "" */
	const char	*command;
	const char	*action;	/* DSN Action, or "" */
};

/* A static reason name: "userunknown", "mailboxfull", ... */
const char *reason_of(const struct reason_input *in);

/* 1 when a bounce for `reason` with `status` means the address is dead. */
int	reason_is_hard(const char *reason, const char *status);

/* The first SMTP reply code in folded text ("550 ...", "550-..."), or 0. */
int	reason_reply_code(const char *folded);

/*
 * Writes text[0..len) lower-cased with each run of white space made one
 * space, into out (outsize bytes, always terminated); the phrase tables
 * are written for text in that form.
 */
void	reason_fold(const char *text, size_t len, char *out, size_t outsize);

#endif
