/*
 * provider: what providers mean by their own codes (see provider.h).
 *
 * Two kinds of knowledge. A code after a marker ("AUP#CDRBL",
 * "LPN007_416") names the provider by itself and is read wherever it
 * appears. A set sentence means something only from the provider that
 * uses it ("542 ... rejected" is MessageLabs refusing an address), so it
 * is read only when the recipient's domain or a host of the report is
 * that provider's.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "reason.h"

/* Cox's codes after "AUP#": its published list of what each one means. */
static const struct {
	const char	*code;
	enum reason	 reason;
} cox_codes[] = {
	{ "cxbl", REASON_BLOCKED },		/* the sending IP, for spam */
	{ "cdrbl", REASON_BLOCKED },		/* the same, for up to a day */
	{ "cxdns", REASON_REQUIREPTR },	/* no reverse DNS for the IP */
	/* SPF, DKIM or DomainKeys failed */
	{ "cxsndr", REASON_AUTHFAILURE },
	{ "cxsmtp", REASON_REJECTED },	/* not seen to come from a sender */
	/* over 10 connections from one IP */
	{ "cxcnct", REASON_TOOMANYCONN },
	/* too many recipients for now */
	{ "cxmxrt", REASON_TOOMANYCONN },
	/* the account looks compromised */
	{ "cxthrt", REASON_SECURITYERROR },
	{ "cxmj", REASON_SECURITYERROR },
};

/*
 * Spectrum's numbered codes ("AUP#In-1310"), by range as its page
 * groups them: [from, to] inclusive.
 */
static const struct {
	int		 from, to;
	enum reason	 reason;
} spectrum_codes[] = {
	{ 1000, 1000, REASON_BLOCKED }, { 1010, 1080, REASON_REJECTED },
	{ 1090, 1090, REASON_SYSTEMERROR }, { 1100, 1150, REASON_REQUIREPTR },
	{ 1160, 1190, REASON_POLICYVIOLATION }, { 1200, 1250, REASON_BLOCKED },
	{ 1260, 1260, REASON_NETWORKERROR }, { 1300, 1340, REASON_TOOMANYCONN },
	{ 1350, 1490, REASON_SPEEDING }, { 1500, 1520, REASON_REJECTED },
	{ 1530, 1530, REASON_MESGTOOBIG }, { 1540, 1550, REASON_SPEEDING },
	{ 1560, 1560, REASON_POLICYVIOLATION }, { 1580, 1580, REASON_SPEEDING },
};

/*
 * La Poste's and Orange's codes end in three digits that say the
 * reason ("LPN007_416", "OFR_506"); codes that only ask to try later
 * are not here, and say nothing more than the words around them.
 */
static const struct {
	const char	*code;
	enum reason	 reason;
} laposte_codes[] = {
	{ "101", REASON_BLOCKED }, { "102", REASON_BLOCKED }, { "103",
	    REASON_BLOCKED },
	{ "104", REASON_TOOMANYCONN }, { "305", REASON_SECURITYERROR },
	{ "401", REASON_AUTHFAILURE }, { "402", REASON_SECURITYERROR },
	{ "403", REASON_REJECTED }, { "405", REASON_REJECTED }, { "415",
	    REASON_REJECTED },
	{ "416", REASON_USERUNKNOWN }, { "417", REASON_MAILBOXFULL },
	{ "420", REASON_SUSPEND }, { "421", REASON_REJECTED }, { "426",
	    REASON_SUSPEND },
	{ "505", REASON_SYSTEMERROR }, { "506", REASON_SPAMDETECTED },
	{ "510", REASON_BLOCKED }, { "514", REASON_MESGTOOBIG },
	{ "517", REASON_AUTHFAILURE }, { "630", REASON_POLICYVIOLATION },
	{ "999", REASON_BLOCKED },
};

/*
 * A provider's set sentence, maybe only under a status code, a reply
 * code or a command; NULL and 0 match anything. A sentence of NULL
 * matches on the codes alone.
 */
struct said {
	enum reason	 reason;
	const char	*text;
	const char	*status;
	int		 reply;
	const char	*command;
};

