/*
 * reason: why a message bounced (see reason.h).
 *
 * The phrase table is ordered: the first reason with a matching phrase
 * wins, so the specific comes before the general ("mailbox full" before
 * "rejected"). A '*' in a phrase stands for up to 80 bytes of anything,
 * for servers that put the address in the middle of their sentence.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "reason.h"

struct phrase {
	const char	*reason;
	const char	*text;
};

static const struct phrase phrases[] = {
	/* The mailbox exists but cannot take more. */
	{ "mailboxfull", "mailbox full" },
	{ "mailboxfull", "mailbox is full" },
	{ "mailboxfull", "mailbox * is full" },
	{ "mailboxfull", "mailbox size limit exceeded" },
	{ "mailboxfull", "mailbox has exceeded" },
	{ "mailboxfull", "mailbox exceeded" },
	{ "mailboxfull", "over quota" },
	{ "mailboxfull", "overquota" },
	{ "mailboxfull", "over the quota" },
	{ "mailboxfull", "quota exceeded" },
	{ "mailboxfull", "quota full" },
	{ "mailboxfull", "exceeded storage allocation" },
	{ "mailboxfull", "exceed the quota" },
	{ "mailboxfull", "exceeds the quota" },
	{ "mailboxfull", "user is over" },
	{ "mailboxfull", "out of storage" },
	{ "mailboxfull", "insufficient disk space" },
	{ "mailboxfull", "too much mail data" },
	{ "mailboxfull", "not enough storage space" },
	{ "mailboxfull", "account is full" },
	{ "mailboxfull", "user has exhausted allowed storage space" },
	{ "mailboxfull", "recipient's mailbox is full" },
	{ "mailboxfull", "mail box full" },
	{ "mailboxfull", "mailfolder is full" },
	{ "mailboxfull", "is over its storage quota" },
	{ "mailboxfull", "disk quota" },
	{ "mailboxfull", "mailbox would exceed" },
	{ "mailboxfull", "boite du destinataire pleine" },
	{ "mailboxfull", "postfach voll" },

	/* The message is too big. */
	{ "mesgtoobig", "message too large" },
	{ "mesgtoobig", "message too big" },
	{ "mesgtoobig", "message is too big" },
	{ "mesgtoobig", "message is too large" },
	{ "mesgtoobig", "message size exceeds" },
	{ "mesgtoobig", "message size limit" },
	{ "mesgtoobig", "message exceeds * size limit" },
	{ "mesgtoobig", "message length exceeds" },
	{ "mesgtoobig", "size limit exceeded" },
	{ "mesgtoobig", "exceeds maximum message size" },
	{ "mesgtoobig", "exceeded maximum message size" },
	{ "mesgtoobig", "exceeds size limit" },
	{ "mesgtoobig", "message file too big" },
	{ "mesgtoobig", "taille limite du message atteinte" },

	{ "exceedlimit", "message header size exceeds limit" },
	{ "exceedlimit", "header size exceeds" },
	{ "exceedlimit", "too many recipients" },
	{ "exceedlimit", "exceeded the limit" },
	{ "exceedlimit", "daily sending quota" },

	/* The account was closed or suspended for a while. */
	{ "suspend", "account disabled" },
	{ "suspend", "account has been disabled" },
	{ "suspend", "account is disabled" },
	{ "suspend", "account has been suspended" },
	{ "suspend", "account is suspended" },
	{ "suspend", "account suspended" },
	{ "suspend", "account is inactive" },
	{ "suspend", "account inactive" },
	{ "suspend", "account is locked" },
	{ "suspend", "account temporarily" },
	{ "suspend", "account expired" },
	{ "suspend", "account has expired" },
	{ "suspend", "account is not active" },
	{ "suspend", "mailbox disabled" },
	{ "suspend", "mailbox is disabled" },
	{ "suspend", "mailbox has been disabled" },
	{ "suspend", "mailbox is inactive" },
	{ "suspend", "mailbox unavailable or not local" },
	{ "suspend", "recipient suspended" },
	{ "suspend", "user suspended" },
	{ "suspend", "is inactive" },
	{ "suspend", "has been suspended" },
	{ "suspend", "has been disabled" },
	{ "suspend", "boite du destinataire archivee" },
	{ "suspend", "email account that you tried to reach is inactive" },
	{ "suspend", "email account that you tried to reach is disabled" },
	{ "suspend", "invalid/inactive user" },
	{ "suspend", "this account has been temporarily suspended" },

	{ "hasmoved", "address has moved" },
	{ "hasmoved", "has been replaced by" },
	{ "hasmoved", "user has moved" },
	{ "hasmoved", "recipient has moved" },

	/* Refusals of the sending host or domain, before the words they share
	 * with unknown users ("recipient address rejected: ..."). */
	{ "authfailure", "spf" },
	{ "authfailure", "dkim" },
	{ "authfailure", "dmarc" },
	{ "authfailure", "sender policy framework" },
	{ "authfailure", "not authorized to send on behalf" },
	{ "authfailure", "authentication checks" },
	{ "authfailure", "failed authentication" },

	{ "requireptr", "reverse dns" },
	{ "requireptr", "reverse lookup" },
	{ "requireptr", "no ptr record" },
	{ "requireptr", "ptr record" },
	{ "requireptr", "rdns" },
	{ "requireptr", "cannot find your hostname" },
	{ "requireptr", "client host rejected: cannot find your" },
	{ "requireptr", "your host name doesn't match" },
	{ "requireptr", "does not have a reverse" },
	{ "requireptr", "no reverse" },
	{ "requireptr", "unresolvable ip" },

	{ "norelaying", "relaying denied" },
	{ "norelaying", "relay denied" },
	{ "norelaying", "relay access denied" },
	{ "norelaying", "relaying not permitted" },
	{ "norelaying", "relaying not allowed" },
	{ "norelaying", "relay not permitted" },
	{ "norelaying", "relay not allowed" },
	{ "norelaying", "unable to relay" },
	{ "norelaying", "we do not relay" },
	{ "norelaying", "not permitted to relay" },
	{ "norelaying", "relaying mail to * is not allowed" },
	{ "norelaying", "no relaying" },
	{ "norelaying", "mail server permanently rejected message (#5.3.0)" },
	{ "norelaying", "this system is not configured to relay mail" },
	{ "norelaying", "insecure mail relay" },
	{ "norelaying", "relay prohibited" },
	{ "norelaying", "domain isn't in my list of allowed rcpthosts" },

	/* No such person. */
	{ "userunknown", "user unknown" },
	{ "userunknown", "unknown user" },
	{ "userunknown", "user not known" },
	{ "userunknown", "unknown recipient" },
	{ "userunknown", "recipient unknown" },
	{ "userunknown", "unknown address" },
	{ "userunknown", "address unknown" },
	{ "userunknown", "unknown local part" },
	{ "userunknown", "unknown mailbox" },
	{ "userunknown", "no such user" },
	{ "userunknown", "no such mailbox" },
	{ "userunknown", "no such recipient" },
	{ "userunknown", "no such address" },
	{ "userunknown", "no such person" },
	{ "userunknown", "no such account" },
	{ "userunknown", "no mailbox here by that name" },
	{ "userunknown", "no mailbox found" },
	{ "userunknown", "no account by that name" },
	{ "userunknown", "user does not exist" },
	{ "userunknown", "user doesn't exist" },
	{ "userunknown", "user not found" },
	{ "userunknown", "user doesn't have a" },
	{ "userunknown", "mailbox does not exist" },
	{ "userunknown", "mailbox not found" },
	{ "userunknown", "mailbox unavailable" },
	{ "userunknown", "mailbox * does not exist" },
	{ "userunknown", "mailbox not present" },
	{ "userunknown", "mailbox is unavailable" },
	{ "userunknown", "mailbox invalid" },
	{ "userunknown", "address does not exist" },
	{ "userunknown", "address doesn't exist" },
	{ "userunknown", "address not found" },
	{ "userunknown", "account does not exist" },
	{ "userunknown", "account doesn't exist" },
	{ "userunknown", "recipient does not exist" },
	{ "userunknown", "recipient not found" },
	{ "userunknown", "recipient address rejected: user unknown" },
	{ "userunknown", "recipient address rejected: undeliverable address" },
	{ "userunknown", "recipient address rejected: unknown user" },
	{ "userunknown", "recipient address rejected: access denied" },
	{ "userunknown", "recipient address rejected: invalid user" },
	{ "userunknown", "invalid recipient" },
	{ "userunknown", "invalid mailbox" },
	{ "userunknown", "invalid address" },
	{ "userunknown", "invalid user" },
	{ "userunknown", "bad recipient" },
	{ "userunknown", "bad address" },
	{ "userunknown", "bad destination mailbox" },
	{ "userunknown", "not a valid recipient" },
	{ "userunknown", "not a valid mailbox" },
	{ "userunknown", "is not a valid" },
	{ "userunknown", "not a known user" },
	{ "userunknown", "not our customer" },
	{ "userunknown", "not listed in" },
	{ "userunknown", "no valid recipients" },
	{ "userunknown", "email address could not be found" },
	{ "userunknown", "email address does not exist" },
	{ "userunknown", "email account that you tried to reach does not exist" },
	{ "userunknown", "the email account that you tried to reach does not" },
	{ "userunknown", "unrouteable address" },
	{ "userunknown", "unroutable address" },
	{ "userunknown", "said: 550 5.1.1" },
	{ "userunknown", "this user doesn't have a" },
	{ "userunknown", "does not have an account here" },
	{ "userunknown", "no user with that name" },
	{ "userunknown", "non-existent user" },
	{ "userunknown", "nonexistent user" },
	{ "userunknown", "non existent user" },
	{ "userunknown", "user unknown in" },
	{ "userunknown", "addressee unknown" },
	{ "userunknown", "destination addresses were unknown" },
	{ "userunknown", "recipient rejected" },
	{ "userunknown", "is not a known user" },
	{ "userunknown", "there is no one at this address" },
	{ "userunknown", "unknown or illegal alias" },
	{ "userunknown", "delivery failed for the following recipient" },
	{ "userunknown", "no such local user" },
	{ "userunknown", "address rejected" },
	{ "userunknown", "sorry, no mailbox here by that name" },
	{ "userunknown", "destinataire inconnu" },
	{ "userunknown", "utilisateur inconnu" },
	{ "userunknown", "adresse d au moins un destinataire invalide" },
	{ "userunknown", "unbekannter empfaenger" },
	{ "userunknown", "unbekannter empfänger" },
	{ "userunknown", "usuario desconocido" },
	{ "userunknown", "unknown e-mail address" },
	{ "userunknown", "recipient address not found" },

	/* The recipient filters what reaches them. */
	{ "filtered", "due to extended inactivity new mail is not currently being accepted" },
	{ "filtered", "refused by recipient" },
	{ "filtered", "rejected by recipient" },
	{ "filtered", "delivery not authorized" },
	{ "filtered", "message filtered" },
	{ "filtered", "message rejected due to user rules" },
	{ "filtered", "not accepting mail from" },
	{ "filtered", "this account is protected by" },
	{ "filtered", "user refuses to accept" },
	{ "filtered", "recipient has chosen not to" },
	{ "filtered", "domain of sender address" },
	{ "filtered", "has restricted who can send" },
	{ "filtered", "permission to post" },
	{ "filtered", "you do not have permission" },
	{ "filtered", "does not accept mail from" },
	{ "filtered", "blocked by the recipient" },
	{ "filtered", "the user you are trying to reach is refusing" },

	/* The sender was refused. */
	{ "rejected", "sender rejected" },
	{ "rejected", "sender address rejected" },
	{ "rejected", "sender verify failed" },
	{ "rejected", "sender is not allowed" },
	{ "rejected", "sender denied" },
	{ "rejected", "sender blocked" },
	{ "rejected", "domain of sender address * does not exist" },
	{ "rejected", "from address rejected" },
	{ "rejected", "address rejected: domain not found" },
	{ "rejected", "rejected sender" },
	{ "rejected", "invalid sender" },
	{ "rejected", "bad sender" },
	{ "rejected", "mail from rejected" },
	{ "rejected", "envelope blocked" },
	{ "rejected", "your envelope sender" },
	{ "rejected", "is on our block list" },
	{ "rejected", "sender domain" },

	/* No such domain. */
	{ "hostunknown", "host unknown" },
	{ "hostunknown", "unknown host" },
	{ "hostunknown", "host not found" },
	{ "hostunknown", "domain not found" },
	{ "hostunknown", "domain does not exist" },
	{ "hostunknown", "no such domain" },
	{ "hostunknown", "unknown domain" },
	{ "hostunknown", "name or service not known" },
	{ "hostunknown", "name service error" },
	{ "hostunknown", "host or domain name not found" },
	{ "hostunknown", "domain must exist" },
	{ "hostunknown", "unrouteable mail domain" },
	{ "hostunknown", "recipient domain must exist" },
	{ "hostunknown", "recipient address rejected: unknown domain" },
	{ "hostunknown", "domain is not reachable" },
	{ "hostunknown", "no mx record" },
	{ "hostunknown", "illegal host/domain name found" },
	{ "hostunknown", "the domain * does not exist" },
	{ "hostunknown", "dns error: dns type 'mx' lookup of" },
	{ "hostunknown", "nxdomain" },

	/* The content looked like spam. */
	{ "spamdetected", "spam" },
	{ "spamdetected", "junk mail" },
	{ "spamdetected", "bulk mail" },
	{ "spamdetected", "unsolicited" },
	{ "spamdetected", "content filter" },
	{ "spamdetected", "message content rejected" },
	{ "spamdetected", "rejected due to content" },
	{ "spamdetected", "blocked by the content" },

	{ "virusdetected", "virus" },
	{ "virusdetected", "malware" },
	{ "virusdetected", "infected" },

	{ "toomanyconn", "too many connections" },
	{ "toomanyconn", "too many concurrent" },
	{ "toomanyconn", "too many smtp sessions" },
	{ "toomanyconn", "connection limit" },
	{ "toomanyconn", "too many simultaneous" },
	{ "toomanyconn", "too many hops" },

	{ "speeding", "rate limit" },
	{ "speeding", "ratelimit" },
	{ "speeding", "too many messages" },
	{ "speeding", "receiving mail at a rate" },
	{ "speeding", "sending rate" },
	{ "speeding", "rate that prevents additional messages" },

	{ "badreputation", "reputation" },
	{ "badreputation", "poor sender" },
	{ "badreputation", "low sender score" },

	{ "notcompliantrfc", "not rfc 5322 compliant" },
	{ "notcompliantrfc", "rfc 5322" },
	{ "notcompliantrfc", "rfc5322" },
	{ "notcompliantrfc", "rfc 2822" },
	{ "notcompliantrfc", "rfc2822" },
	{ "notcompliantrfc", "multiple from" },
	{ "notcompliantrfc", "duplicate header" },
	{ "notcompliantrfc", "not compliant" },

	/* The sending host was refused. */
	{ "blocked", "access denied" },
	{ "blocked", "your isp" },
	{ "blocked", "internet service provider" },
	{ "blocked", "blacklist" },
	{ "blocked", "blocklist" },
	{ "blocked", "block list" },
	{ "blocked", "black list" },
	{ "blocked", "denylist" },
	{ "blocked", "listed in" },
	{ "blocked", "listed on" },
	{ "blocked", "is listed" },
	{ "blocked", "dnsbl" },
	{ "blocked", "rbl" },
	{ "blocked", "spamhaus" },
	{ "blocked", "spamcop" },
	{ "blocked", "client host rejected" },
	{ "blocked", "client host * blocked" },
	{ "blocked", "connection refused" },
	{ "blocked", "connection rejected" },
	{ "blocked", "access denied for" },
	{ "blocked", "blocked using" },
	{ "blocked", "your ip" },
	{ "blocked", "your ip address" },
	{ "blocked", "ip address * blocked" },
	{ "blocked", "has been blocked" },
	{ "blocked", "host blocked" },
	{ "blocked", "ip blocked" },
	{ "blocked", "blocked by" },
	{ "blocked", "refused to talk to me" },
	{ "blocked", "not allowed to send" },
	{ "blocked", "banned" },
	{ "blocked", "dial-up" },
	{ "blocked", "dynamic ip" },
	{ "blocked", "residential" },

	{ "policyviolation", "policy" },
	{ "policyviolation", "prohibited" },
	{ "policyviolation", "not allowed" },
	{ "policyviolation", "attachment" },

	{ "securityerror", "authentication required" },
	{ "securityerror", "authentication failed" },
	{ "securityerror", "tls required" },
	{ "securityerror", "starttls" },
	{ "securityerror", "encryption required" },
	{ "securityerror", "must issue a starttls" },
	{ "securityerror", "insecure" },
	{ "securityerror", "authorization required" },
	{ "securityerror", "authentication" },

	{ "systemfull", "system full" },
	{ "systemfull", "disk full" },
	{ "systemfull", "insufficient system storage" },
	{ "systemfull", "out of disk space" },
	{ "systemfull", "not enough disk space" },

	{ "systemerror", "system error" },
	{ "systemerror", "server error" },
	{ "systemerror", "internal error" },
	{ "systemerror", "temporary error" },
	{ "systemerror", "local error" },
	{ "systemerror", "system config error" },
	{ "systemerror", "mail system error" },
	{ "systemerror", "too many hops" },
	{ "systemerror", "mail loop" },
	{ "systemerror", "loops back to myself" },
	{ "systemerror", "routing loop" },
	{ "systemerror", "mail for * loops back" },
	{ "systemerror", "server configuration" },
	{ "systemerror", "unable to connect" },
	{ "systemerror", "service unavailable" },
	{ "systemerror", "problem with the recipient's" },

	{ "expired", "retry time not reached" },
	{ "expired", "connection timed out" },
	{ "expired", "timed out" },
	{ "expired", "envelope expired" },
	{ "expired", "giving up" },
	{ "expired", "socket error" },
	{ "expired", "did not accept our requests to connect" },
	{ "expired", "failing for a long time" },
	{ "expired", "temporary problem delivering" },
	{ "expired", "will retry for" },
	{ "expired", "retry timeout exceeded" },
	{ "expired", "could not be delivered within" },
	{ "expired", "was not delivered within" },
	{ "expired", "delivery time expired" },
	{ "expired", "message expired" },
	{ "expired", "expired after" },
	{ "expired", "delivery expired" },
	{ "expired", "giving up on" },
	{ "expired", "gave up" },
	{ "expired", "queue" },
	{ "expired", "too long" },
	{ "expired", "has not been delivered" },
	{ "expired", "not yet been delivered" },
	{ "expired", "unable to deliver for" },
	{ "expired", "delivery attempts will continue" },
	{ "expired", "could not be delivered for" },

	{ "networkerror", "could not connect" },
	{ "networkerror", "network error" },
	{ "networkerror", "network is unreachable" },
	{ "networkerror", "no route to host" },
	{ "networkerror", "host unreachable" },
	{ "networkerror", "lost connection" },
	{ "networkerror", "connection reset" },
	{ "networkerror", "connection dropped" },
	{ "networkerror", "dns lookup failure" },
	{ "networkerror", "dns failure" },
	{ "networkerror", "temporary lookup failure" },
	{ "networkerror", "malformed or unexpected name server reply" },
	{ "networkerror", "name server timeout" },
	{ "networkerror", "hop count exceeded" },

	{ "contenterror", "message header" },
	{ "contenterror", "header error" },
	{ "contenterror", "illegal attachment" },
	{ "contenterror", "improper use of 8-bit data" },
	{ "contenterror", "message contains invalid" },
	{ "contenterror", "message contains bare" },

	{ "notaccept", "does not accept mail" },
	{ "notaccept", "not accepting mail" },
	{ "notaccept", "null mx" },
	{ "notaccept", "does not receive mail" },
	{ "notaccept", "this domain does not receive" },

	{ "mailererror", "x-unix" },
	{ "mailererror", "command failed" },
	{ "mailererror", "procmail" },
	{ "mailererror", "pipe to" },
	{ "mailererror", "exit status" },
	{ "mailererror", "mailer error" },
	{ "mailererror", "command died" },
	{ "mailererror", "local delivery failed" },

	{ "syntaxerror", "syntax error" },
	{ "syntaxerror", "command unrecognized" },
	{ "syntaxerror", "unrecognized command" },
	{ "syntaxerror", "bad sequence" },
};

