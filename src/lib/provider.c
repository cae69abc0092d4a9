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
	const char	*reason;
} cox_codes[] = {
	{ "cxbl", "blocked" },		/* the sending IP, for spam */
	{ "cdrbl", "blocked" },		/* the same, for up to a day */
	{ "cxdns", "requireptr" },	/* no reverse DNS for the IP */
	{ "cxsndr", "authfailure" },	/* SPF, DKIM or DomainKeys failed */
	{ "cxsmtp", "rejected" },	/* not seen to come from a sender */
	{ "cxcnct", "toomanyconn" },	/* over 10 connections from one IP */
	{ "cxmxrt", "toomanyconn" },	/* too many recipients for now */
	{ "cxthrt", "securityerror" },	/* the account looks compromised */
	{ "cxmj", "securityerror" },
};

/*
 * Spectrum's numbered codes ("AUP#In-1310"), by range as its page
 * groups them: [from, to] inclusive.
 */
static const struct {
	int		 from, to;
	const char	*reason;
} spectrum_codes[] = {
	{ 1000, 1000, "blocked" }, { 1010, 1080, "rejected" },
	{ 1090, 1090, "systemerror" }, { 1100, 1150, "requireptr" },
	{ 1160, 1190, "policyviolation" }, { 1200, 1250, "blocked" },
	{ 1260, 1260, "networkerror" }, { 1300, 1340, "toomanyconn" },
	{ 1350, 1490, "speeding" }, { 1500, 1520, "rejected" },
	{ 1530, 1530, "mesgtoobig" }, { 1540, 1550, "speeding" },
	{ 1560, 1560, "policyviolation" }, { 1580, 1580, "speeding" },
};

/*
 * La Poste's and Orange's codes end in three digits that say the
 * reason ("LPN007_416", "OFR_506"); codes that only ask to try later
 * are not here, and say nothing more than the words around them.
 */
static const struct {
	const char	*code;
	const char	*reason;
} laposte_codes[] = {
	{ "101", "blocked" }, { "102", "blocked" }, { "103", "blocked" },
	{ "104", "toomanyconn" }, { "305", "securityerror" },
	{ "401", "authfailure" }, { "402", "securityerror" },
	{ "403", "rejected" }, { "405", "rejected" }, { "415", "rejected" },
	{ "416", "userunknown" }, { "417", "mailboxfull" },
	{ "420", "suspend" }, { "421", "rejected" }, { "426", "suspend" },
	{ "505", "systemerror" }, { "506", "spamdetected" },
	{ "510", "blocked" }, { "514", "mesgtoobig" },
	{ "517", "authfailure" }, { "630", "policyviolation" },
	{ "999", "blocked" },
};

/*
 * A provider's set sentence, maybe only under a status code, a reply
 * code or a command; NULL and 0 match anything. A sentence of NULL
 * matches on the codes alone.
 */
struct said {
	const char	*reason;
	const char	*text;
	const char	*status;
	int		 reply;
	const char	*command;
};

#define SAID(r, text)		{ (r), (text), NULL, 0, NULL }
#define SAID_REPLY(r, reply, text)	{ (r), (text), NULL, (reply), NULL }
#define SAID_CODE(r, text, status, command) \
	{ (r), (text), (status), 0, (command) }
#define SAID_END		{ NULL, NULL, NULL, 0, NULL }

static const struct said aol_said[] = {
	/* AOL's resolver on a domain whose MX answer it cannot use */
	SAID("notaccept", "type=mx: malformed or unexpected name server reply"),
	SAID("hostunknown", "host or domain name not found"),
	SAID_END
};

static const struct said cox_said[] = {
	SAID("blocked", "too many bad commands from"),
	SAID("blocked", "too many invalid recipients"),
	SAID("requireptr", "dns check failure - try again later"),
	SAID("requireptr", "rejected - no rdns"),
	SAID("policyviolation", "esmtp no data before greeting"),
	SAID("policyviolation", "attachment extension is forbidden"),
	SAID("systemerror", "esmtp server temporarily not available"),
	SAID("toomanyconn", "too many sessions from"),
	SAID("toomanyconn", "message threshold exceeded"),
	SAID("toomanyconn", "requested action aborted: try again later"),
	/* Cox wants every sender domain to resolve */
	SAID("rejected", "sender rejected"),
	SAID("userunknown", "recipient rejected"),
	SAID_END
};