#define SAID(r, text)		{ (r), (text), NULL, 0, NULL }
#define SAID_REPLY(r, reply, text)	{ (r), (text), NULL, (reply), NULL }
#define SAID_CODE(r, text, status, command) \
	{ (r), (text), (status), 0, (command) }
#define SAID_END		{ REASON_NONE, NULL, NULL, 0, NULL }

static const struct said aol_said[] = {
	/* AOL's resolver on a domain whose MX answer it cannot use */
	SAID(REASON_NOTACCEPT, "type=mx: malformed or unexpected name "
	    "server reply"),
	SAID(REASON_HOSTUNKNOWN, "host or domain name not found"),
	SAID_END
};

static const struct said cox_said[] = {
	SAID(REASON_BLOCKED, "too many bad commands from"),
	SAID(REASON_BLOCKED, "too many invalid recipients"),
	SAID(REASON_REQUIREPTR, "dns check failure - try again later"),
	SAID(REASON_REQUIREPTR, "rejected - no rdns"),
	SAID(REASON_POLICYVIOLATION, "esmtp no data before greeting"),
	SAID(REASON_POLICYVIOLATION, "attachment extension is forbidden"),
	SAID(REASON_SYSTEMERROR, "esmtp server temporarily not available"),
	SAID(REASON_TOOMANYCONN, "too many sessions from"),
	SAID(REASON_TOOMANYCONN, "message threshold exceeded"),
	SAID(REASON_TOOMANYCONN, "requested action aborted: try again later"),
	/* Cox wants every sender domain to resolve */
	SAID(REASON_REJECTED, "sender rejected"),
	SAID(REASON_USERUNKNOWN, "recipient rejected"),
	SAID_END
};

static const struct said messagelabs_said[] = {
	SAID(REASON_SECURITYERROR, "please turn on smtp authentication"),
	/* MessageLabs refuses an address it does not know with a 542 */
	SAID_REPLY(REASON_USERUNKNOWN, 542, NULL),
	SAID(REASON_USERUNKNOWN, "no such user"),
	SAID_END
};

static const struct said docomo_said[] = {
	SAID_CODE(REASON_USERUNKNOWN, NULL, "5.1.1", NULL),
	SAID_CODE(REASON_USERUNKNOWN, NULL, "5.0.911", NULL),
	SAID_CODE(REASON_FILTERED, NULL,
	    "5.2.0", NULL),	/* the user's own filter */
	SAID(REASON_MAILBOXFULL, "552 too much mail data"),
	SAID(REASON_TOOMANYCONN, "552 too many recipients"),
	SAID(REASON_SYNTAXERROR, "503 bad sequence of commands"),
	SAID(REASON_SYNTAXERROR, "504 command parameter not implemented"),
	/* docomo's bare 5.0.0: an address at RCPT, the message at DATA */
	SAID_CODE(REASON_USERUNKNOWN, NULL, "5.0.0", "RCPT"),
	SAID_CODE(REASON_REJECTED, NULL, "5.0.0", "DATA"),
	SAID_END
};

/*
 * KDDI (au): "550 : User unknown", with no address, is its filter
 * refusing for the user; with the address it is a mailbox it has not.
 */
static const struct said kddi_said[] = {
	SAID(REASON_FILTERED, "550 : user unknown"),
	SAID(REASON_USERUNKNOWN, ">: user unknown"),
	SAID_END
};

static const struct said outlook_said[] = {
	/* Outlook.com's answer for an address it has not got */
	SAID(REASON_USERUNKNOWN,
	    "requested action not taken: mailbox unavailable"),
	SAID(REASON_HOSTUNKNOWN, "domain is not reachable"),
	SAID_END
};