/*
 * Enhanced status codes (RFC 3463) that say the reason without words.
 * Where the 4 and 5 classes mean different things, both are listed.
 */
struct status_reason {
	const char	*status;
	const char	*reason;
};

static const struct status_reason statuses[] = {
	{ "4.1.6", "hasmoved" }, { "4.1.7", "rejected" },
	{ "4.1.8", "rejected" }, { "4.1.9", "systemerror" },
	{ "4.2.1", "suspend" }, { "4.2.2", "mailboxfull" },
	{ "4.2.3", "exceedlimit" }, { "4.2.4", "filtered" },
	{ "4.3.1", "systemfull" }, { "4.3.2", "notaccept" },
	{ "4.3.3", "systemerror" }, { "4.3.5", "systemerror" },
	{ "4.4.1", "expired" }, { "4.4.2", "networkerror" },
	{ "4.4.4", "networkerror" }, { "4.4.5", "systemfull" },
	{ "4.4.6", "networkerror" }, { "4.4.7", "expired" },
	{ "4.5.3", "systemerror" }, { "4.5.5", "systemerror" },
	{ "4.6.0", "contenterror" }, { "4.6.2", "contenterror" },
	{ "4.6.5", "contenterror" }, { "4.7.1", "blocked" },
	{ "4.7.2", "blocked" }, { "4.7.5", "securityerror" },
	{ "4.7.6", "securityerror" }, { "4.7.7", "securityerror" },
	{ "4.7.12", "securityerror" }, { "4.7.15", "securityerror" },
	{ "4.7.16", "mesgtoobig" }, { "4.7.24", "securityerror" },
	{ "4.7.25", "requireptr" },
	{ "5.1.0", "userunknown" }, { "5.1.1", "userunknown" },
	{ "5.1.2", "hostunknown" }, { "5.1.3", "userunknown" },
	{ "5.1.4", "filtered" }, { "5.1.6", "hasmoved" },
	{ "5.1.7", "rejected" }, { "5.1.8", "rejected" },
	{ "5.1.9", "systemerror" }, { "5.1.10", "notaccept" },
	{ "5.2.0", "filtered" }, { "5.2.1", "filtered" },
	{ "5.2.2", "mailboxfull" }, { "5.2.3", "exceedlimit" },
	{ "5.2.4", "filtered" }, { "5.3.0", "systemerror" },
	{ "5.3.1", "systemfull" }, { "5.3.2", "notaccept" },
	{ "5.3.3", "systemerror" }, { "5.3.4", "mesgtoobig" },
	{ "5.3.5", "systemerror" }, { "5.4.0", "networkerror" },
	{ "5.4.3", "systemerror" }, { "5.4.4", "hostunknown" },
	{ "5.5.3", "toomanyconn" }, { "5.5.4", "systemerror" },
	{ "5.5.5", "systemerror" }, { "5.5.6", "securityerror" },
	{ "5.6.0", "contenterror" }, { "5.6.1", "contenterror" },
	{ "5.6.2", "contenterror" }, { "5.6.3", "contenterror" },
	{ "5.6.5", "contenterror" }, { "5.6.6", "contenterror" },
	{ "5.6.7", "contenterror" }, { "5.6.8", "contenterror" },
	{ "5.6.9", "contenterror" }, { "5.7.0", "securityerror" },
	{ "5.7.1", "securityerror" }, { "5.7.2", "securityerror" },
	{ "5.7.3", "securityerror" }, { "5.7.4", "securityerror" },
	{ "5.7.5", "securityerror" }, { "5.7.6", "securityerror" },
	{ "5.7.7", "securityerror" }, { "5.7.8", "securityerror" },
	{ "5.7.9", "securityerror" }, { "5.7.10", "securityerror" },
	{ "5.7.11", "securityerror" }, { "5.7.13", "suspend" },
	{ "5.7.14", "securityerror" }, { "5.7.15", "securityerror" },
	{ "5.7.16", "mesgtoobig" }, { "5.7.17", "hasmoved" },
	{ "5.7.18", "hasmoved" }, { "5.7.19", "securityerror" },
	{ "5.7.20", "authfailure" }, { "5.7.21", "authfailure" },
	{ "5.7.22", "authfailure" }, { "5.7.23", "authfailure" },
	{ "5.7.24", "authfailure" }, { "5.7.25", "requireptr" },
	{ "5.7.26", "authfailure" }, { "5.7.27", "notaccept" },
};