static const struct said messagelabs_said[] = {
	SAID("securityerror", "please turn on smtp authentication"),
	/* MessageLabs refuses an address it does not know with a 542 */
	SAID_REPLY("userunknown", 542, NULL),
	SAID("userunknown", "no such user"),
	SAID_END
};

static const struct said docomo_said[] = {
	SAID_CODE("userunknown", NULL, "5.1.1", NULL),
	SAID_CODE("userunknown", NULL, "5.0.911", NULL),
	SAID_CODE("filtered", NULL,
	    "5.2.0", NULL),	/* the user's own filter */
	SAID("mailboxfull", "552 too much mail data"),
	SAID("toomanyconn", "552 too many recipients"),
	SAID("syntaxerror", "503 bad sequence of commands"),
	SAID("syntaxerror", "504 command parameter not implemented"),
	/* docomo's bare 5.0.0: an address at RCPT, the message at DATA */
	SAID_CODE("userunknown", NULL, "5.0.0", "RCPT"),
	SAID_CODE("rejected", NULL, "5.0.0", "DATA"),
	SAID_END
};

/*
 * KDDI (au): "550 : User unknown", with no address, is its filter
 * refusing for the user; with the address it is a mailbox it has not.
 */
static const struct said kddi_said[] = {
	SAID("filtered", "550 : user unknown"),
	SAID("userunknown", ">: user unknown"),
	SAID_END
};

static const struct said outlook_said[] = {
	/* Outlook.com's answer for an address it has not got */
	SAID("userunknown", "requested action not taken: mailbox unavailable"),
	SAID("hostunknown", "domain is not reachable"),
	SAID_END
};

static const struct said yahoo_said[] = {
	SAID("authfailure",
	    "requires all senders to authenticate with either spf"),
	SAID("blocked", "because the ip is in spamhaus's list"),
	SAID("blocked", "not accepted from ip addresses on spamhaus xbl"),
	SAID("norelaying", "relaying denied for "),
	SAID("notcompliantrfc", "headers are not rfc compliant"),
	SAID("policyviolation", "not accepted for policy reasons"),
	SAID("rejected", "due to unresolvable rfc.5321 domain"),
	SAID("rejected", " will be permanently deferred"),
	SAID("speeding", "user is receiving mail too quickly"),
	SAID("suspend", " is no longer valid."),
	SAID("suspend", "this mailbox is disabled"),
	SAID("syntaxerror", "syntax error in parameters or arguments"),
	SAID("toomanyconn", "max message per connection reached"),
	/* said at DATA too, when Yahoo holds RCPT's answer back */
	SAID("userunknown", "dd this user doesn't have a "),
	SAID("userunknown", "mailbox not found"),
	SAID_END
};

