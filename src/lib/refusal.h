/*
 * refusal: whose problem a relay's permanent refusal is, judged by the
 * command it answered and by what it says. Only a refusal at RCPT that
 * is about the recipient's mailbox (5.1.1, 5.1.10, 5.2.1 ..., or words
 * that say the user or domain does not exist) bounces the subscriber. A
 * refusal of our sender (at MAIL, 5.1.7/5.1.8, relaying, authentication,
 * DMARC, SPF, 5.7.x policy) or of the message (at DATA or after it) is
 * about us: it is one relay's verdict on the group, not on the person,
 * and must never cost the group a supporter.
 */
#ifndef TOCSIN_REFUSAL_H
#define TOCSIN_REFUSAL_H

/* The SMTP command a reply answered. */
enum smtp_command {
	SMTP_AT_CONNECT,	/* the greeting */
	SMTP_AT_EHLO,
	SMTP_AT_STARTTLS,
	SMTP_AT_AUTH,
	SMTP_AT_MAIL,
	SMTP_AT_RCPT,
	SMTP_AT_DATA,		/* DATA itself, before the 354 */
	SMTP_AT_BODY,		/* the end of the data */
	SMTP_AT_OTHER,
};

enum refusal {
	REFUSAL_MAILBOX,	/* the recipient's mailbox is dead: a bounce */
	REFUSAL_RECIPIENT,	/* about the recipient, not dead (full ...) */
	REFUSAL_SENDER,		/* about us: our address, relay, policy */
	REFUSAL_MESSAGE,	/* about the message: content, size */
};

/* "MAIL", "RCPT", ... as an SMTP command is written. */
const char *smtp_command_name(enum smtp_command at);
/* Reads the command of a line the client sent ("RCPT TO:<...>"). */
enum smtp_command smtp_command_of(const char *line, size_t len);

/* Judges a permanent refusal `reply` (as the server wrote it) at `at`. */
enum refusal refusal_judge(enum smtp_command at, const char *reply);
/* "mailbox", "recipient", "sender", "message" */
const char *refusal_name(enum refusal r);

#endif