static const struct said yahoo_said[] = {
	SAID(REASON_AUTHFAILURE,
	    "requires all senders to authenticate with either spf"),
	SAID(REASON_BLOCKED, "because the ip is in spamhaus's list"),
	SAID(REASON_BLOCKED, "not accepted from ip addresses on spamhaus xbl"),
	SAID(REASON_NORELAYING, "relaying denied for "),
	SAID(REASON_NOTCOMPLIANTRFC, "headers are not rfc compliant"),
	SAID(REASON_POLICYVIOLATION, "not accepted for policy reasons"),
	SAID(REASON_REJECTED, "due to unresolvable rfc.5321 domain"),
	SAID(REASON_REJECTED, " will be permanently deferred"),
	SAID(REASON_SPEEDING, "user is receiving mail too quickly"),
	SAID(REASON_SUSPEND, " is no longer valid."),
	SAID(REASON_SUSPEND, "this mailbox is disabled"),
	SAID(REASON_SYNTAXERROR, "syntax error in parameters or arguments"),
	SAID(REASON_TOOMANYCONN, "max message per connection reached"),
	/* said at DATA too, when Yahoo holds RCPT's answer back */
	SAID(REASON_USERUNKNOWN, "dd this user doesn't have a "),
	SAID(REASON_USERUNKNOWN, "mailbox not found"),
	SAID_END
};

static const struct said mimecast_said[] = {
	SAID_REPLY(REASON_AUTHFAILURE, 550,
	    "spf sender invalid - envelope rejected"),
	SAID_REPLY(REASON_AUTHFAILURE, 550,
	    "dkim sender invalid - envelope rejected"),
	SAID_REPLY(REASON_AUTHFAILURE, 550,
	    "dmarc sender invalid - envelope rejected"),
	SAID_REPLY(REASON_BADREPUTATION, 550,
	    "local ct ip reputation - (reject)"),
	SAID_REPLY(REASON_BLOCKED, 421, "sender address blocked"),
	SAID_REPLY(REASON_BLOCKED, 451, "ip temporarily blacklisted"),
	SAID_REPLY(REASON_FAILEDSTARTTLS, 553,
	    "this route requires encryption (tls)"),
	SAID_REPLY(REASON_FAILEDSTARTTLS, 553,
	    "this route requires tls version 1.2"),
	SAID_REPLY(REASON_FAILEDSTARTTLS, 553,
	    "this route requires high-strength ciphers"),
	SAID_REPLY(REASON_MESGTOOBIG, 554, "maximum email size exceeded"),
	SAID_REPLY(REASON_NETWORKERROR, 554, "mail loop detected"),
	SAID_REPLY(REASON_NORELAYING, 451, "open relay not allowed"),
	SAID_REPLY(REASON_NORELAYING, 451, "open relay is not allowed"),
	SAID_REPLY(REASON_NOTACCEPT, 451, "account inbounds disabled"),
	SAID_REPLY(REASON_POLICYVIOLATION, 550,
	    "anti-spoofing policy - inbound not allowed"),
	SAID_REPLY(REASON_POLICYVIOLATION, 550,
	    "header-based anti-spoofing policy"),
	SAID_REPLY(REASON_POLICYVIOLATION, 554, "host network not allowed"),
	SAID_REPLY(REASON_REJECTED, 550, "envelope blocked - user entry"),
	SAID_REPLY(REASON_REJECTED, 550,
	    "envelope blocked - user domain entry"),
	SAID_REPLY(REASON_REJECTED, 550,
	    "administrative prohibition envelope blocked"),
	SAID_REPLY(REASON_REJECTED, 550,
	    "block policy for envelope from address"),
	SAID_REPLY(REASON_SECURITYERROR, 550,
	    "submitter failed to authenticate"),
	SAID_REPLY(REASON_SYSTEMERROR, 451,
	    "unable to process connection at this time"),
	SAID_REPLY(REASON_SYSTEMERROR, 451, "message ended early"),
	SAID_REPLY(REASON_TOOMANYCONN, 452, "too many recipients"),
	SAID_REPLY(REASON_TOOMANYCONN, 550, "exceeding outbound thread limit"),
	SAID_REPLY(REASON_USERUNKNOWN, 550, "invalid recipient"),
	SAID_REPLY(REASON_USERUNKNOWN, 503, "user unknown"),
	/* its virus scanner's refusal, whatever signature it names */
	SAID_REPLY(REASON_VIRUSDETECTED, 554,
	    "email rejected due to security policies"),
	SAID_END
};