static const struct said mimecast_said[] = {
	SAID_REPLY("authfailure", 550,
	    "spf sender invalid - envelope rejected"),
	SAID_REPLY("authfailure", 550,
	    "dkim sender invalid - envelope rejected"),
	SAID_REPLY("authfailure", 550,
	    "dmarc sender invalid - envelope rejected"),
	SAID_REPLY("badreputation", 550, "local ct ip reputation - (reject)"),
	SAID_REPLY("blocked", 421, "sender address blocked"),
	SAID_REPLY("blocked", 451, "ip temporarily blacklisted"),
	SAID_REPLY("failedstarttls", 553,
	    "this route requires encryption (tls)"),
	SAID_REPLY("failedstarttls", 553,
	    "this route requires tls version 1.2"),
	SAID_REPLY("failedstarttls", 553,
	    "this route requires high-strength ciphers"),
	SAID_REPLY("mesgtoobig", 554, "maximum email size exceeded"),
	SAID_REPLY("networkerror", 554, "mail loop detected"),
	SAID_REPLY("norelaying", 451, "open relay not allowed"),
	SAID_REPLY("norelaying", 451, "open relay is not allowed"),
	SAID_REPLY("notaccept", 451, "account inbounds disabled"),
	SAID_REPLY("policyviolation", 550,
	    "anti-spoofing policy - inbound not allowed"),
	SAID_REPLY("policyviolation", 550, "header-based anti-spoofing policy"),
	SAID_REPLY("policyviolation", 554, "host network not allowed"),
	SAID_REPLY("rejected", 550, "envelope blocked - user entry"),
	SAID_REPLY("rejected", 550, "envelope blocked - user domain entry"),
	SAID_REPLY("rejected", 550,
	    "administrative prohibition envelope blocked"),
	SAID_REPLY("rejected", 550, "block policy for envelope from address"),
	SAID_REPLY("securityerror", 550, "submitter failed to authenticate"),
	SAID_REPLY("systemerror", 451,
	    "unable to process connection at this time"),
	SAID_REPLY("systemerror", 451, "message ended early"),
	SAID_REPLY("toomanyconn", 452, "too many recipients"),
	SAID_REPLY("toomanyconn", 550, "exceeding outbound thread limit"),
	SAID_REPLY("userunknown", 550, "invalid recipient"),
	SAID_REPLY("userunknown", 503, "user unknown"),
	/* its virus scanner's refusal, whatever signature it names */
	SAID_REPLY("virusdetected", 554,
	    "email rejected due to security policies"),
	SAID_END
};

/* Ipswitch IMail, known by its X-Mailer "<SMTP32 v...>". */
static const struct said imail_said[] = {
	SAID("userunknown", "unknown user"),
	SAID("userunknown", "invalid final delivery userid"),
	SAID("hostunknown", "unknown host"),
	SAID("mailboxfull", "user mailbox exceeds allowed size"),
	SAID("virusdetected", "virus detected"),
	SAID("spamdetected", "blacklisted url in message"),
	SAID("expired", "delivery failed "),
	SAID_END
};

/* Trend Micro InterScan: it says this only of an address it refused. */
static const struct said interscan_said[] = {
	SAID("userunknown", "unable to deliver message to"),
	SAID_END
};

/*
 * Local delivery agents: no SMTP server between, so no filter that
 * speaks in a user's name. What one says of a user is about the
 * mailbox; what it says unknown here is the program's failure (each
 * table's last line, with no words, matches anything and so ends it).
 */
static const struct said mail_local_said[] = {
	SAID("userunknown", ": unknown user"),
	SAID("userunknown", ": user unknown"),
	SAID("userunknown", ": invalid mailbox path"),
	SAID("userunknown", ": user missing home directory"),
	SAID("mailboxfull", "disc quota exceeded"),
	SAID("mailboxfull", "mailbox full or quota exceeded"),
	SAID("systemerror", "temporary file write error"),
	SAID("mailererror", NULL),
};

static const struct said procmail_said[] = {
	SAID("mailboxfull", "quota exceeded while writing"),
	SAID("mailboxfull", "user over quota"),
	SAID("systemfull", "no space left to finish writing"),
	SAID("systemerror", "service unavailable"),
	SAID("mailererror", NULL),
};

static const struct said maildrop_said[] = {
	SAID("mailboxfull", "maildir over quota"),
	SAID("userunknown", "cannot find system user"),
	SAID("userunknown", "invalid user specified"),
	SAID("mailererror", NULL),
};

static const struct said vpopmail_said[] = {
	/* a catch-all that takes the mail in the user's stead */
	SAID("filtered", "user does not exist, but will deliver to"),
	SAID("mailboxfull", "is over quota"),
	SAID("suspend", "account is locked email bounced"),
	SAID("userunknown", "no mailbox here by that name"),
	SAID("mailererror", NULL),
};

static const struct said vmailmgr_said[] = {
	SAID("mailboxfull", "delivery failed due to system quota violation"),
	SAID("userunknown", "invalid or unknown base user or domain"),
	SAID("userunknown", "invalid or unknown virtual user"),
	SAID("userunknown", "user name does not refer to a virtual user"),
	SAID("mailererror", NULL),
};

