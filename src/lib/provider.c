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

static const struct said aol_said[] = {
	/* AOL's resolver on a domain whose MX answer it cannot use */
	{ "notaccept", "type=mx: malformed or unexpected name server reply",
	    NULL, 0, NULL },
	{ "hostunknown", "host or domain name not found", NULL, 0, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

static const struct said cox_said[] = {
	{ "blocked", "too many bad commands from", NULL, 0, NULL },
	{ "blocked", "too many invalid recipients", NULL, 0, NULL },
	{ "requireptr", "dns check failure - try again later", NULL, 0, NULL },
	{ "requireptr", "rejected - no rdns", NULL, 0, NULL },
	{ "policyviolation", "esmtp no data before greeting", NULL, 0, NULL },
	{ "policyviolation", "attachment extension is forbidden", NULL, 0,
	    NULL },
	{ "systemerror", "esmtp server temporarily not available", NULL, 0,
	    NULL },
	{ "toomanyconn", "too many sessions from", NULL, 0, NULL },
	{ "toomanyconn", "message threshold exceeded", NULL, 0, NULL },
	{ "toomanyconn", "requested action aborted: try again later", NULL, 0,
	    NULL },
	/* Cox wants every sender domain to resolve */
	{ "rejected", "sender rejected", NULL, 0, NULL },
	{ "userunknown", "recipient rejected", NULL, 0, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

static const struct said messagelabs_said[] = {
	{ "securityerror", "please turn on smtp authentication", NULL, 0,
	    NULL },
	/* MessageLabs refuses an address it does not know with a 542 */
	{ "userunknown", NULL, NULL, 542, NULL },
	{ "userunknown", "no such user", NULL, 0, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

static const struct said docomo_said[] = {
	{ "userunknown", NULL, "5.1.1", 0, NULL },
	{ "userunknown", NULL, "5.0.911", 0, NULL },
	{ "filtered", NULL, "5.2.0", 0, NULL },	/* the user's own filter */
	{ "mailboxfull", "552 too much mail data", NULL, 0, NULL },
	{ "toomanyconn", "552 too many recipients", NULL, 0, NULL },
	{ "syntaxerror", "503 bad sequence of commands", NULL, 0, NULL },
	{ "syntaxerror", "504 command parameter not implemented", NULL, 0,
	    NULL },
	/* docomo's bare 5.0.0: an address at RCPT, the message at DATA */
	{ "userunknown", NULL, "5.0.0", 0, "RCPT" },
	{ "rejected", NULL, "5.0.0", 0, "DATA" },
	{ NULL, NULL, NULL, 0, NULL },
};

/*
 * KDDI (au): "550 : User unknown", with no address, is its filter
 * refusing for the user; with the address it is a mailbox it has not.
 */
static const struct said kddi_said[] = {
	{ "filtered", "550 : user unknown", NULL, 0, NULL },
	{ "userunknown", ">: user unknown", NULL, 0, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

static const struct said outlook_said[] = {
	/* Outlook.com's answer for an address it has not got */
	{ "userunknown", "requested action not taken: mailbox unavailable",
	    NULL, 0, NULL },
	{ "hostunknown", "domain is not reachable", NULL, 0, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

static const struct said yahoo_said[] = {
	{ "authfailure", "requires all senders to authenticate with either spf",
	    NULL, 0, NULL },
	{ "blocked", "because the ip is in spamhaus's list", NULL, 0, NULL },
	{ "blocked", "not accepted from ip addresses on spamhaus xbl", NULL, 0,
	    NULL },
	{ "norelaying", "relaying denied for ", NULL, 0, NULL },
	{ "notcompliantrfc", "headers are not rfc compliant", NULL, 0, NULL },
	{ "policyviolation", "not accepted for policy reasons", NULL, 0, NULL },
	{ "rejected", "due to unresolvable rfc.5321 domain", NULL, 0, NULL },
	{ "rejected", " will be permanently deferred", NULL, 0, NULL },
	{ "speeding", "user is receiving mail too quickly", NULL, 0, NULL },
	{ "suspend", " is no longer valid.", NULL, 0, NULL },
	{ "suspend", "this mailbox is disabled", NULL, 0, NULL },
	{ "syntaxerror", "syntax error in parameters or arguments", NULL, 0,
	    NULL },
	{ "toomanyconn", "max message per connection reached", NULL, 0, NULL },
	/* said at DATA too, when Yahoo holds RCPT's answer back */
	{ "userunknown", "dd this user doesn't have a ", NULL, 0, NULL },
	{ "userunknown", "mailbox not found", NULL, 0, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

static const struct said mimecast_said[] = {
	{ "authfailure", "spf sender invalid - envelope rejected", NULL, 550,
	    NULL },
	{ "authfailure", "dkim sender invalid - envelope rejected", NULL, 550,
	    NULL },
	{ "authfailure", "dmarc sender invalid - envelope rejected", NULL, 550,
	    NULL },
	{ "badreputation", "local ct ip reputation - (reject)", NULL, 550,
	    NULL },
	{ "blocked", "sender address blocked", NULL, 421, NULL },
	{ "blocked", "ip temporarily blacklisted", NULL, 451, NULL },
	{ "failedstarttls", "this route requires encryption (tls)", NULL, 553,
	    NULL },
	{ "failedstarttls", "this route requires tls version 1.2", NULL, 553,
	    NULL },
	{ "failedstarttls", "this route requires high-strength ciphers", NULL,
	    553, NULL },
	{ "mesgtoobig", "maximum email size exceeded", NULL, 554, NULL },
	{ "networkerror", "mail loop detected", NULL, 554, NULL },
	{ "norelaying", "open relay not allowed", NULL, 451, NULL },
	{ "norelaying", "open relay is not allowed", NULL, 451, NULL },
	{ "notaccept", "account inbounds disabled", NULL, 451, NULL },
	{ "policyviolation", "anti-spoofing policy - inbound not allowed",
	    NULL, 550, NULL },
	{ "policyviolation", "header-based anti-spoofing policy", NULL, 550,
	    NULL },
	{ "policyviolation", "host network not allowed", NULL, 554, NULL },
	{ "rejected", "envelope blocked - user entry", NULL, 550, NULL },
	{ "rejected", "envelope blocked - user domain entry", NULL, 550, NULL },
	{ "rejected", "administrative prohibition envelope blocked", NULL, 550,
	    NULL },
	{ "rejected", "block policy for envelope from address", NULL, 550,
	    NULL },
	{ "securityerror", "submitter failed to authenticate", NULL, 550,
	    NULL },
	{ "systemerror", "unable to process connection at this time", NULL,
	    451, NULL },
	{ "systemerror", "message ended early", NULL, 451, NULL },
	{ "toomanyconn", "too many recipients", NULL, 452, NULL },
	{ "toomanyconn", "exceeding outbound thread limit", NULL, 550, NULL },
	{ "userunknown", "invalid recipient", NULL, 550, NULL },
	{ "userunknown", "user unknown", NULL, 503, NULL },
	/* its virus scanner's refusal, whatever signature it names */
	{ "virusdetected", "email rejected due to security policies", NULL,
	    554, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

/* Ipswitch IMail, known by its X-Mailer "<SMTP32 v...>". */
static const struct said imail_said[] = {
	{ "userunknown", "unknown user", NULL, 0, NULL },
	{ "userunknown", "invalid final delivery userid", NULL, 0, NULL },
	{ "hostunknown", "unknown host", NULL, 0, NULL },
	{ "mailboxfull", "user mailbox exceeds allowed size", NULL, 0, NULL },
	{ "virusdetected", "virus detected", NULL, 0, NULL },
	{ "spamdetected", "blacklisted url in message", NULL, 0, NULL },
	{ "expired", "delivery failed ", NULL, 0, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

/* Trend Micro InterScan: it says this only of an address it refused. */
static const struct said interscan_said[] = {
	{ "userunknown", "unable to deliver message to", NULL, 0, NULL },
	{ NULL, NULL, NULL, 0, NULL },
};

/*
 * Local delivery agents: no SMTP server between, so no filter that
 * speaks in a user's name. What one says of a user is about the
 * mailbox; what it says unknown here is the program's failure.
 */
static const struct said mail_local_said[] = {
	{ "userunknown", ": unknown user", NULL, 0, NULL },
	{ "userunknown", ": user unknown", NULL, 0, NULL },
	{ "userunknown", ": invalid mailbox path", NULL, 0, NULL },
	{ "userunknown", ": user missing home directory", NULL, 0, NULL },
	{ "mailboxfull", "disc quota exceeded", NULL, 0, NULL },
	{ "mailboxfull", "mailbox full or quota exceeded", NULL, 0, NULL },
	{ "systemerror", "temporary file write error", NULL, 0, NULL },
	{ "mailererror", NULL, NULL, 0, NULL },
};

static const struct said procmail_said[] = {
	{ "mailboxfull", "quota exceeded while writing", NULL, 0, NULL },
	{ "mailboxfull", "user over quota", NULL, 0, NULL },
	{ "systemfull", "no space left to finish writing", NULL, 0, NULL },
	{ "systemerror", "service unavailable", NULL, 0, NULL },
	{ "mailererror", NULL, NULL, 0, NULL },
};

static const struct said maildrop_said[] = {
	{ "mailboxfull", "maildir over quota", NULL, 0, NULL },
	{ "userunknown", "cannot find system user", NULL, 0, NULL },
	{ "userunknown", "invalid user specified", NULL, 0, NULL },
	{ "mailererror", NULL, NULL, 0, NULL },
};

static const struct said vpopmail_said[] = {
	/* a catch-all that takes the mail in the user's stead */
	{ "filtered", "user does not exist, but will deliver to", NULL, 0,
	    NULL },
	{ "mailboxfull", "is over quota", NULL, 0, NULL },
	{ "suspend", "account is locked email bounced", NULL, 0, NULL },
	{ "userunknown", "no mailbox here by that name", NULL, 0, NULL },
	{ "mailererror", NULL, NULL, 0, NULL },
};

static const struct said vmailmgr_said[] = {
	{ "mailboxfull", "delivery failed due to system quota violation",
	    NULL, 0, NULL },
	{ "userunknown", "invalid or unknown base user or domain", NULL, 0,
	    NULL },
	{ "userunknown", "invalid or unknown virtual user", NULL, 0, NULL },
	{ "userunknown", "user name does not refer to a virtual user", NULL, 0,
	    NULL },
	{ "mailererror", NULL, NULL, 0, NULL },
};

static const struct said dovecot_said[] = {
	{ "mailboxfull", "quota exceeded", NULL, 0, NULL },
	{ "mailboxfull", "not enough disk space", NULL, 0, NULL },
	{ "userunknown", "mailbox doesn't exist: ", NULL, 0, NULL },
	{ "mailererror", NULL, NULL, 0, NULL },
};

/*
 * Mail programs known by what they write: `sign` in the MTA names (an
 * X-Mailer) or the report's text; a local agent by its name before its
 * words in the recipient's diagnostic, and only when no SMTP command
 * but DATA is named (else a server is quoting it).
 */
static const struct {
	const char		*sign;
	int			 local;		/* a local delivery agent */
	const struct said	*said;
} programs[] = {
	{ "<smtp32 v", 0, imail_said },
	{ "interscan messaging security", 0, interscan_said },
	{ "mail.local: ", 1, mail_local_said },
	{ "procmail: ", 1, procmail_said },
	{ "maildrop: ", 1, maildrop_said },
	{ "vdelivermail: ", 1, vpopmail_said },
	{ "vdeliver: ", 1, vmailmgr_said },
	{ "> was automatically rejected:", 1, dovecot_said },
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
		if (strstr(in->mtas, providers[k].hosts[i]) != NULL ||
		    strstr(in->diag, providers[k].hosts[i]) != NULL)
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
	size_t k;

	for (k = 0; k < sizeof(programs) / sizeof(programs[0]); k++) {
		const char *sign = programs[k].sign;

		if (programs[k].local) {
			if (strstr(in->diag, sign) == NULL ||
			    (in->command[0] != '\0' &&
			    strcmp(in->command, "DATA") != 0))
				continue;
		} else if (strstr(in->mtas, sign) == NULL &&
		    strstr(in->report, sign) == NULL)
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

	if ((reason = program_reason(in)) != NULL ||
	    (reason = gmail_state_reason(in)) != NULL ||
	    (reason = aup_reason(in->diag)) != NULL ||
	    (reason = laposte_reason(in->diag)) != NULL)
		return reason;
	for (k = 0; k < sizeof(providers) / sizeof(providers[0]); k++)
		if (is_provider(k, in) &&
		    (reason = said_reason(providers[k].said, in)) != NULL)
			return reason;
	return NULL;
}