/* Ipswitch IMail, known by its X-Mailer "<SMTP32 v...>". */
static const struct said imail_said[] = {
	SAID(REASON_USERUNKNOWN, "unknown user"),
	SAID(REASON_USERUNKNOWN, "invalid final delivery userid"),
	SAID(REASON_HOSTUNKNOWN, "unknown host"),
	SAID(REASON_MAILBOXFULL, "user mailbox exceeds allowed size"),
	SAID(REASON_VIRUSDETECTED, "virus detected"),
	SAID(REASON_SPAMDETECTED, "blacklisted url in message"),
	SAID(REASON_EXPIRED, "delivery failed "),
	SAID_END
};

/* Trend Micro InterScan: it says this only of an address it refused. */
static const struct said interscan_said[] = {
	SAID(REASON_USERUNKNOWN, "unable to deliver message to"),
	SAID_END
};

/*
 * Local delivery agents: no SMTP server between, so no filter that
 * speaks in a user's name. What one says of a user is about the
 * mailbox; what it says unknown here is the program's failure (each
 * table's last line, with no words, matches anything and so ends it).
 */
static const struct said mail_local_said[] = {
	SAID(REASON_USERUNKNOWN, ": unknown user"),
	SAID(REASON_USERUNKNOWN, ": user unknown"),
	SAID(REASON_USERUNKNOWN, ": invalid mailbox path"),
	SAID(REASON_USERUNKNOWN, ": user missing home directory"),
	SAID(REASON_MAILBOXFULL, "disc quota exceeded"),
	SAID(REASON_MAILBOXFULL, "mailbox full or quota exceeded"),
	SAID(REASON_SYSTEMERROR, "temporary file write error"),
	SAID(REASON_MAILERERROR, NULL),
};

static const struct said procmail_said[] = {
	SAID(REASON_MAILBOXFULL, "quota exceeded while writing"),
	SAID(REASON_MAILBOXFULL, "user over quota"),
	SAID(REASON_SYSTEMFULL, "no space left to finish writing"),
	SAID(REASON_SYSTEMERROR, "service unavailable"),
	SAID(REASON_MAILERERROR, NULL),
};

static const struct said maildrop_said[] = {
	SAID(REASON_MAILBOXFULL, "maildir over quota"),
	SAID(REASON_USERUNKNOWN, "cannot find system user"),
	SAID(REASON_USERUNKNOWN, "invalid user specified"),
	SAID(REASON_MAILERERROR, NULL),
};

static const struct said vpopmail_said[] = {
	/* a catch-all that takes the mail in the user's stead */
	SAID(REASON_FILTERED, "user does not exist, but will deliver to"),
	SAID(REASON_MAILBOXFULL, "is over quota"),
	SAID(REASON_SUSPEND, "account is locked email bounced"),
	SAID(REASON_USERUNKNOWN, "no mailbox here by that name"),
	SAID(REASON_MAILERERROR, NULL),
};

static const struct said vmailmgr_said[] = {
	SAID(REASON_MAILBOXFULL,
	    "delivery failed due to system quota violation"),
	SAID(REASON_USERUNKNOWN, "invalid or unknown base user or domain"),
	SAID(REASON_USERUNKNOWN, "invalid or unknown virtual user"),
	SAID(REASON_USERUNKNOWN, "user name does not refer to a virtual user"),
	SAID(REASON_MAILERERROR, NULL),
};

static const struct said dovecot_said[] = {
	SAID(REASON_MAILBOXFULL, "quota exceeded"),
	SAID(REASON_MAILBOXFULL, "not enough disk space"),
	SAID(REASON_USERUNKNOWN, "mailbox doesn't exist: "),
	SAID(REASON_MAILERERROR, NULL),
};

/* Where a program's sign is written. */
enum sign_place {
	IN_MTAS,	/* the MTA names: an X-Mailer */
	IN_REPORT,	/* the report's text: a banner */
	IN_DIAG,	/* a local agent's name before its words */
};

/*
 * Mail programs known by what they write. A local agent's sign counts
 * only when no SMTP command but DATA is named (else a server is quoting
 * it). Each sign is looked for only where it is written: the report's
 * whole text is long, and this runs for every recipient.
 */