void
reason_fold(const char *text, size_t len, char *out, size_t outsize)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i, o = 0;
	int space = 0;

	if (outsize == 0)
		return;
	for (i = 0; i < len && t[i] != '\0' && o + 1 < outsize; i++) {
		unsigned char c = t[i];

		/* White space as isspace() has it in the C locale. */
		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < outsize)
			out[o++] = ' ';
		space = 0;
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	out[o] = '\0';
}

/* Does `text` hold `phrase`, where '*' in it skips up to 80 bytes? */
static int
holds(const char *text, const char *phrase)
{
	const char *star = strchr(phrase, '*');
	const char *at, *rest;
	char head[128];
	size_t n;

	if (star == NULL)
		return strstr(text, phrase) != NULL;
	n = (size_t)(star - phrase);
	if (n >= sizeof(head))
		return 0;
	memcpy(head, phrase, n);
	head[n] = '\0';
	rest = star + 1;
	for (at = strstr(text, head); at != NULL;
	    at = strstr(at + 1, head)) {
		const char *tail = strstr(at + n, rest);

		if (tail != NULL && tail - (at + n) <= 80)
			return 1;
	}
	return 0;
}

/*
 * Which byte pairs occur in a text: a phrase with a pair the text lacks
 * cannot be in it, which spares most of the searches of a long report.
 */
