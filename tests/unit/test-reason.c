/*
 * Unit tests for reason: one recipient's diagnostic, status code and
 * command give a reason. These are the rules that read a structure
 * rather than a phrase: a local mailer's exit status, a host name said
 * not to exist, a DNS failure under a temporary code, a code and words
 * that agree, the command a reply answered.
 */
#include <string.h>

#include "reason.h"
#include "tap.h"

struct reason_case {
	const char	*diag, *status, *command;
	const char	*want;
	const char	*what;
};

static const struct reason_case cases[] = {
	/* sysexits.h, for a local mailer that said only its status */
	{ "X-Unix; 67", "5.1.1", "", "userunknown",
	    "a local mailer's exit status 67 (EX_NOUSER) is userunknown" },
	{ "X-Unix; 77", "5.3.0", "", "systemerror",
	    "exit status 77 (EX_NOPERM) is systemerror" },
	{ "X-Unix; 255", "5.3.0", "", "mailererror",
	    "a status sysexits.h does not define is the mailer's own failure" },
	{ "x-unix; procmail: couldn't create \"/var/mail/ann\"",
	    "5.3.0", "", "mailererror", "a mailer's words are mailererror" },
	/* a host name that does not exist */
	{ "553 mx.example.org does not exist", "", "DATA",
	    "hostunknown", "'553 mx.example.org does not exist' "
	    "is hostunknown" },
	{ "550 mailbox ann.smith does not exist", "5.1.1", "RCPT",
	    "userunknown", "'mailbox ann.smith does not exist' is a "
	    "mailbox, not a host" },
	{ "550 <ann@example.org> does not exist", "", "RCPT",
	    "userunknown", "an address that does not exist is a mailbox" },
	{ " does not exist", "", "", "onhold",
	    "nothing before 'does not exist' names nothing (and reads nothing "
	    "before the text)" },
	/* qmail: a domain that exists but names no host for its mail */
	{ "Sorry, I couldn't find a mail exchanger or IP "
	    "address. (#5.4.4)", "5.4.4", "", "notaccept",
	    "qmail's 'couldn't find a mail exchanger' is notaccept, not "
	    "the hostunknown of 5.4.4" },
	/* a lookup that failed for now is not a domain known not to exist */
	{ "DNS Error: DNS type 'mx' lookup of example.jp responded "
	    "with code NXDOMAIN", "4.0.0", "", "networkerror",
	    "NXDOMAIN under a temporary 4.0.0 is networkerror" },
	{ "DNS Error: DNS type 'mx' lookup of example.jp responded "
	    "with code NXDOMAIN", "5.1.2", "", "hostunknown",
	    "NXDOMAIN under a permanent 5.1.2 is hostunknown" },
	{ "name service error for domain example.com: Host not "
	    "found, try again", "", "", "networkerror",
	    "Postfix's 'Host not found, try again' is networkerror" },
	{ "refused to accept your message: [554 5.4.6 Hop count "
	    "exceeded - possible mail loop] The attachment contains the "
	    "original headers.", "5.4.6", "", "networkerror",
	    "a loop said by code and words is networkerror, whatever else "
	    "the report mentions" },
	/* the command decides what the same words mean */
	{ "550 5.1.0 <alerts@river.example> sender rejected",
	    "5.1.0", "MAIL", "rejected",
	    "an address refused at MAIL is the sender's: rejected" },
	{ "550 5.1.1 <ann@example.org>: user unknown", "5.1.1",
	    "RCPT", "userunknown", "'user unknown' at RCPT is userunknown" },
	{ "550 user unknown", "5.0.0", "DATA", "filtered",
	    "'user unknown' after DATA is a filter speaking" },
	{ "554 5.7.0 Header error", "5.7.0", "DATA",
	    "policyviolation", "a 5.7 'header error' is policyviolation" },
	{ "550 5.7.1 Access denied", "5.7.1", "RCPT",
	    "securityerror", "a bare 'access denied' goes by its 5.7.1 code" },
	{ "550 5.7.1 Access denied", "5.7.1", "MAIL", "rejected",
	    "refused at MAIL with only a code: the sender is rejected" },
	{ "550 client host blocked for spamming issues", "5.0.0", "",
	    "blocked", "a client host blocked for spam is the host blocked" },
	{ "no MX record found for domain=example.org", "", "",
	    "notaccept", "a domain with no MX record takes no mail" },
	/* words plain enough to settle it */
	{ "** Address not found ** Your message wasn't delivered to "
	    "ann@example.org because the address couldn't be found.",
	    "5.0.0", "", "userunknown",
	    "Gmail's 'the address couldn't be found' is userunknown with "
	    "no command known" },
	{ "554 mx.example.org all mail servers must have a PTR record "
	    "with a valid reverse DNS entry", "", "CONN", "requireptr",
	    "a missing PTR said plainly is requireptr even at the greeting" },
	{ "554 5.7.1 [C14] Missing reverse DNS for 192.0.2.1", "5.7.1",
	    "CONN", "blocked", "a refusal at the greeting that only "
	    "mentions reverse DNS is the host blocked" },
	{ "550 'ann@example.org' is not a registered gateway user",
	    "5.0.0", "", "rejected",
	    "'not a registered gateway user' is the sender refused" },
	/* only a refusal that names a policy is policyviolation */
	{ "550 5.7.1 Message rejected due to local policy", "5.7.1",
	    "DATA", "policyviolation", "'local policy' is policyviolation" },
	{ "554 5.7.0 <ann@example.org>: Recipient address rejected: "
	    "policy violation", "5.7.0", "RCPT", "securityerror",
	    "a bare 'policy violation' goes by its 5.7.0 code" },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct reason_case *k = &cases[i];
		struct reason_input in;
		const char *got;

		memset(&in, 0, sizeof(in));
		in.diag = k->diag;
		in.status = k->status;
		in.command = k->command;
		in.action = "failed";
		got = reason_name(reason_of(&in));
		tap_ok(strcmp(got, k->want) == 0, "%s (got %s)", k->what, got);
	}
	return tap_done();
}