static const struct {
	const char		*sign;
	enum sign_place		 place;
	const struct said	*said;
} programs[] = {
	{ "<smtp32 v", IN_MTAS, imail_said },
	{ "interscan messaging security", IN_REPORT, interscan_said },
	{ "mail.local: ", IN_DIAG, mail_local_said },
	{ "procmail: ", IN_DIAG, procmail_said },
	{ "maildrop: ", IN_DIAG, maildrop_said },
	{ "vdelivermail: ", IN_DIAG, vpopmail_said },
	{ "vdeliver: ", IN_DIAG, vmailmgr_said },
	{ "> was automatically rejected:", IN_DIAG, dovecot_said },
};

/* Who a provider is: its recipients' domains and its hosts' names. */
static const struct {
	const char		*domains[6];	/* exact, or a parent */
	const char		*hosts[4];	/* found in a host name */
	const struct said	*said;
} providers[] = {
	{ { "aol.com", "aim.com" }, { ".mail.aol.com", ".mx.aol.com" },
	    aol_said },
	{ { "cox.net" }, { ".cox.net" }, cox_said },
	{ { NULL }, { ".messagelabs.com" }, messagelabs_said },
	{ { "docomo.ne.jp" }, { "mfsmax.docomo.ne.jp" }, docomo_said },
	{ { "ezweb.ne.jp", "au.com" }, { ".ezweb.ne.jp", "msmx.au.com" },
	    kddi_said },
	{ { "hotmail.com", "outlook.com", "live.com", "msn.com" },
	    { ".hotmail.com" }, outlook_said },
	{ { "yahoo.com", "ymail.com", "rocketmail.com" },
	    { ".yahoodns.net", ".yahoo.com" }, yahoo_said },
	{ { NULL }, { ".mimecast.com" }, mimecast_said },
};

/* Is `domain` `d` or under it ("mx.cox.net" is under "cox.net")? */
static int
is_under(const char *domain, const char *d)
{
	size_t n = strlen(domain), m = strlen(d);

	return n >= m && strcmp(domain + n - m, d) == 0 &&
	    (n == m || domain[n - m - 1] == '.');
}

/* The word after "aup#" (letters, digits, '-'), or 0 when none. */
static size_t
aup_code(const char *diag, char *out, size_t outsize)
{
	const char *p = strstr(diag, "aup#");
	size_t n = 0;

	if (p == NULL)
		return 0;
	for (p += 4; n + 1 < outsize && (isalnum((unsigned char)*p) ||
	    *p == '-'); p++)
		out[n++] = *p;
	out[n] = '\0';
	return n;
}

/* Cox's word, or Spectrum's number after its direction ("in-1310"). */
static enum reason
aup_reason(const char *diag)
{
	char code[32];
	const char *digits;
	size_t i;
	int number;

	if (aup_code(diag, code, sizeof(code)) == 0)
		return REASON_NONE;
	for (i = 0; i < sizeof(cox_codes) / sizeof(cox_codes[0]); i++)
		if (strcmp(code, cox_codes[i].code) == 0)
			return cox_codes[i].reason;
	/* Cox's lists: the host on a DNS list, a link on one */
	if (strncmp(code, "ipbl", 4) == 0)
		return REASON_BLOCKED;
	if (strncmp(code, "urlbl", 5) == 0)
		return REASON_SPAMDETECTED;
	digits = code + strcspn(code, "0123456789");
	if (strlen(digits) != 4 || strspn(digits, "0123456789") != 4)
		return REASON_NONE;
	number = (int)strtol(digits, NULL, 10);
	for (i = 0; i < sizeof(spectrum_codes) / sizeof(spectrum_codes[0]);
	    i++)
		if (number >= spectrum_codes[i].from &&
		    number <= spectrum_codes[i].to)
			return spectrum_codes[i].reason;
	return REASON_NONE;
}

/*
 * La Poste's "lpn007_416", "lpnaaa_401", Orange's "ofr_506", "ouk_513":
 * the label at a word's start, letters or digits, '_' or '-', then the
 * three digits that say the reason.
 */
static enum reason
laposte_reason(const char *diag)
{
	static const char *labels[] = { "lpn", "ofr", "ouk" };
	const char *p, *q;
	size_t i, k;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		for (p = strstr(diag, labels[i]); p != NULL;
		    p = strstr(p + 1, labels[i])) {
			if (p > diag && isalnum((unsigned char)p[-1]))
				continue;
			for (q = p + 3; isalnum((unsigned char)*q); q++)
				continue;
			if ((*q != '_' && *q != '-') ||
			    strspn(q + 1, "0123456789") != 3)
				continue;
			for (k = 0; k < sizeof(laposte_codes) /
			    sizeof(laposte_codes[0]); k++)
				if (strncmp(q + 1, laposte_codes[k].code,
				    3) == 0)
					return laposte_codes[k].reason;
		}
	return REASON_NONE;
}

