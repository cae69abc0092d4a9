/*
 * Unit tests for provider: the codes and set sentences of particular
 * providers and mail programs, each known the way the module knows it
 * (a marker in the words, the recipient's domain, a host of the report,
 * a program's sign), and the same words from anyone else saying
 * nothing. Inputs are folded, as fold_text makes them.
 */
#include <string.h>

#include "provider.h"
#include "tap.h"

struct provider_case {
	struct provider_input	 in;
	const char		*want;	/* NULL: the provider says nothing */
	const char		*what;
};

static const struct provider_case cases[] = {
	/* codes after a marker, wherever they come from */
	{ { "example.org", "", "", "smtp; 550 5.1.0 <a@b.example> sender "
	    "rejected. aup#cdrbl", "5.1.0", "MAIL" }, "blocked",
	    "Cox's AUP#CDRBL is the sending host blocked" },
	{ { "charter.net", "", "", "smtp; 550 5.1.0 <a@b.example> sender "
	    "rejected. aup#in-1310", "5.1.0", "RCPT" }, "toomanyconn",
	    "Spectrum's AUP#In-1310 is in its 1300-1340 range: toomanyconn" },
	{ { "", "", "", "smtp; 550 aup#in-9999", "", "" }, NULL,
	    "a Spectrum number in no range says nothing" },
	{ { "laposte.net", "", "", "smtp; 550 5.5.0 adresse destinataire "
	    "invalide. invalid recipient. lpn007_416", "5.5.0", "DATA" },
	    "userunknown", "La Poste's LPN007_416 is userunknown at DATA" },
	{ { "orange.fr", "", "", "550 5.2.0 mail rejete. mail rejected. "
	    "ofr_506 [506]", "5.2.0", "" }, "spamdetected",
	    "Orange's OFR_506 is spamdetected" },
	{ { "", "", "", "550 5.5.0 help_416 invalid", "5.5.0", "" }, NULL,
	    "three digits after another label say nothing" },
	/* set sentences, by the recipient's domain or a named host */
	{ { "hotmail.example.com", "dns;bay004-neko22.hotmail.com", "",
	    "smtp;550 requested action not taken: mailbox unavailable",
	    "5.5.0", "" }, "userunknown",
	    "Outlook.com (its Reporting-MTA) means a missing mailbox" },
	{ { "example.com", "dns; mx.example.com", "",
	    "smtp;550 requested action not taken: mailbox unavailable",
	    "5.5.0", "" }, NULL, "the same words from another host: nothing" },
	{ { "yahoo.com", "", "", "smtp; 554 delivery error: dd this user "
	    "doesn't have a yahoo.com account", "5.0.0", "DATA" },
	    "userunknown", "Yahoo's 'dd this user' is userunknown at DATA" },
	{ { "example.org", "dns; server-00.bemta-0.messagelabs.com", "",
	    "smtp; 542 ann@example.org rejected", "5.0.0", "" },
	    "userunknown", "MessageLabs' 542 is a mailbox it has not" },
	{ { "ntt.docomo.example.ne.jp", "dns; mfsmax.docomo.ne.jp", "",
	    "smtp; 550 unknown user ann@example.jp", "5.0.0", "DATA" },
	    "rejected", "NTT docomo's 5.0.0 at DATA is rejected" },
	{ { "ezweb.ne.jp", "", "", "smtp; 550 : user unknown", "5.0.0", "" },
	    "filtered", "KDDI's '550 : user unknown' is its filter" },
	{ { "example.co.uk", "dns; service222.mimecast.com", "",
	    "smtp; 554 email rejected due to security policies - "
	    "mcspamsignature.sa.2.2", "5.0.0", "DATA" }, "virusdetected",
	    "Mimecast's 554 'security policies' is its virus scanner" },
	{ { "example.co.uk", "dns; service222.mimecast.com", "",
	    "smtp; 550 email rejected due to security policies", "5.0.0",
	    "DATA" }, NULL, "Mimecast's sentence under another code: nothing" },
	/* mail programs */
	{ { "example.com", " <smtp32 v990729>", "", "unknown user: "
	    "ann@example.com", "", "" }, "userunknown",
	    "IMail (its X-Mailer) means a missing mailbox" },
	{ { "example.jp", "", "****** message from interscan messaging "
	    "security suite ******", "unable to deliver message to "
	    "<ann@example.jp>", "", "" }, "userunknown",
	    "InterScan's 'unable to deliver message to' is userunknown" },
	{ { "example.net", "", "", "mail.local: unknown user: ann 554 "
	    "service unavailable", "5.5.0", "" }, "userunknown",
	    "mail.local's 'unknown user' is a missing mailbox, no filter" },
	{ { "example.net", "", "", "procmail: couldn't create "
	    "\"/var/mail/ann\"", "5.3.0", "" }, "mailererror",
	    "procmail's own failure is mailererror" },
	{ { "example.net", "", "", "smtp; 550 mail.local: unknown user",
	    "5.1.1", "RCPT" }, NULL,
	    "a local agent quoted by a server at RCPT says nothing here" },
	/* Gmail's state, unless the status says more than its class */
	{ { "example.co.jp", "", "", "554 554 5.7.0 header "
	    "error (state 18).", "5.7.0", "" }, "filtered",
	    "Gmail's (state 18) failed after DATA: filtered" },
	{ { "example.com", "", "", "552 552 5.2.2 mailbox full (state 14).",
	    "5.2.2", "" }, NULL, "a full status beats the state" },
	{ { "example.org", "", "", "550 5.1.1 user unknown", "5.1.1", "RCPT" },
	    NULL, "no provider and no program: nothing" },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct provider_case *k = &cases[i];
		enum reason r = provider_reason(&k->in);
		const char *got = r == REASON_NONE ? NULL : reason_name(r);

		if (k->want == NULL)
			tap_ok(got == NULL, "%s (got %s)", k->what,
			    got != NULL ? got : "nothing");
		else
			tap_ok(got != NULL && strcmp(got, k->want) == 0,
			    "%s (got %s)", k->what,
			    got != NULL ? got : "nothing");
	}
	return tap_done();
}