static const struct said dovecot_said[] = {
	SAID("mailboxfull", "quota exceeded"),
	SAID("mailboxfull", "not enough disk space"),
	SAID("userunknown", "mailbox doesn't exist: "),
	SAID("mailererror", NULL),
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
static const char *
aup_reason(const char *diag)
{
	char code[32];
	const char *digits;
	size_t i;
	int number;

	if (aup_code(diag, code, sizeof(code)) == 0)
		return NULL;
	for (i = 0; i < sizeof(cox_codes) / sizeof(cox_codes[0]); i++)
		if (strcmp(code, cox_codes[i].code) == 0)
			return cox_codes[i].reason;
	/* Cox's lists: the host on a DNS list, a link on one */
	if (strncmp(code, "ipbl", 4) == 0)
		return "blocked";
	if (strncmp(code, "urlbl", 5) == 0)
		return "spamdetected";
	digits = code + strcspn(code, "0123456789");
	if (strlen(digits) != 4 || strspn(digits, "0123456789") != 4)
		return NULL;
	number = (int)strtol(digits, NULL, 10);
	for (i = 0; i < sizeof(spectrum_codes) / sizeof(spectrum_codes[0]);
	    i++)
		if (number >= spectrum_codes[i].from &&
		    number <= spectrum_codes[i].to)
			return spectrum_codes[i].reason;
	return NULL;
}

/*
 * La Poste's "lpn007_416", "lpnaaa_401", Orange's "ofr_506", "ouk_513":
 * the label at a word's start, letters or digits, '_' or '-', then the
 * three digits that say the reason.
 */
static const char *
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
	return NULL;
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

static const char *
said_reason(const struct said *s, const struct provider_input *in)
{
	int reply = reason_reply_code(in->diag);

	for (; s->reason != NULL; s++) {
		if ((s->text != NULL && strstr(in->diag, s->text) == NULL) ||
		    (s->status != NULL && strcmp(in->status, s->status) != 0) ||
		    (s->reply != 0 && reply != s->reply) ||
		    (s->command != NULL &&
		    strcmp(in->command, s->command) != 0))
			continue;
		return s->reason;
	}
	return NULL;
}

/*
 * Gmail's older reports end the remote server's words with the SMTP
 * state they failed in ("... (state 18)"): what failed there, unless
 * the status code says more than its class (".0").
 */
static const char *
gmail_state_reason(const struct provider_input *in)
{
	static const struct {
		int		 state;
		const char	*reason;
	} states[] = {
		{ 6, "failedstarttls" }, { 8, "systemerror" },
		{ 9, "failedstarttls" }, { 12, "norelaying" },
		{ 13, "blocked" }, { 14, "userunknown" }, { 15, "filtered" },
		{ 17, "filtered" }, { 18, "filtered" },
	};
	const char *p = strstr(in->diag, "(state ");
	char *end;
	long state;
	size_t i;

	if (p == NULL || (in->status[0] != '\0' &&
	    strstr(in->status, ".0") == NULL))
		return NULL;
	state = strtol(p + 7, &end, 10);
	if (end == p + 7 || *end != ')')
		return NULL;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].state == state)
			return states[i].reason;
	return NULL;
}

/* What a mail program known by its signs means, or NULL. */
static const char *
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
	return NULL;
}

const char *
provider_reason(const struct provider_input *in)
{
	const char *reason;
	size_t k;

	/* The mail program's own words first, then the providers'. */
	reason = program_reason(in);
	if (reason == NULL)
		reason = gmail_state_reason(in);
	if (reason == NULL)
		reason = aup_reason(in->diag);
	if (reason == NULL)
		reason = laposte_reason(in->diag);
	for (k = 0; reason == NULL &&
	    k < sizeof(providers) / sizeof(providers[0]); k++)
		if (is_provider(k, in))
			reason = said_reason(providers[k].said, in);
	return reason;
}