/* Is this the provider of the recipient's domain or a named host? */
static int
is_provider(size_t k, const struct provider_input *in)
{
	size_t i;

	for (i = 0; i < 6 && providers[k].domains[i] != NULL; i++)
		if (is_under(in->domain, providers[k].domains[i]))
			return 1;
	for (i = 0; i < 4 && providers[k].hosts[i] != NULL; i++)
		if (strstr(in->mtas, providers[k].hosts[i]) != NULL)
			return 1;
	return 0;
}

static enum reason
said_reason(const struct said *s, const struct provider_input *in)
{
	int reply = reason_reply_code(in->diag);

	for (; s->reason != REASON_NONE; s++) {
		if ((s->text != NULL && strstr(in->diag, s->text) == NULL) ||
		    (s->status != NULL && strcmp(in->status, s->status) != 0) ||
		    (s->reply != 0 && reply != s->reply) ||
		    (s->command != NULL &&
		    strcmp(in->command, s->command) != 0))
			continue;
		return s->reason;
	}
	return REASON_NONE;
}

/*
 * Gmail's older reports end the remote server's words with the SMTP
 * state they failed in ("... (state 18)"): what failed there, unless
 * the status code says more than its class (".0").
 */
static enum reason
gmail_state_reason(const struct provider_input *in)
{
	static const struct {
		int		 state;
		enum reason	 reason;
	} states[] = {
		{ 6, REASON_FAILEDSTARTTLS }, { 8, REASON_SYSTEMERROR },
		{ 9, REASON_FAILEDSTARTTLS }, { 12, REASON_NORELAYING },
		{ 13, REASON_BLOCKED }, { 14, REASON_USERUNKNOWN }, { 15,
		    REASON_FILTERED },
		{ 17, REASON_FILTERED }, { 18, REASON_FILTERED },
	};
	const char *p = strstr(in->diag, "(state ");
	char *end;
	long state;
	size_t i;

	if (p == NULL || (in->status[0] != '\0' &&
	    strstr(in->status, ".0") == NULL))
		return REASON_NONE;
	state = strtol(p + 7, &end, 10);
	if (end == p + 7 || *end != ')')
		return REASON_NONE;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].state == state)
			return states[i].reason;
	return REASON_NONE;
}

/* What a mail program known by its signs means, or REASON_NONE. */
static enum reason
program_reason(const struct provider_input *in)
{
	const char *where[] = { [IN_MTAS] = in->mtas,
	    [IN_REPORT] = in->report, [IN_DIAG] = in->diag };
	size_t k;

	for (k = 0; k < sizeof(programs) / sizeof(programs[0]); k++) {
		if (strstr(where[programs[k].place], programs[k].sign) == NULL)
			continue;
		if (programs[k].place == IN_DIAG && in->command[0] != '\0' &&
		    strcmp(in->command, "DATA") != 0)
			continue;
		return said_reason(programs[k].said, in);
	}
	return REASON_NONE;
}

enum reason
provider_reason(const struct provider_input *in)
{
	enum reason reason;
	size_t k;

	/* The mail program's own words first, then the providers'. */
	reason = program_reason(in);
	if (reason == REASON_NONE)
		reason = gmail_state_reason(in);
	if (reason == REASON_NONE)
		reason = aup_reason(in->diag);
	if (reason == REASON_NONE)
		reason = laposte_reason(in->diag);
	for (k = 0; reason == REASON_NONE &&
	    k < sizeof(providers) / sizeof(providers[0]); k++)
		if (is_provider(k, in))
			reason = said_reason(providers[k].said, in);
	return reason;
}

enum reason
provider_report_reason(const char *folded_report)
{
	if (strstr(folded_report, "groups.google.com") != NULL ||
	    strstr(folded_report, "google groups") != NULL)
		return REASON_REJECTED;
	return REASON_NONE;
}
