/*
 * Unit tests for classify: replies read by their first unquoted words
 * in several languages, auto-replies never taken for a person, tokens
 * found where they are addressed, a list manager's refusal, an address
 * written as a display name, a bounce forwarded as text or a report
 * pasted into one, a relay quoting a server's reply, a returned message
 * from the null sender, a multipart under a boundary it does not use,
 * Exim's list of failed addresses, a session transcript, and a message
 * held in a buffer of exactly its size (the libetpan over-read the
 * fuzzer found).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "fsx.h"
#include "tap.h"
#include "xalloc.h"

#define REPLY_TO "reply+d7-abcdefghijklmnop@river.example"

static enum classify_kind
kind_of(const char *msg, struct classify *c)
{
	/* Exactly its size, no NUL after it: as a fuzzer or a socket gives. */
	size_t len = strlen(msg);
	char *exact = xmalloc(len);

	memcpy(exact, msg, len);
	classify_message(exact, len, c);
	free(exact);
	return c->kind;
}

static void
reply_says(const char *subject, const char *body, enum classify_kind want,
    const char *what)
{
	char msg[2048];
	struct classify c;

	snprintf(msg, sizeof(msg), "From: Ann <ann@example.org>\r\n"
	    "To: <" REPLY_TO ">\r\nSubject: %s\r\n\r\n%s", subject, body);
	tap_is(classify_kind_name(kind_of(msg, &c)),
	    classify_kind_name(want), what);
}

/* The message is a bounce of just `addr`, for `reason` (if not NULL). */
static void
bounce_of(const char *msg, const char *addr, const char *reason,
    const char *what)
{
	struct classify c;

	(void)kind_of(msg, &c);
	tap_ok(c.kind == CLASSIFY_BOUNCE && c.nrcpt == 1 &&
	    strcmp(c.rcpt[0].addr, addr) == 0 && (reason == NULL ||
	    strcmp(reason_name(c.rcpt[0].reason), reason) == 0), "%s", what);
}

/* A relay's delivery-status report on ann@example.org, in msg. */
static const char *
dsn_for_ann(char *msg, size_t size, const char *action, const char *status,
    const char *diag)
{
	snprintf(msg, size, "From: MAILER-DAEMON@relay.example\r\nTo: "
	    "bounce+d1-abcdefghijklmnop@river.example\r\nSubject: Delivery "
	    "Status Notification\r\nContent-Type: multipart/report; "
	    "report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\n"
	    "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: "
	    "dns; relay.example\r\n\r\nFinal-Recipient: rfc822; ann@example"
	    ".org\r\nAction: %s\r\nStatus: %s\r\nDiagnostic-Code: %s\r\n"
	    "--B--\r\n", action, status, diag);
	return msg;
}