struct pairs {
	uint64_t	bits[65536 / 64];
};

static void
pairs_of(const char *text, struct pairs *p)
{
	const unsigned char *t = (const unsigned char *)text;

	memset(p, 0, sizeof(*p));
	for (; t[0] != '\0' && t[1] != '\0'; t++) {
		unsigned v = (unsigned)t[0] << 8 | t[1];

		p->bits[v / 64] |= (uint64_t)1 << (v % 64);
	}
}

static int
may_hold(const struct pairs *p, const char *phrase)
{
	const unsigned char *t = (const unsigned char *)phrase;

	for (; t[0] != '\0' && t[1] != '\0'; t++) {
		unsigned v = (unsigned)t[0] << 8 | t[1];

		if (t[0] == '*' || t[1] == '*')
			continue;
		if ((p->bits[v / 64] & ((uint64_t)1 << (v % 64))) == 0)
			return 0;
	}
	return 1;
}

const char *
reason_match(const char *text)
{
	static struct pairs p;	/* 8 KB: not on the stack */
	size_t i, len;
	int filter;

	if (text == NULL || *text == '\0')
		return NULL;
	len = strlen(text);
	filter = len > 48;
	if (filter)
		pairs_of(text, &p);
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		if (filter && !may_hold(&p, phrases[i].text))
			continue;
		if (holds(text, phrases[i].text))
			return phrases[i].reason;
	}
	return NULL;
}

