/*
 * Unit tests for the judgement of a relay's permanent refusal: only a
 * refusal at RCPT about the recipient's mailbox may bounce anyone.
 */
#include <string.h>

#include "refusal.h"
#include "tap.h"

struct refusal_case {
	enum smtp_command	 at;
	const char		*reply;
	enum refusal		 want;
};

static const struct refusal_case cases[] = {
	/* The recipient's mailbox: a bounce. */
	{ SMTP_AT_RCPT, "550 5.1.1 <ann@example.org>: Recipient address "
	    "rejected: User unknown in virtual mailbox table",
	    REFUSAL_MAILBOX },
	{ SMTP_AT_RCPT, "550-5.1.1 The email account that you tried to reach "
	    "does not exist", REFUSAL_MAILBOX },
	{ SMTP_AT_RCPT, "553 5.1.3 Bad recipient address syntax",
	    REFUSAL_MAILBOX },
	{ SMTP_AT_RCPT, "550 5.1.10 RESOLVER.ADR.RecipientNotFound; "
	    "Recipient not found by SMTP address lookup", REFUSAL_MAILBOX },
	{ SMTP_AT_RCPT, "550 5.2.1 The email account that you tried to "
	    "reach is disabled", REFUSAL_MAILBOX },
	{ SMTP_AT_RCPT, "550 No such user here", REFUSAL_MAILBOX },
	{ SMTP_AT_RCPT, "550 5.1.1 <ann@example.org>: Recipient address "
	    "rejected: User unknown in relay recipient table",
	    REFUSAL_MAILBOX },
	{ SMTP_AT_RCPT, "550 5.1.1 garbled address <x@example.org>",
	    REFUSAL_MAILBOX },
	{ SMTP_AT_RCPT, "550 Requested action not taken: mailbox unavailable",
	    REFUSAL_MAILBOX },
	/* About the recipient, but not a dead mailbox. */
	{ SMTP_AT_RCPT, "552 5.2.2 mailbox full", REFUSAL_RECIPIENT },
	{ SMTP_AT_RCPT, "500 5.3.0 Error: command failed", REFUSAL_RECIPIENT },
	/* About us, at RCPT as Postfix does by default. */
	{ SMTP_AT_RCPT, "550 5.1.8 <bounce+d1-x@b.example>: Sender address "
	    "rejected: Domain not found", REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "550 5.1.1 <bounce+d1-x@b.example>: Sender address "
	    "rejected: User unknown in local recipient table", REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "553 5.1.7 The sender address is invalid",
	    REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "554 5.7.1 <ann@example.org>: Relay access denied",
	    REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "530 5.7.0 Authentication required", REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "550 5.7.515 Access denied, sending domain does not "
	    "meet the required authentication level", REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "550 5.7.26 Unauthenticated email is not accepted: "
	    "DMARC policy", REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "550 Client host rejected: cannot find your hostname",
	    REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "554 Service unavailable; Client host [192.0.2.1] "
	    "blocked using zen.spamhaus.org", REFUSAL_SENDER },
	{ SMTP_AT_RCPT, "550 relaying denied", REFUSAL_SENDER },
	/* Any refusal at MAIL is about our sender, whatever it says. */
	{ SMTP_AT_MAIL, "550 5.1.8 Sender address rejected: Domain not found",
	    REFUSAL_SENDER },
	{ SMTP_AT_MAIL, "550 5.1.1 User unknown", REFUSAL_SENDER },
	{ SMTP_AT_CONNECT, "554 5.7.1 Go away", REFUSAL_SENDER },
	/* At DATA or after it: about the message. */
	{ SMTP_AT_DATA, "554 5.5.1 Error: no valid recipients",
	    REFUSAL_MESSAGE },
	{ SMTP_AT_BODY, "550 5.7.1 Message rejected as spam", REFUSAL_MESSAGE },
	{ SMTP_AT_BODY, "550 5.1.1 User unknown", REFUSAL_MESSAGE },
};

struct command_case {
	const char		*line;
	enum smtp_command	 want;
};

static const struct command_case commands[] = {
	{ "MAIL FROM:<bounce+d1-x@b.example>\r\n", SMTP_AT_MAIL },
	{ "RCPT TO:<ann@example.org>\r\n", SMTP_AT_RCPT },
	{ "DATA\r\n", SMTP_AT_DATA },
	{ "EHLO river.example\r\n", SMTP_AT_EHLO },
	{ "AUTH PLAIN\r\n", SMTP_AT_AUTH },
	{ "QUIT\r\n", SMTP_AT_OTHER },
	{ "MAILBOX\r\n", SMTP_AT_OTHER },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum refusal got = refusal_judge(cases[i].at, cases[i].reply);

		tap_ok(got == cases[i].want, "at %s, '%s' is about the %s "
		    "(got %s)", smtp_command_name(cases[i].at), cases[i].reply,
		    refusal_name(cases[i].want), refusal_name(got));
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		tap_ok(smtp_command_of(commands[i].line,
		    strlen(commands[i].line)) == commands[i].want,
		    "'%.*s' is %s", (int)strcspn(commands[i].line, "\r"),
		    commands[i].line, smtp_command_name(commands[i].want));
	return tap_done();
}