int
main(void)
{
	struct classify c;
	char *data, msg[1024];
	size_t len;

	reply_says("Re: Resign now", "Unsubscribe\r\n", CLASSIFY_UNSUBSCRIBE,
	    "'Unsubscribe' unsubscribes");
	reply_says("Re: x", "Please remove me from this list.\r\n\r\n> Will "
	    "you sign?\r\n", CLASSIFY_UNSUBSCRIBE, "'Please remove me' too");
	reply_says("Re: x", "STOP\r\n", CLASSIFY_REPLY,
	    "'STOP' alone asks nothing (stop what?): for a person");
	reply_says("Re: x", "Me désabonner s'il vous plaît\r\n",
	    CLASSIFY_UNSUBSCRIBE, "French 'désabonner' too");
	reply_says("Re: x", "Bitte abmelden.\r\n", CLASSIFY_UNSUBSCRIBE,
	    "German 'Bitte abmelden' unsubscribes");
	reply_says("Re: "
	    "x", "Yes, add my name!\r\n\r\nOn Monday River wrote:\r\n"
	    "> Will you sign?\r\n", CLASSIFY_SIGN, "'Yes, add my name!' signs");
	reply_says("Re: x", "I sign.\r\n", CLASSIFY_SIGN, "'I sign.' signs");
	reply_says("Re: x", "Oui\r\n", CLASSIFY_SIGN, "French 'Oui' signs");
	reply_says("Re: x", "Yes, but first tell me who funds this campaign "
	    "and why the minister and not the council?\r\n", CLASSIFY_REPLY,
	    "a long 'yes, but...' is for a person");
	reply_says("Re: x", "I will not sign this.\r\n", CLASSIFY_REPLY,
	    "'I will not sign' does not sign");
	reply_says("Re: x", "> unsubscribe\r\n\r\nThanks for the update!\r\n",
	    CLASSIFY_REPLY, "a quoted 'unsubscribe' is not an ask");
	reply_says("unsubscribe", "", CLASSIFY_UNSUBSCRIBE,
	    "an empty body: the subject says it");

	(void)kind_of("From: Ann <ann@example.org>\r\nTo: <" REPLY_TO ">\r\n"
	    "Subject: Re: x\r\n\r\nWho funds this?\r\n\r\nOn Monday River "
	    "wrote:\r\n> Will you sign?\r\n", &c);
	tap_is(c.excerpt, "Who funds this?",
	    "a reply's excerpt ends where the quoted message starts");
	snprintf(msg, sizeof(msg), "From: ann@example.org\r\nTo: <" REPLY_TO
	    ">\r\nSubject: Automatic reply: Resign now\r\n\r\nI am out of the "
	    "office until Monday. Please stop by later.\r\n");
	tap_is(classify_kind_name(kind_of(msg, &c)), "autoreply",
	    "an out-of-office reply is not a person, whatever its words");
	snprintf(msg, sizeof(msg), "From: ann@example.org\r\nTo: <" REPLY_TO
	    ">\r\nAuto-Submitted: auto-replied\r\nSubject: Re: x\r\n\r\n"
	    "Unsubscribe\r\n");
	tap_is(classify_kind_name(kind_of(msg, &c)), "autoreply",
	    "Auto-Submitted: auto-replied is an auto-reply");
	snprintf(msg, sizeof(msg), "From: ann@example.org\r\nTo: "
	    "someone@example.org\r\nSubject: Re: x\r\n\r\nUnsubscribe\r\n");
	tap_is(classify_kind_name(kind_of(msg, &c)), "unknown",
	    "not to one of our addresses: unknown, not an unsubscribe");
	(void)kind_of("From: ann@example.org\r\nTo: x <unsubscribe+m1x2-"
	    "abcdefghijklmnop@river.example>\r\n\r\n", &c);
	tap_ok(c.kind == CLASSIFY_UNSUBSCRIBE && c.ntokens == 1 &&
	    c.tokens[0].role == CLASSIFY_ROLE_UNSUBSCRIBE &&
	    c.tokens[0].addressed &&
	    strcmp(c.tokens[0].value, "m1x2-abcdefghijklmnop") == 0,
	    "mail to the List-Unsubscribe address unsubscribes, token found");
	(void)kind_of("From: ann@icloud.example\r\nTo: <unsubscribe+m1x2-"
	    "abcdefghijklmnop@river.example>\r\nSubject: unsubscribe\r\n"
	    "Auto-Submitted: auto-replied\r\nX-Apple-Unsubscribe: true\r\n"
	    "\r\nApple Mail sent this email to unsubscribe from the message "
	    "\"Resign now\".\r\n", &c);
	tap_ok(c.kind == CLASSIFY_UNSUBSCRIBE && c.nrcpt == 1 &&
	    strcmp(c.rcpt[0].addr, "ann@icloud.example") == 0,
	    "a mail client's unsubscribe button (Auto-Submitted) unsubscribes");
	(void)kind_of("From: ann@icloud.example\r\nTo: <opt-out-1@other."
	    "example>\r\nSubject: unsubscribe\r\nAuto-Submitted: "
	    "auto-replied\r\nX-Apple-Unsubscribe: true\r\n\r\nApple Mail "
	    "sent this email to unsubscribe.\r\n", &c);
	tap_ok(c.kind == CLASSIFY_COMPLAINT && c.nrcpt == 1 &&
	    strcmp(c.rcpt[0].addr, "ann@icloud.example") == 0 &&
	    strcmp(reason_name(c.rcpt[0].reason), "feedback") == 0,
	    "the same button's mail with no token of ours is a complaint by "
	    "its sender, not an auto-reply to ignore");
	(void)kind_of("From: a@b.example\r\nSubject: Re: x\r\nTo: "
	    "reply+d1-<evil>@river.example\r\n\r\nyes\r\n", &c);
	tap_ok(c.ntokens == 0, "a token with other characters is not taken");

	/* A subscriber's address that is a list, refusing our post. */
	bounce_of("From: team-admin@lists.example\r\nTo: bounce+d1-"
	    "abcdefghijklmnop@river.example\r\nSubject: not member (team "
	    "ML)\r\nX-MLServer: fml [fml 4.0.3]\r\n\r\nYou are not a "
	    "member of this mailing list <team@lists.example>.\r\n\r\n"
	    "Original mail as follows:\r\n\r\nFrom: <alerts@river.example>"
	    "\r\nTo: <team@lists.example>\r\n\r\nResign now\r\n",
	    "team@lists.example", "rejected",
	    "a list manager's 'not a member' refusal is a bounce of the list");
	(void)kind_of("From: team-request@lists.example\r\nTo: <ann@example"
	    ".org>\r\nSubject: Welcome to team\r\nList-Id: <team.lists."
	    "example>\r\n\r\nWelcome to the list <team@lists.example>!"
	    "\r\n", &c);
	tap_is(classify_kind_name(c.kind), "unknown",
	    "a list's welcome, with no words of refusal, is not a bounce");
	(void)kind_of("From: team-owner@lists.example\r\nTo: bounce+d1-"
	    "abcdefghijklmnop@river.example\r\nSubject: Your message to team "
	    "awaits moderator approval\r\nList-Id: <team.lists.example>\r\n"
	    "\r\nYour mail to <team@lists.example> is being held until the "
	    "list moderator can review it. Reason: post by non-member to a "
	    "members-only list\r\n", &c);
	tap_is(classify_kind_name(c.kind), "unknown",
	    "a post held for a list's moderator is waiting, not refused");
	bounce_of("From: Mail Delivery System <mailer-daemon@mx.example>"
	    "\r\nTo: bounce+d1-abcdefghijklmnop@river.example\r\nSubject: "
	    "Mail delivery failed\r\n\r\nA message that you sent contained "
	    "a recipient address that was incorrectly constructed:\r\n\r\n"
	    "  ann@example.org <bob@example.net>: malformed address: "
	    "<bob@example.net> may not follow ann@example.org\r\n",
	    "bob@example.net", "syntaxerror",
	    "'ann@example.org <bob@example.net>': the address is bob's, ann's "
	    "is only a name");

	/* A bounce forwarded whole, as text, by a mailbox that gathers them. */
	bounce_of("From: MAILER-DAEMON@isp.example\r\nTo: bounce+d1-"
	    "abcdefghijklmnop@river.example\r\nSubject: Undelivered Mail "
	    "Returned to Sender\r\nContent-Type: text/plain\r\n\r\nThe "
	    "message below could not be delivered. Contact <help@isp.example>"
	    "\r\n\r\n-----\r\nFrom MAILER-DAEMON Thu Apr 29 23:34:45 2015"
	    "\r\nFrom: MAILER-DAEMON@relay.isp.example\r\nMIME-Version: 1.0"
	    "\r\nContent-Type: multipart/report; report-type=delivery-status;"
	    "\r\n\tboundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain"
	    "\r\n\r\n<ann@example.org>: host mx.example.org said: 550 5.1.1 "
	    "user unknown (in reply to RCPT TO command)\r\n--B\r\n"
	    "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns;"
	    " relay.isp.example\r\n\r\nFinal-Recipient: rfc822; ann@example"
	    ".org\r\nAction: failed\r\nStatus: 5.1.1\r\n--B--\r\n",
	    "ann@example.org", "userunknown",
	    "a report forwarded as text is read, not its forwarder's preamble");

	bounce_of("From: MAILER-DAEMON@mail.example\r\nTo: bounce+d1-"
	    "abcdefghijklmnop@river.example\r\nSubject: Delivery Status "
	    "Notification (Failure)\r\n\r\nAn error occurred while trying to "
	    "deliver the mail to the following recipients:\r\nann@example.org"
	    "\r\n\r\nTechnical report:\r\n\r\nReporting-MTA: dns; mail."
	    "example\r\n\r\nAction: failed\r\nFinal-Recipient: rfc822; "
	    "ann@example.org\r\nDiagnostic-Code: smtp; 550 5.1.1 <ann.old@"
	    "example.org>... User Unknown\r\nStatus: 5.1.1\r\n",
	    "ann@example.org", NULL,
	    "a delivery-status report pasted as text is read by its fields: "
	    "the address its diagnostic quotes is not a recipient");

	/* A provider known by the host its text names, with no DSN. */
	bounce_of("From: Mail Delivery System <MAILER-DAEMON@mx.example>"
	    "\r\nTo: bounce+d1-abcdefghijklmnop@river.example\r\nSubject: "
	    "Undelivered Mail Returned to Sender\r\n\r\nI'm sorry to have "
	    "to inform you that your message could not be delivered.\r\n"
	    "\r\n<ann@example.org>: host mx1.hotmail.com[192.0.2.7] said: "
	    "550 Requested action not taken: mailbox unavailable\r\n",
	    "ann@example.org", "userunknown",
	    "Outlook.com's 'mailbox unavailable', its host named only in the "
	    "text, is userunknown");
	bounce_of("From: Mail Delivery System <MAILER-DAEMON@mx.example>"
	    "\r\nTo: bounce+d1-abcdefghijklmnop@river.example\r\nSubject: "
	    "Undelivered Mail Returned to Sender\r\n\r\nI'm sorry to have "
	    "to inform you that your message could not be delivered.\r\n"
	    "\r\n<ann@example.org>: host mx.example.org[192.0.2.7] said: "
	    "550 Requested action not taken: mailbox unavailable\r\n",
	    "ann@example.org", "filtered",
	    "the same words from any other host, no command known: filtered");

	/* A relay's report quoting the receiving server's own reply. */
	(void)kind_of(dsn_for_ann(msg, sizeof(msg), "failed", "5.1.0",
	    "smtp; 5.1.0 - Unknown address error 550-'5.7.1 <b@relay.example>"
	    "... Access denied' (delivery attempts: 0)"), &c);
	tap_ok(c.kind == CLASSIFY_BOUNCE && c.nrcpt == 1 &&
	    strcmp(c.rcpt[0].status, "5.7.1") == 0 &&
	    strcmp(reason_name(c.rcpt[0].reason), "securityerror") == 0 &&
	    !c.rcpt[0].hard,
	    "a quoted reply is judged by its server's code and words, not "
	    "the relay's 'unknown address' summary (got %s %s)",
	    c.rcpt[0].status, reason_name(c.rcpt[0].reason));
	(void)kind_of(dsn_for_ann(msg, sizeof(msg), "delayed", "4.4.7",
	    "smtp; 452 4.2.2 Over quota"), &c);
	tap_ok(c.nrcpt == 1 && strcmp(c.rcpt[0].status, "4.2.2") == 0 &&
	    strcmp(reason_name(c.rcpt[0].reason), "mailboxfull") == 0,
	    "the server's 4.2.2 over the relay's 4.4.7 'delayed' (got %s %s)",
	    c.rcpt[0].status, reason_name(c.rcpt[0].reason));

	bounce_of("From: MAILER-DAEMON@mx.example\r\nTo: bounce+d1-abcdefgh"
	    "ijklmnop@river.example\r\nSubject: Undelivered Mail Returned to "
	    "Sender\r\nContent-Type: multipart/report; report-type=delivery-"
	    "status; boundary=\"RENAMED\"\r\n\r\n--B\r\nContent-Type: "
	    "text/plain\r\n\r\nSee the report.\r\n--B\r\nContent-Type: "
	    "message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example"
	    "\r\n\r\nFinal-Recipient: rfc822; ann@example.org\r\nAction: "
	    "failed\r\nStatus: 5.2.2\r\n--B--\r\n", "ann@example.org",
	    "mailboxfull", "a boundary the body never uses: its parts are "
	    "read under the one it does");

	(void)kind_of("From: Mail Delivery System <Mailer-Daemon@mx.example>"
	    "\r\nTo: bounce+d1-abcdefghijklmnop@river.example\r\nSubject: "
	    "Mail delivery failed\r\nX-Failed-Recipients: ann@example.org, "
	    "bob@example.net\r\n\r\nThe following address(es) failed:\r\n"
	    "\r\n  ann@example.org\r\n    SMTP error from remote mail server "
	    "after RCPT TO:<ann@example.org>:\r\n    550 5.2.2 Mailbox Full"
	    "\r\n  bob@example.net\r\n    SMTP error from remote mail server "
	    "after RCPT TO:<bob@example.net>:\r\n    550 5.1.1 User Unknown"
	    "\r\n", &c);
	tap_ok(c.kind == CLASSIFY_BOUNCE && c.nrcpt == 2 &&
	    strcmp(reason_name(c.rcpt[0].reason), "mailboxfull") == 0 &&
	    strcmp(reason_name(c.rcpt[1].reason), "userunknown") == 0 &&
	    strcmp(c.rcpt[1].status, "5.1.1") == 0,
	    "Exim's failed addresses are each judged by the lines indented "
	    "under them, not by the whole report");

	(void)kind_of("From: MAILER-DAEMON@mx.example\r\nTo: bounce+d1-"
	    "abcdefghijklmnop@river.example\r\nSubject: Undelivered Mail "
	    "Returned to Sender\r\nX-Failed-Recipients: ann@example.org\r\n"
	    "\r\nTranscript of session follows.\r\n\r\n Out: 220 mx ESMTP\r\n"
	    " In:  EHLO relay\r\n Out: 250-mx\r\n Out: 250-STARTTLS\r\n Out: "
	    "250 AUTH PLAIN\r\n In:  MAIL FROM:<a@river.example>\r\n Out: 250"
	    " 2.1.0 Ok\r\n In:  RCPT TO:<ann@example.org>\r\n Out: 250 2.1.5 "
	    "Ok\r\n In:  DATA\r\n Out: 354 go ahead\r\n Out: 451 4.3.0 Error:"
	    " queue file write error\r\n", &c);
	tap_ok(c.nrcpt == 1 &&
	    strcmp(reason_name(c.rcpt[0].reason), "systemerror") == 0,
	    "a session transcript is judged from its refusal on, not by the "
	    "STARTTLS and AUTH the server offered (got %s)",
	    c.nrcpt == 1 ? reason_name(c.rcpt[0].reason) : "-");

	/* A returned message from the null sender, whatever its names. */
#define NULL_SENDER_BOUNCE(rp) rp "From: no-reply@isp.example\r\nTo: " \
	    "bounce+d1-abcdefghijklmnop@river.example\r\nSubject: Mail\r\n" \
	    "Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n" \
	    "Content-Type: text/plain\r\n\r\nYour mail could not be " \
	    "delivered to: <ann@example.org> as their mailbox is full.\r\n" \
	    "--B\r\nContent-Type: message/rfc822\r\n\r\nFrom: alerts@river" \
	    ".example\r\nTo: <ann@example.org>\r\n\r\nResign now\r\n--B--\r\n"
	bounce_of(NULL_SENDER_BOUNCE("Return-Path: <>\r\n"), "ann@example.org",
	    "mailboxfull", "a returned message from the null sender that says "
	    "it was not delivered is a bounce, from no-reply@ with "
	    "'Subject: Mail'");
	(void)kind_of(NULL_SENDER_BOUNCE("Return-Path: <no-reply@isp.example>"
	    "\r\n"), &c);
	tap_is(classify_kind_name(c.kind), "unknown",
	    "the same from a sender that takes replies is not taken for one");
#undef NULL_SENDER_BOUNCE

	data = fsx_read("tests/corpus/fuzz/classify-libetpan-overread",
	    1 << 20, &len);
	tap_ok(data != NULL, "read the fuzzer's libetpan over-read input");
	if (data != NULL) {
		char *exact = xmalloc(len);

		memcpy(exact, data, len);
		classify_message(exact, len, &c);
		tap_ok(1, "classifying it in an exact-size buffer reads "
		    "nothing past its end (ASan)");
		free(exact);
		free(data);
	}
	return tap_done();
}