static const char *
status_reason(const char *status)
{
	size_t i;

	if (status == NULL)
		return NULL;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(status, statuses[i].status) == 0)
			return statuses[i].reason;
	return NULL;
}

/*
 * Reasons whose status codes say more than any words around them: a
 * 5.2.3 is a size limit whatever the server's sentence calls it.
 */
static int
is_decisive(const char *coded)
{
	static const char *decisive[] = { "mailboxfull", "mesgtoobig",
	    "exceedlimit", "hasmoved", "rejected", "notaccept" };
	size_t i;

	for (i = 0; i < sizeof(decisive) / sizeof(decisive[0]); i++)
		if (strcmp(coded, decisive[i]) == 0)
			return 1;
	return 0;
}

const char *
reason_of(const struct reason_input *in)
{
	const char *status = in->status != NULL ? in->status : "";
	const char *action = in->action != NULL ? in->action : "";
	const char *command = in->command != NULL ? in->command : "";
	char folded[4096];
	const char *r, *coded;

	if (status[0] == '2' || strcmp(action, "delivered") == 0)
		return "delivered";
	folded[0] = '\0';
	if (in->diag != NULL)
		reason_fold(in->diag, strlen(in->diag), folded, sizeof(folded));
	r = reason_match(folded);
	coded = status_reason(status);
	if (coded != NULL && is_decisive(coded))
		return coded;
	if (r != NULL && strcmp(r, "userunknown") == 0) {
		/*
		 * "Unknown user" said after the data, when the recipient
		 * was already accepted, is a filter speaking; said to the
		 * MAIL command, it is about the sender.
		 */
		int says_unknown = coded != NULL &&
		    strcmp(coded, "userunknown") == 0;

		if (strcmp(command, "DATA") == 0 && !says_unknown)
			return "filtered";
		if (strcmp(command, "MAIL") == 0)
			return "rejected";
		if (coded != NULL && strcmp(command, "RCPT") != 0 &&
		    (strcmp(coded, "filtered") == 0 ||
		    strcmp(coded, "suspend") == 0))
			return coded;
	}
	if (r != NULL)
		return r;
	r = coded;
	if (r != NULL && strcmp(r, "userunknown") == 0 &&
	    strcmp(command, "DATA") == 0)
		return "filtered";
	if (r != NULL)
		return r;
	if (status[0] != '\0' && strcmp(status + 1, ".0.0") != 0) {
		if (strncmp(status + 1, ".6.", 3) == 0)
			return "contenterror";
		if (strncmp(status + 1, ".7.", 3) == 0)
			return "securityerror";
	}
	if (strcmp(action, "delayed") == 0)
		return "expired";
	if (strcmp(command, "EHLO") == 0 || strcmp(command, "HELO") == 0 ||
	    strcmp(command, "CONN") == 0)
		return "blocked";
	if (strcmp(command, "MAIL") == 0)
		return "rejected";
	if (folded[0] != '\0')
		return "onhold";
	return "undefined";
}

int
reason_is_hard(const char *reason, const char *status)
{
	if (strcmp(reason, "userunknown") == 0 ||
	    strcmp(reason, "hostunknown") == 0 ||
	    strcmp(reason, "hasmoved") == 0)
		return 1;
	if (strcmp(reason, "notaccept") == 0)
		return status == NULL || status[0] != '4';
	return 0;
}
