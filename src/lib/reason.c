/*
 * reason: why a message bounced (see reason.h).
 *
 * The phrase table says which reasons a text's words point at; a text
 * may point at several ("sender address rejected: user unknown"). The
 * reason is then chosen in two looks, in the order of the reference
 * analyser: first the reasons the status code names or the SMTP command
 * allows the words to name, then the words alone, then the code. A '*'
 * in a phrase stands for up to 80 bytes of anything, for servers that
 * put the address in the middle of their sentence. A few phrases are
 * settled: so plain that they name their reason before anything else is
 * weighed (a directory server's "recipient name is not recognized").
 * A phrase that holds a shorter one of its reason is never needed: the
 * shorter one matches wherever it would.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reason.h"

/* The reasons, in the vocabulary of Sisimai. */
enum reason_id {
	R_NONE, R_MAILBOXFULL, R_MESGTOOBIG, R_EXCEEDLIMIT, R_SUSPEND,
	R_HASMOVED, R_NORELAYING, R_AUTHFAILURE, R_USERUNKNOWN, R_FILTERED,
	R_REQUIREPTR, R_NOTCOMPLIANTRFC, R_BADREPUTATION, R_CONTENTERROR,
	R_REJECTED, R_HOSTUNKNOWN, R_SPAMDETECTED, R_SPEEDING, R_TOOMANYCONN,
	R_BLOCKED, R_VIRUSDETECTED, R_POLICYVIOLATION, R_SYSTEMERROR,
	R_NETWORKERROR, R_SYSTEMFULL, R_NOTACCEPT, R_EXPIRED,
	R_FAILEDSTARTTLS, R_SECURITYERROR, R_SUPPRESSED, R_MAILERERROR,
	R_SYNTAXERROR, R_COUNT
};

static const char *const reason_names[R_COUNT] = {
	"", "mailboxfull", "mesgtoobig", "exceedlimit", "suspend",
	"hasmoved", "norelaying", "authfailure", "userunknown", "filtered",
	"requireptr", "notcompliantrfc", "badreputation", "contenterror",
	"rejected", "hostunknown", "spamdetected", "speeding", "toomanyconn",
	"blocked", "virusdetected", "policyviolation", "systemerror",
	"networkerror", "systemfull", "notaccept", "expired",
	"failedstarttls", "securityerror", "suppressed", "mailererror",
	"syntaxerror",
};

struct phrase {
	unsigned	 reason;	/* an enum reason_id, maybe SETTLED() */
	const char	*text;
};

/* A phrase that names its reason whatever the command it answered. */
#define SETTLED(r)	((r) | 64u)
#define PHRASE_REASON(p)	((enum reason_id)((p)->reason & 63u))
#define PHRASE_SETTLED(p)	(((p)->reason & 64u) != 0)

static const struct phrase phrases[] = {
	/* The mailbox exists but cannot take more. */
	{ R_MAILBOXFULL, "mailbox full" },
	{ R_MAILBOXFULL, "mailbox is full" },
	{ R_MAILBOXFULL, "mailbox * is full" },
	{ R_MAILBOXFULL, "mailbox size limit exceeded" },
	{ R_MAILBOXFULL, "mailbox has exceeded" },
	{ R_MAILBOXFULL, "mailbox exceeded" },
	{ R_MAILBOXFULL, "over quota" },
	{ R_MAILBOXFULL, "overquota" },
	{ R_MAILBOXFULL, "over the quota" },
	{ R_MAILBOXFULL, "quota exceeded" },
	{ R_MAILBOXFULL, "quota full" },
	{ R_MAILBOXFULL, "exceeded storage allocation" },
	{ R_MAILBOXFULL, "exceed the quota" },
	{ R_MAILBOXFULL, "exceeds the quota" },
	{ R_MAILBOXFULL, "user is over" },
	{ R_MAILBOXFULL, "out of storage" },
	{ R_MAILBOXFULL, "too much mail data" },
	{ R_MAILBOXFULL, "not enough storage space" },
	{ R_MAILBOXFULL, "account is full" },
	{ R_MAILBOXFULL, "user has exhausted allowed storage space" },
	{ R_MAILBOXFULL, "mail box full" },
	{ R_MAILBOXFULL, "mailfolder is full" },
	{ R_MAILBOXFULL, "is over its storage quota" },
	{ R_MAILBOXFULL, "disk quota" },
	{ R_MAILBOXFULL, "mailbox would exceed" },
	{ R_MAILBOXFULL, "mailbox exceeds" },
	{ R_MAILBOXFULL, "boite du destinataire pleine" },
	{ R_MAILBOXFULL, "postfach voll" },

	/* The message is too big. */
	{ R_MESGTOOBIG, "message too large" },
	{ R_MESGTOOBIG, "message too big" },
	{ R_MESGTOOBIG, "message is too big" },
	{ R_MESGTOOBIG, "message is too large" },
	{ R_MESGTOOBIG, "message size exceeds" },
	{ R_MESGTOOBIG, "message size limit" },
	{ R_MESGTOOBIG, "message exceeds * size limit" },
	{ R_MESGTOOBIG, "message length exceeds" },
	{ R_MESGTOOBIG, "size limit exceeded" },
	{ R_MESGTOOBIG, "exceeds maximum message size" },
	{ R_MESGTOOBIG, "exceeded maximum message size" },
	{ R_MESGTOOBIG, "exceeds size limit" },
	{ R_MESGTOOBIG, "message file too big" },
	{ R_MESGTOOBIG, "taille limite du message atteinte" },
	{ R_MESGTOOBIG, "line limit exceeded" },	/* a line too long */

	{ R_EXCEEDLIMIT, "header size exceeds" },
	{ R_EXCEEDLIMIT, "exceeded the limit" },
	{ R_EXCEEDLIMIT, "daily sending quota" },

	/* The account was closed or suspended for a while. */
	{ R_SUSPEND, "account disabled" },
	{ R_SUSPEND, "account is disabled" },
	{ R_SUSPEND, "account is suspended" },
	{ R_SUSPEND, "account suspended" },
	{ R_SUSPEND, "account inactive" },
	{ R_SUSPEND, "account is locked" },
	{ R_SUSPEND, "account temporarily" },
	{ R_SUSPEND, "account expired" },
	{ R_SUSPEND, "account has expired" },
	{ R_SUSPEND, "account is not active" },
	{ R_SUSPEND, "mailbox disabled" },
	{ R_SUSPEND, "mailbox is disabled" },
	{ R_SUSPEND, "mailbox unavailable or not local" },
	{ R_SUSPEND, "recipient suspended" },
	{ R_SUSPEND, "user suspended" },
	{ R_SUSPEND, "is inactive" },
	{ R_SUSPEND, "has been suspended" },
	{ R_SUSPEND, "has been disabled" },
	{ R_SUSPEND, "boite du destinataire archivee" },
	{ R_SUSPEND, "email account that you tried to reach is disabled" },
	{ R_SUSPEND, "invalid/inactive user" },
	{ R_SUSPEND, "this account has been temporarily suspended" },
	{ R_SUSPEND, "mailbox is frozen" },
	{ R_SUSPEND, "temporarily locked" },
	{ R_SUSPEND, "temporary locked" },
	{ R_SUSPEND, "recipient account is blocked" },

	{ R_HASMOVED, "address has moved" },
	{ R_HASMOVED, "has been replaced by" },
	{ R_HASMOVED, "user has moved" },
	{ R_HASMOVED, "recipient has moved" },

	/* Refusals of the sending host or domain, before the words they share
	 * with unknown users ("recipient address rejected: ..."). */
	{ R_AUTHFAILURE, "dkim signature" },
	{ R_AUTHFAILURE, "dkim check" },
	{ R_AUTHFAILURE, "dkim fail" },
	{ R_AUTHFAILURE, "dkim validation" },
	{ R_AUTHFAILURE, "dkim verification" },
	{ R_AUTHFAILURE, "dkim=fail" },
	{ R_AUTHFAILURE, "unauthenticated email" },
	{ R_AUTHFAILURE, "dmarc" },
	{ R_AUTHFAILURE, "sender policy framework" },
	{ R_AUTHFAILURE, "spf check" },
	{ R_AUTHFAILURE, "per its spf record" },
	{ R_AUTHFAILURE, "per it's spf record" },
	{ R_AUTHFAILURE, "bad spf record" },
	{ R_AUTHFAILURE, "spf fail" },
	{ R_AUTHFAILURE, "spf=fail" },
	{ R_AUTHFAILURE, "spf validation" },
	{ R_AUTHFAILURE, "spf softfail" },
	{ R_AUTHFAILURE, "spf policy" },
	{ R_AUTHFAILURE, "spf authentication" },
	{ R_AUTHFAILURE, "not authorized to send on behalf" },
	{ R_AUTHFAILURE, "authentication checks" },
	{ R_AUTHFAILURE, "does not have authentication information" },
	{ R_AUTHFAILURE, "failed authentication" },

	/* said only of a missing PTR: it decides even at the greeting */
	{ SETTLED(R_REQUIREPTR), "must have a ptr record" },
	{ SETTLED(R_REQUIREPTR), "no ptr record found" },
	{ SETTLED(R_REQUIREPTR), "ptr record setup" },
	{ SETTLED(R_REQUIREPTR), "fix reverse dns for" },
	{ SETTLED(R_REQUIREPTR), "reverse dns required" },
	{ R_REQUIREPTR, "reverse dns" },
	{ R_REQUIREPTR, "reverse lookup" },
	{ R_REQUIREPTR, "ptr record" },
	{ R_REQUIREPTR, "rdns" },
	{ R_REQUIREPTR, "cannot find your hostname" },
	{ R_REQUIREPTR, "client host rejected: cannot find your" },
	{ R_REQUIREPTR, "your host name doesn't match" },
	{ R_REQUIREPTR, "does not have a reverse" },
	{ R_REQUIREPTR, "no reverse" },
	{ R_REQUIREPTR, "unresolvable ip" },
	/* sending addresses whose name and address do not match */
	{ R_REQUIREPTR, "unverifyable sending ip" },
	{ R_REQUIREPTR, "unverifiable sending ip" },
	{ R_REQUIREPTR, "mismatches client ip" },
	{ R_REQUIREPTR, "ip name lookup failed" },

	{ R_NORELAYING, "relaying denied" },
	{ R_NORELAYING, "relay denied" },
	{ R_NORELAYING, "relay access denied" },
	{ R_NORELAYING, "relaying not permitted" },
	{ R_NORELAYING, "relaying not allowed" },
	{ R_NORELAYING, "relay not permitted" },
	{ R_NORELAYING, "relay not allowed" },
	{ R_NORELAYING, "unable to relay" },
	{ R_NORELAYING, "we do not relay" },
	{ R_NORELAYING, "not permitted to relay" },
	{ R_NORELAYING, "relaying mail to * is not allowed" },
	{ R_NORELAYING, "no relaying" },
	/* A sending service's own sandbox: not ours to send for. */
	{ R_NORELAYING, "email address is not verified" },
	{ R_NORELAYING, "mail server permanently rejected message (#5.3.0)" },
	{ R_NORELAYING, "this system is not configured to relay mail" },
	{ R_NORELAYING, "insecure mail relay" },
	{ R_NORELAYING, "relay prohibited" },
	{ R_NORELAYING, "domain isn't in my list of allowed rcpthosts" },

	/* No such person. */
	{ R_USERUNKNOWN, "user unknown" },
	{ R_USERUNKNOWN, "unknown user" },
	{ R_USERUNKNOWN, "user not known" },
	/* Postfix at RCPT, with no more said or the plainest reasons. */
	{ R_USERUNKNOWN, "recipient address rejected." },
	{ R_USERUNKNOWN, "recipient address rejected: access denied" },
	{ R_USERUNKNOWN, "unknown recipient" },
	{ R_USERUNKNOWN, "recipient unknown" },
	{ R_USERUNKNOWN, "unknown address" },
	{ R_USERUNKNOWN, "address unknown" },
	{ R_USERUNKNOWN, "unknown local part" },
	{ R_USERUNKNOWN, "unknown mailbox" },
	{ R_USERUNKNOWN, "no such user" },
	{ R_USERUNKNOWN, "no such mailbox" },
	{ R_USERUNKNOWN, "no such recipient" },
	{ R_USERUNKNOWN, "no such address" },
	{ R_USERUNKNOWN, "no such person" },
	{ R_USERUNKNOWN, "no such account" },
	{ R_USERUNKNOWN, "no mailbox here by that name" },
	{ R_USERUNKNOWN, "no mailbox found" },
	{ R_USERUNKNOWN, "no account by that name" },
	{ R_USERUNKNOWN, "user does not exist" },
	{ R_USERUNKNOWN, "user doesn't exist" },
	{ R_USERUNKNOWN, "user not found" },
	{ R_USERUNKNOWN, "user doesn't have a" },
	{ R_USERUNKNOWN, "mailbox does not exist" },
	{ R_USERUNKNOWN, "mailbox not found" },
	{ R_USERUNKNOWN, "mailbox unavailable" },
	{ R_USERUNKNOWN, "mailbox * does not exist" },
	{ R_USERUNKNOWN, "mailbox not present" },
	{ R_USERUNKNOWN, "mailbox is unavailable" },
	{ R_USERUNKNOWN, "mailbox invalid" },
	{ R_USERUNKNOWN, "address does not exist" },
	{ R_USERUNKNOWN, "address doesn't exist" },
	{ R_USERUNKNOWN, "address not found" },
	{ R_USERUNKNOWN, "account does not exist" },
	{ R_USERUNKNOWN, "account doesn't exist" },
	{ R_USERUNKNOWN, "recipient does not exist" },
	{ R_USERUNKNOWN, "recipient not found" },
	{ R_USERUNKNOWN, "recipient address rejected: undeliverable address" },
	{ R_USERUNKNOWN, "invalid recipient" },
	{ R_USERUNKNOWN, "invalid mailbox" },
	{ R_USERUNKNOWN, "invalid address" },
	{ R_USERUNKNOWN, "invalid user" },
	{ R_USERUNKNOWN, "bad recipient" },
	{ R_USERUNKNOWN, "bad address" },
	{ R_USERUNKNOWN, "bad destination mailbox" },
	{ R_USERUNKNOWN, "not a valid recipient" },
	{ R_USERUNKNOWN, "not a valid mailbox" },
	{ R_USERUNKNOWN, "is not a valid" },
	{ R_USERUNKNOWN, "not a known user" },
	{ R_USERUNKNOWN, "not our customer" },
	{ R_USERUNKNOWN, "not listed in" },
	{ R_USERUNKNOWN, "email address could not be found" },
	/* Gmail of an address it looked up and found missing */
	{ SETTLED(R_USERUNKNOWN), "because the address couldn't be found" },
	{ R_USERUNKNOWN, "email account that you tried to reach does "
	    "not exist" },
	{ R_USERUNKNOWN, "the email account that you tried to reach does not" },
	{ R_USERUNKNOWN, "said: 550 5.1.1" },
	{ R_USERUNKNOWN, "does not have an account here" },
	{ R_USERUNKNOWN, "no user with that name" },
	{ R_USERUNKNOWN, "non-existent user" },
	{ R_USERUNKNOWN, "nonexistent user" },
	{ R_USERUNKNOWN, "non existent user" },
	{ R_USERUNKNOWN, "addressee unknown" },
	{ R_USERUNKNOWN, "destination addresses were unknown" },
	{ R_USERUNKNOWN, "recipient rejected" },
	{ R_USERUNKNOWN, "there is no one at this address" },
	{ R_USERUNKNOWN, "unknown or illegal alias" },
	{ R_USERUNKNOWN, "delivery failed for the following recipient" },
	{ R_USERUNKNOWN, "no such local user" },
	{ R_USERUNKNOWN, "destinataire inconnu" },
	{ R_USERUNKNOWN, "utilisateur inconnu" },
	{ R_USERUNKNOWN, "adresse d au moins un destinataire invalide" },
	{ R_USERUNKNOWN, "unbekannter empfaenger" },
	{ R_USERUNKNOWN, "unbekannter empfänger" },
	{ R_USERUNKNOWN, "usuario desconocido" },
	{ R_USERUNKNOWN, "unknown e-mail address" },
	{ R_USERUNKNOWN, "the email address wasn*t found" },
	{ R_USERUNKNOWN, "> does not exist" },	/* "<ann@example.org> ..." */
	{ R_USERUNKNOWN, "user not exist" },
	/*
	 * What mailbox servers say after looking the name up in their own
	 * directory, not what a filter says: no command makes them filters.
	 */
	{ SETTLED(R_USERUNKNOWN), "recipient name is not recognized" },
	{ SETTLED(R_USERUNKNOWN), "not listed in public name & address book" },
	{ SETTLED(R_USERUNKNOWN), "not listed in domino directory" },
	/* IMail */
	{ SETTLED(R_USERUNKNOWN), "invalid final delivery userid" },

	/* The recipient filters what reaches them. */
	{ R_FILTERED, "due to extended inactivity new mail is not currently "
	    "being accepted" },
	{ R_FILTERED, "refused by recipient" },
	{ R_FILTERED, "rejected by recipient" },
	{ R_FILTERED, "delivery not authorized" },
	{ R_FILTERED, "message filtered" },
	{ R_FILTERED, "message rejected due to user rules" },
	{ R_FILTERED, "not accepting mail from" },
	{ R_FILTERED, "this account is protected by" },
	{ R_FILTERED, "user refuses to accept" },
	{ R_FILTERED, "recipient has chosen not to" },
	{ R_FILTERED, "domain of sender address" },
	{ R_FILTERED, "has restricted who can send" },
	{ R_FILTERED, "permission to post" },
	{ R_FILTERED, "you do not have permission" },
	{ R_FILTERED, "does not accept mail from" },
	{ R_FILTERED, "blocked by the recipient" },
	{ R_FILTERED, "the user you are trying to reach is refusing" },
	/* the mailbox exists; its owner does not want this mail */
	{ SETTLED(R_FILTERED), "due to recipient preferences" },
	/* qmail's list of addresses it refuses mail for */
	{ SETTLED(R_FILTERED), "badrcptto" },

	/* The sender was refused. */
	{ R_REJECTED, "sender rejected" },
	{ R_REJECTED, "sender address rejected" },
	{ R_REJECTED, "sender verify failed" },
	{ R_REJECTED, "sender is not allowed" },
	{ R_REJECTED, "sender denied" },
	{ R_REJECTED, "sender blocked" },
	{ R_REJECTED, "domain of sender address * does not exist" },
	{ R_REJECTED, "from address rejected" },
	{ R_REJECTED, "address rejected: domain not found" },
	{ R_REJECTED, "rejected sender" },
	{ R_REJECTED, "rejected by destination domain" },
	{ R_REJECTED, "sender was rejected" },
	{ R_REJECTED, "invalid sender" },
	{ R_REJECTED, "bad sender" },
	{ R_REJECTED, "mail from rejected" },
	{ R_REJECTED, "envelope blocked" },
	{ R_REJECTED, "your envelope sender" },
	{ R_REJECTED, "sender domain" },
	/* the address, not the host, is on the list */
	{ R_REJECTED, "address that has been blacklisted" },
	/* every recipient at once: it is the sender that is refused */
	{ R_REJECTED, "all recipient addresses rejected" },
	/* Sender ID: no sender to hold responsible */
	{ R_REJECTED, "purported responsible address" },
	{ R_REJECTED, "provide a valid from" },
	/* the sending gateway is not one the receiver lets in */
	{ R_REJECTED, "is not a registered gateway user" },

	/* No such domain. */
	{ R_HOSTUNKNOWN, "host unknown" },
	{ R_HOSTUNKNOWN, "unknown host" },
	{ R_HOSTUNKNOWN, "host not found" },
	{ R_HOSTUNKNOWN, "host * not found" },
	{ R_HOSTUNKNOWN, "domain not found" },
	{ R_HOSTUNKNOWN, "domain does not exist" },
	{ R_HOSTUNKNOWN, "no such domain" },
	{ R_HOSTUNKNOWN, "unknown domain" },
	{ R_HOSTUNKNOWN, "name or service not known" },
	{ R_HOSTUNKNOWN, "name service error" },
	{ R_HOSTUNKNOWN, "host or domain name not found" },
	{ R_HOSTUNKNOWN, "domain must exist" },
	{ R_HOSTUNKNOWN, "unrouteable mail domain" },
	{ R_HOSTUNKNOWN, "domain is not reachable" },
	{ R_HOSTUNKNOWN, "illegal host/domain name found" },
	{ R_HOSTUNKNOWN, "the domain * does not exist" },
	{ R_HOSTUNKNOWN, "dns error: dns type 'mx' lookup of" },
	{ R_HOSTUNKNOWN, "nxdomain" },
	{ R_HOSTUNKNOWN, "unrouteable address" },
	{ R_HOSTUNKNOWN, "unroutable address" },
	{ R_HOSTUNKNOWN, "account or domain may not exist" },

	/* The content looked like spam. */
	{ R_SPAMDETECTED, "spam" },
	{ R_SPAMDETECTED, "junk mail" },
	{ R_SPAMDETECTED, "bulk mail" },
	{ R_SPAMDETECTED, "unsolicited" },
	{ R_SPAMDETECTED, "content filter" },
	{ R_SPAMDETECTED, "message content rejected" },
	{ R_SPAMDETECTED, "rejected due to content" },
	{ R_SPAMDETECTED, "blocked by the content" },

	{ R_VIRUSDETECTED, "virus" },
	{ R_VIRUSDETECTED, "malware" },
	{ R_VIRUSDETECTED, "infected" },

	/* A link in the message is on a list: the content, not the host. */
	{ SETTLED(R_SPAMDETECTED), "blacklisted url" },
	{ SETTLED(R_SPAMDETECTED), "uribl" },
	{ SETTLED(R_SPAMDETECTED), "surbl" },

	{ R_FAILEDSTARTTLS, "does not support tls" },
	{ R_FAILEDSTARTTLS, "does not support starttls" },
	{ R_FAILEDSTARTTLS, "tls negotiation failed" },

	{ R_TOOMANYCONN, "too many connections" },
	{ R_TOOMANYCONN, "too many concurrent" },
	{ R_TOOMANYCONN, "too many smtp sessions" },
	{ R_TOOMANYCONN, "connection limit" },
	{ R_TOOMANYCONN, "too many simultaneous" },
	{ R_TOOMANYCONN, "frequency limited" },
	{ R_TOOMANYCONN, "connection rate limit" },
	/* Too many for one message: a limit of the session, not the size. */
	{ R_TOOMANYCONN, "too many recipients" },

	{ R_SPEEDING, "rate limit" },
	{ R_SPEEDING, "ratelimit" },
	{ R_SPEEDING, "too many messages" },
	{ R_SPEEDING, "receiving mail at a rate" },
	{ R_SPEEDING, "sending rate" },
	{ R_SPEEDING, "rate that prevents additional messages" },
	/* a rate over time, not too many for one message */
	{ SETTLED(R_SPEEDING), "sent to too many recipients" },

	{ R_BADREPUTATION, "reputation" },
	{ R_BADREPUTATION, "poor sender" },
	{ R_BADREPUTATION, "low sender score" },
	{ R_BADREPUTATION, "unexpected volume" },
	{ R_BADREPUTATION, "user complaints" },

	{ R_NOTCOMPLIANTRFC, "rfc 5322" },
	{ R_NOTCOMPLIANTRFC, "rfc5322" },
	{ R_NOTCOMPLIANTRFC, "rfc 2822" },
	{ R_NOTCOMPLIANTRFC, "rfc2822" },
	{ R_NOTCOMPLIANTRFC, "multiple from" },
	{ R_NOTCOMPLIANTRFC, "duplicate header" },
	{ R_NOTCOMPLIANTRFC, "not compliant" },
	{ R_NOTCOMPLIANTRFC, "multiple addresses in from" },

	/*
	 * The sending host was refused. A bare "access denied" is not here:
	 * servers say it of relays, senders and recipients alike, so the
	 * code beside it decides.
	 */
	{ R_BLOCKED, "your isp" },
	{ R_BLOCKED, "internet service provider" },
	{ R_BLOCKED, "blacklist" },
	{ R_BLOCKED, "blocklist" },
	{ R_BLOCKED, "block list" },
	{ R_BLOCKED, "black list" },
	{ R_BLOCKED, "denylist" },
	{ R_BLOCKED, "listed in" },
	{ R_BLOCKED, "listed on" },
	{ R_BLOCKED, "is listed" },
	{ R_BLOCKED, "dnsbl" },
	{ R_BLOCKED, "rbl" },
	{ R_BLOCKED, "spamhaus" },
	{ R_BLOCKED, "spamcop" },
	{ R_BLOCKED, "client host rejected" },
	/* the host, whatever it was blocked for */
	{ SETTLED(R_BLOCKED), "client host blocked" },
	{ SETTLED(R_BLOCKED), "client host * blocked" },
	{ R_BLOCKED, "connection refused" },
	{ R_BLOCKED, "connection rejected" },
	{ R_BLOCKED, "access denied for" },
	{ R_BLOCKED, "blocked using" },
	{ R_BLOCKED, "your ip" },
	{ R_BLOCKED, "invalid ip" },
	{ R_BLOCKED, "not accepting connections" },
	{ R_BLOCKED, "ip address * blocked" },
	{ R_BLOCKED, "has been blocked" },
	{ R_BLOCKED, "host blocked" },
	{ R_BLOCKED, "ip blocked" },
	{ R_BLOCKED, "blocked by" },
	{ R_BLOCKED, "refused to talk to me" },
	{ R_BLOCKED, "not allowed to send" },
	{ R_BLOCKED, "banned" },
	{ R_BLOCKED, "dial-up" },
	{ R_BLOCKED, "dynamic ip" },
	{ R_BLOCKED, "residential" },

	{ R_POLICYVIOLATION, "denied by policy" },
	{ R_POLICYVIOLATION, "for policy reasons" },
	{ R_POLICYVIOLATION, "local policy" },
	{ R_POLICYVIOLATION, "organization policy" },
	{ R_POLICYVIOLATION, "security policies" },
	{ R_POLICYVIOLATION, "policy rejection" },
	{ R_POLICYVIOLATION, "prohibited" },
	{ R_POLICYVIOLATION, "attachment" },
	{ R_POLICYVIOLATION, "protocol violation" },
	{ R_POLICYVIOLATION, "network not allowed" },
	{ R_POLICYVIOLATION, "content presents a potential" },	/* Gmail */
	/* a header the receiver's rules refuse, under a 5.7 code */
	{ R_POLICYVIOLATION, "header error" },

	/* not a relay refused: one that wants us to log in first */
	{ SETTLED(R_SECURITYERROR), "without authentication" },
	{ SETTLED(R_SECURITYERROR), "turn on smtp authentication" },
	{ R_SECURITYERROR, "unauthenticated sender" },
	{ R_SECURITYERROR, "tls required" },
	{ R_SECURITYERROR, "starttls" },
	{ R_SECURITYERROR, "encryption required" },
	{ R_SECURITYERROR, "insecure" },
	{ R_SECURITYERROR, "authorization required" },
	{ R_SECURITYERROR, "authentication" },

	{ R_SYSTEMFULL, "system full" },
	{ R_SYSTEMFULL, "disk full" },
	{ R_SYSTEMFULL, "insufficient system storage" },
	{ R_SYSTEMFULL, "insufficient disk space" },	/* the server's */
	{ R_SYSTEMFULL, "out of disk space" },
	{ R_SYSTEMFULL, "not enough disk space" },

	{ R_SYSTEMERROR, "system error" },
	{ R_SYSTEMERROR, "server error" },
	{ R_SYSTEMERROR, "internal error" },
	{ R_SYSTEMERROR, "temporary error" },
	{ R_SYSTEMERROR, "local error" },
	{ R_SYSTEMERROR, "system config error" },
	{ R_SYSTEMERROR, "server configuration" },
	{ R_SYSTEMERROR, "service unavailable" },
	{ R_SYSTEMERROR, "service currently unavailable" },
	{ R_SYSTEMERROR, "queue file write error" },	/* Postfix's disk */
	{ R_SYSTEMERROR, "problem with the recipient's" },
	{ R_SYSTEMERROR, "transaction failed" },	/* RFC 5321's 554 */
	/* the directory that says who exists did not answer */
	{ R_SYSTEMERROR, "unable to contact ldap" },

	{ R_EXPIRED, "retry time not reached" },
	{ R_EXPIRED, "timed out" },
	{ R_EXPIRED, "envelope expired" },
	{ R_EXPIRED, "giving up" },
	{ R_EXPIRED, "socket error" },
	{ R_EXPIRED, "did not accept our requests to connect" },
	{ R_EXPIRED, "failing for a long time" },
	{ R_EXPIRED, "temporary problem delivering" },
	{ R_EXPIRED, "will retry for" },
	{ R_EXPIRED, "will be retried" },
	{ R_EXPIRED, "delivery failed * attempts" },
	{ R_EXPIRED, "retry timeout exceeded" },
	{ R_EXPIRED, "could not be delivered within" },
	{ R_EXPIRED, "was not delivered within" },
	{ R_EXPIRED, "delivery time expired" },
	{ R_EXPIRED, "message expired" },
	{ R_EXPIRED, "expired after" },
	{ R_EXPIRED, "delivery expired" },
	{ R_EXPIRED, "gave up" },
	{ R_EXPIRED, "in the queue too long" },
	{ R_EXPIRED, "has not been delivered" },
	{ R_EXPIRED, "not yet been delivered" },
	{ R_EXPIRED, "unable to deliver for" },
	{ R_EXPIRED, "delivery attempts will continue" },
	{ R_EXPIRED, "could not be delivered for" },
	{ R_EXPIRED, "was aborted after" },

	{ R_NETWORKERROR, "could not connect" },
	{ R_NETWORKERROR, "network error" },
	{ R_NETWORKERROR, "network is unreachable" },
	{ R_NETWORKERROR, "no route to host" },
	{ R_NETWORKERROR, "host unreachable" },
	{ R_NETWORKERROR, "lost connection" },
	{ R_NETWORKERROR, "connection reset" },
	{ R_NETWORKERROR, "connection dropped" },
	{ R_NETWORKERROR, "dns lookup failure" },
	{ R_NETWORKERROR, "host name lookup failure" },
	{ R_NETWORKERROR, "dns failure" },
	{ R_NETWORKERROR, "temporary lookup failure" },
	{ R_NETWORKERROR, "malformed or unexpected name server reply" },
	{ R_NETWORKERROR, "name server timeout" },
	{ R_NETWORKERROR, "hop count exceeded" },
	{ R_NETWORKERROR, "too many hops" },
	{ R_NETWORKERROR, "mail loop" },
	{ R_NETWORKERROR, "loops back to myself" },
	{ R_NETWORKERROR, "routing loop" },
	{ R_NETWORKERROR, "mail for * loops back" },
	{ R_NETWORKERROR, "dns query failed" },
	/* Postfix: the resolver's TRY_AGAIN, not a name known not to exist */
	{ SETTLED(R_NETWORKERROR), "host not found, try again" },
	{ R_NETWORKERROR, "had no relevant answers" },

	{ R_CONTENTERROR, "message header" },
	{ R_CONTENTERROR, "illegal attachment" },
	{ R_CONTENTERROR, "improper use of 8-bit data" },
	{ R_CONTENTERROR, "message contains invalid" },
	{ R_CONTENTERROR, "message contains bare" },

	{ R_NOTACCEPT, "does not accept mail" },
	{ R_NOTACCEPT, "not accepting mail" },
	{ R_NOTACCEPT, "null mx" },
	{ R_NOTACCEPT, "does not receive mail" },
	{ R_NOTACCEPT, "this domain does not receive" },
	{ R_NOTACCEPT, "no mx found" },
	/* a domain that exists (else: not found) but names no mail host */
	{ R_NOTACCEPT, "no mx record" },
	{ R_NOTACCEPT, "no smtp service" },
	/*
	 * qmail, of a domain that exists but names no host to take its
	 * mail (it says "couldn't find any host named" of one that does
	 * not exist), whatever its 5.4.4 says.
	 */
	{ SETTLED(R_NOTACCEPT), "couldn't find a mail exchanger or "
	    "ip address" },

	{ R_MAILERERROR, "x-unix" },
	{ R_MAILERERROR, "command failed" },
	{ R_MAILERERROR, "procmail" },
	{ R_MAILERERROR, "pipe to" },
	{ R_MAILERERROR, "exit status" },
	{ R_MAILERERROR, "mailer error" },
	{ R_MAILERERROR, "command died" },
	{ R_MAILERERROR, "local delivery failed" },

	{ R_SYNTAXERROR, "syntax error" },
	{ R_SYNTAXERROR, "malformed address" },
	{ R_SYNTAXERROR, "incorrectly constructed" },
	{ R_SYNTAXERROR, "command unrecognized" },
	{ R_SYNTAXERROR, "unrecognized command" },
	{ R_SYNTAXERROR, "bad sequence" },
};

/*
 * Enhanced status codes (RFC 3463) that say the reason without words.
 * Where the 4 and 5 classes mean different things, both are listed.
 */
struct status_reason {
	const char	*status;
	enum reason_id	 reason;
};

static const struct status_reason statuses[] = {
	{ "4.1.6", R_HASMOVED }, { "4.1.7", R_REJECTED },
	{ "4.1.8", R_REJECTED }, { "4.1.9", R_SYSTEMERROR },
	{ "4.2.1", R_SUSPEND }, { "4.2.2", R_MAILBOXFULL },
	{ "4.2.3", R_EXCEEDLIMIT }, { "4.2.4", R_FILTERED },
	{ "4.3.1", R_SYSTEMFULL }, { "4.3.2", R_NOTACCEPT },
	{ "4.3.3", R_SYSTEMERROR }, { "4.3.5", R_SYSTEMERROR },
	{ "4.4.1", R_EXPIRED }, { "4.4.2", R_NETWORKERROR },
	{ "4.4.3", R_SYSTEMERROR },	/* RFC 3463: directory server failure */
	{ "4.4.4", R_NETWORKERROR }, { "4.4.5", R_SYSTEMFULL },
	{ "4.4.6", R_NETWORKERROR }, { "4.4.7", R_EXPIRED },
	{ "4.5.3", R_SYSTEMERROR }, { "4.5.5", R_SYSTEMERROR },
	{ "4.6.0", R_CONTENTERROR }, { "4.6.2", R_CONTENTERROR },
	{ "4.6.5", R_CONTENTERROR }, { "4.7.1", R_BLOCKED },
	{ "4.7.2", R_BLOCKED }, { "4.7.5", R_SECURITYERROR },
	{ "4.7.6", R_SECURITYERROR }, { "4.7.7", R_SECURITYERROR },
	{ "4.7.12", R_SECURITYERROR }, { "4.7.15", R_SECURITYERROR },
	{ "4.7.16", R_MESGTOOBIG }, { "4.7.24", R_SECURITYERROR },
	{ "4.7.25", R_REQUIREPTR },
	{ "5.1.0", R_USERUNKNOWN }, { "5.1.1", R_USERUNKNOWN },
	{ "5.1.2", R_HOSTUNKNOWN }, { "5.1.3", R_USERUNKNOWN },
	{ "5.1.4", R_FILTERED }, { "5.1.6", R_HASMOVED },
	{ "5.1.7", R_REJECTED }, { "5.1.8", R_REJECTED },
	{ "5.1.9", R_SYSTEMERROR }, { "5.1.10", R_NOTACCEPT },
	{ "5.2.0", R_FILTERED }, { "5.2.1", R_FILTERED },
	{ "5.2.2", R_MAILBOXFULL }, { "5.2.3", R_EXCEEDLIMIT },
	{ "5.2.4", R_FILTERED }, { "5.3.0", R_SYSTEMERROR },
	{ "5.3.1", R_SYSTEMFULL }, { "5.3.2", R_NOTACCEPT },
	{ "5.3.3", R_SYSTEMERROR }, { "5.3.4", R_MESGTOOBIG },
	{ "5.3.5", R_SYSTEMERROR }, { "5.4.0", R_NETWORKERROR },
	{ "5.4.3", R_SYSTEMERROR }, { "5.4.4", R_HOSTUNKNOWN },
	{ "5.4.6", R_NETWORKERROR },	/* routing loop */
	{ "5.5.3", R_TOOMANYCONN }, { "5.5.4", R_SYSTEMERROR },
	{ "5.5.5", R_SYSTEMERROR }, { "5.5.6", R_SECURITYERROR },
	{ "5.6.0", R_CONTENTERROR }, { "5.6.1", R_CONTENTERROR },
	{ "5.6.2", R_CONTENTERROR }, { "5.6.3", R_CONTENTERROR },
	{ "5.6.5", R_CONTENTERROR }, { "5.6.6", R_CONTENTERROR },
	{ "5.6.7", R_CONTENTERROR }, { "5.6.8", R_CONTENTERROR },
	{ "5.6.9", R_CONTENTERROR }, { "5.7.0", R_SECURITYERROR },
	{ "5.7.1", R_SECURITYERROR }, { "5.7.2", R_SECURITYERROR },
	{ "5.7.3", R_SECURITYERROR }, { "5.7.4", R_SECURITYERROR },
	{ "5.7.5", R_SECURITYERROR }, { "5.7.6", R_SECURITYERROR },
	{ "5.7.7", R_SECURITYERROR }, { "5.7.8", R_SECURITYERROR },
	{ "5.7.9", R_SECURITYERROR }, { "5.7.10", R_SECURITYERROR },
	{ "5.7.11", R_SECURITYERROR }, { "5.7.13", R_SUSPEND },
	{ "5.7.14", R_SECURITYERROR }, { "5.7.15", R_SECURITYERROR },
	{ "5.7.16", R_MESGTOOBIG }, { "5.7.17", R_HASMOVED },
	{ "5.7.18", R_HASMOVED }, { "5.7.19", R_SECURITYERROR },
	{ "5.7.20", R_AUTHFAILURE }, { "5.7.21", R_AUTHFAILURE },
	{ "5.7.22", R_AUTHFAILURE }, { "5.7.23", R_AUTHFAILURE },
	{ "5.7.24", R_AUTHFAILURE }, { "5.7.25", R_REQUIREPTR },
	{ "5.7.26", R_AUTHFAILURE }, { "5.7.27", R_NOTACCEPT },
};

/*
 * What folding makes of each byte: its lower case, or 0 for white space
 * as isspace() has it in the C locale. A table: folding runs over every
 * byte of every report.
 */
static const unsigned char fold_byte[256] = {
#define F4(c)	(c), (c) + 1, (c) + 2, (c) + 3
#define F16(c)	F4(c), F4((c) + 4), F4((c) + 8), F4((c) + 12)
	/* 0x00-0x0f: \t \n \v \f \r are white space */
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0, 0, 0, 0, 0, 0x0e, 0x0f,
	F16(0x10),
	0, 0x21, 0x22, 0x23, F4(0x24), F4(0x28), F4(0x2c),	/* ' ' */
	F16(0x30),
	0x40, F4('a'), F4('e'), F4('i'), 'm', 'n', 'o',		/* A-O */
	F4('p'), F4('t'), 'x', 'y', 'z', 0x5b, F4(0x5c),	/* P-Z */
	F16(0x60), F16(0x70), F16(0x80), F16(0x90), F16(0xa0), F16(0xb0),
	F16(0xc0), F16(0xd0), F16(0xe0), F16(0xf0),
#undef F16
#undef F4
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
		unsigned char c = fold_byte[t[i]];

		if (c == 0) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < outsize)
			out[o++] = ' ';
		space = 0;
		out[o++] = (char)c;
	}
	out[o] = '\0';
}

#define NPHRASES	(sizeof(phrases) / sizeof(phrases[0]))
#define BIT(r)		((uint64_t)1 << (r))
#define SAYS(f, r)	(((f)->words & BIT(r)) != 0)

/*
 * The phrases by their first two bytes, so that one pass over a text
 * tries at each place only the phrases that could start there. Built on
 * first use: a chain per pair, through `chain`, ending at -1.
 */
static int16_t	first_at[65536];
static int16_t	chain[NPHRASES];
static uint8_t	head_len[NPHRASES];	/* bytes before any '*' */

static void
index_phrases(void)
{
	size_t i;

	memset(first_at, 0xff, sizeof(first_at));
	for (i = NPHRASES; i-- > 0;) {
		const unsigned char *t =
		    (const unsigned char *)phrases[i].text;
		unsigned v = (unsigned)t[0] << 8 | t[1];

		head_len[i] = (uint8_t)strcspn(phrases[i].text, "*");
		chain[i] = first_at[v];
		first_at[v] = (int16_t)i;
	}
}

/* Whether `rest` starts within 80 bytes of the start of `text`. */
static int
near(const char *text, const char *rest)
{
	size_t n = strnlen(text, 80 + strlen(rest));

	return memmem(text, n, rest, strlen(rest)) != NULL;
}

/*
 * Every reason some phrase of `text` points at, as a set of BIT()s; in
 * *settled, those a settled phrase points at.
 */
static uint64_t
reasons_in(const char *text, uint64_t *settled)
{
	/* Once, even when threads classify side by side. */
	static pthread_once_t indexed = PTHREAD_ONCE_INIT;
	const unsigned char *t = (const unsigned char *)text;
	uint64_t set = 0;
	size_t i;

	*settled = 0;
	if (text == NULL)
		return 0;
	pthread_once(&indexed, index_phrases);
	for (i = 0; t[i] != '\0' && t[i + 1] != '\0'; i++) {
		int k;

		for (k = first_at[(unsigned)t[i] << 8 | t[i + 1]]; k >= 0;
		    k = chain[k]) {
			const struct phrase *pk = &phrases[k];
			const char *ph = pk->text;
			uint64_t bit = BIT(PHRASE_REASON(pk));

			/* The third byte first: it spares most calls. */
			if ((*settled & bit) != 0 ||
			    (!PHRASE_SETTLED(pk) && (set & bit) != 0) ||
			    (head_len[k] > 2 &&
			    t[i + 2] != (unsigned char)ph[2]) ||
			    strncmp(text + i, ph, head_len[k]) != 0)
				continue;
			/* "a * b": the rest within 80 bytes of the head */
			if (ph[head_len[k]] == '*' &&
			    !near(text + i + head_len[k], ph + head_len[k] + 1))
				continue;
			set |= bit;
			if (PHRASE_SETTLED(pk))
				*settled |= bit;
		}
	}
	return set;
}

static enum reason_id
status_reason(const char *status)
{
	size_t i;

	if (status == NULL)
		return R_NONE;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(status, statuses[i].status) == 0)
			return statuses[i].reason;
	return R_NONE;
}

int
reason_reply_code(const char *folded)
{
	const char *p;

	for (p = folded; *p != '\0'; p++) {
		if ((*p != '4' && *p != '5') || (p > folded &&
		    (isalnum((unsigned char)p[-1]) || p[-1] == '.' ||
		    p[-1] == '-' || p[-1] == ':')))
			continue;
		if (p[1] < '0' || p[1] > '5' || !isdigit((unsigned char)p[2]) ||
		    (p[3] != ' ' && p[3] != '-'))
			continue;
		return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	}
	return 0;
}

/*
 * A reply of several lines repeats its codes on each ("550-5.7.1 Our
 * system ... 550-5.7.1 likely unsolicited"); removed after the first,
 * so that the sentence they cut reads whole again.
 */
static void
drop_continuations(char *folded, int reply)
{
	char code[8];
	char *p, *w;

	if (reply == 0)
		return;
	snprintf(code, sizeof(code), "%d", reply);
	p = strstr(folded, code);
	if (p == NULL)
		return;
	for (p += 3, w = p; *p != '\0';) {
		if (strncmp(p, code, 3) == 0 && (p[3] == '-' || p[3] == ' ') &&
		    (p == folded || p[-1] == ' ')) {
			size_t n = 4;

			/* and the enhanced code after it, if any */
			while (isdigit((unsigned char)p[n]) || p[n] == '.')
				n++;
			if (p[n] == ' ')
				n++;
			p += n;
			continue;
		}
		*w++ = *p++;
	}
	*w = '\0';
}

/* What is known of one recipient's failure. */
struct facts {
	/* reasons the diagnostic's phrases name */
	uint64_t	 words;
	uint64_t	 settled;	/* those named whatever the command */
	enum reason_id	 coded;		/* the reason its status code names */
	const char	*status;
	const char	*command;
	const char	*action;
	int		 reply;		/* SMTP reply code, or 0 */
};

/* Commands answered before the message was sent: no content to judge. */
static int
before_data(const char *command)
{
	return strcmp(command, "CONN") == 0 || strcmp(command, "EHLO") == 0 ||
	    strcmp(command, "HELO") == 0 || strcmp(command, "MAIL") == 0 ||
	    strcmp(command, "RCPT") == 0;
}

/*
 * The first look, reason by reason in the order below: does the status
 * code name it, do the words name it where the command allows it? The
 * command matters: "unknown user" answered to RCPT is a dead address,
 * the same words after DATA are a filter speaking, and to MAIL they are
 * about the sender.
 */
static const enum reason_id first_look[] = {
	R_MAILBOXFULL, R_MESGTOOBIG, R_EXCEEDLIMIT, R_SUSPEND, R_HASMOVED,
	R_NORELAYING, R_AUTHFAILURE, R_USERUNKNOWN, R_FILTERED, R_REQUIREPTR,
	R_NOTCOMPLIANTRFC, R_BADREPUTATION, R_CONTENTERROR, R_REJECTED,
	R_HOSTUNKNOWN, R_SPAMDETECTED, R_SPEEDING, R_TOOMANYCONN, R_BLOCKED,
	R_NETWORKERROR,
};

static int
probe(enum reason_id r, const struct facts *f)
{
	const uint64_t not_unknown = BIT(R_NORELAYING) | BIT(R_BLOCKED) |
	    BIT(R_MAILBOXFULL) | BIT(R_HASMOVED) | BIT(R_REJECTED) |
	    BIT(R_NOTACCEPT);

	switch (r) {
	case R_MESGTOOBIG:
		if (f->coded == R_EXCEEDLIMIT)
			return 0;
		return f->coded == r || SAYS(f, r);
	case R_SUSPEND:
		return f->reply == 525 || SAYS(f, r);
	case R_NORELAYING:
		if (strcmp(f->command, "CONN") == 0 ||
		    strcmp(f->command, "EHLO") == 0 ||
		    strcmp(f->command, "HELO") == 0)
			return 0;
		return SAYS(f, r);
	case R_USERUNKNOWN:
		/* An address refused at MAIL is ours, the sender's. */
		if (strcmp(f->command, "MAIL") == 0)
			return 0;
		if (f->coded == R_USERUNKNOWN)
			return (f->words & not_unknown) == 0;
		if (f->coded == R_SUSPEND)
			return 0;
		return strcmp(f->command, "RCPT") == 0 && SAYS(f, r);
	case R_FILTERED:
		if (f->coded == R_SUSPEND)
			return 0;
		if (f->coded != R_FILTERED && before_data(f->command))
			return 0;
		return SAYS(f, R_FILTERED) || SAYS(f, R_USERUNKNOWN);
	case R_CONTENTERROR:
		if (probe(R_SPAMDETECTED, f))
			return 0;
		return f->coded == r || SAYS(f, r);
	case R_REJECTED:
		if (f->coded == r)
			return 1;
		if (strcmp(f->command, "MAIL") == 0)
			return SAYS(f, r) || f->coded == R_USERUNKNOWN;
		if (strcmp(f->command, "DATA") == 0)
			return f->coded != R_USERUNKNOWN && SAYS(f, r);
		if (f->coded == R_NONE || f->coded == R_SECURITYERROR ||
		    f->coded == R_SYSTEMERROR)
			return SAYS(f, r);
		return 0;
	case R_HOSTUNKNOWN:
		if (f->coded == r)
			return !SAYS(f, R_NETWORKERROR);
		return SAYS(f, r);
	case R_SPAMDETECTED:
		if (f->status[0] == '\0')
			return 0;
		if (f->coded == r)
			return 1;
		return !before_data(f->command) && SAYS(f, r);
	case R_SPEEDING:
		/* A limit on connections is not one on messages. */
		return SAYS(f, r) && !SAYS(f, R_TOOMANYCONN);
	case R_NOTCOMPLIANTRFC:
	case R_BADREPUTATION:
		return SAYS(f, r);
	case R_NETWORKERROR:
		/* A loop or a lost route, said by both code and words. */
		return f->coded == r && SAYS(f, r);
	default:
		return f->coded == r || SAYS(f, r);
	}
}

/*
 * The second look, when the first found nothing: the words alone, for
 * the reasons no command or code contradicts.
 */
static const enum reason_id second_look[] = {
	R_MAILBOXFULL, R_AUTHFAILURE, R_BADREPUTATION, R_SPEEDING,
	R_SPAMDETECTED, R_VIRUSDETECTED, R_POLICYVIOLATION, R_NORELAYING,
	R_SYSTEMERROR, R_NETWORKERROR, R_SUSPEND, R_CONTENTERROR,
	R_SYSTEMFULL, R_NOTACCEPT, R_EXPIRED, R_FAILEDSTARTTLS,
	R_SECURITYERROR, R_SUPPRESSED, R_MAILERERROR,
};

static enum reason_id
second(const struct facts *f)
{
	size_t i;

	for (i = 0; i < sizeof(second_look) / sizeof(second_look[0]); i++)
		if (SAYS(f, second_look[i]))
			return second_look[i];
	if (f->coded != R_NONE)
		return f->coded;
	if (f->status[0] != '\0' && strcmp(f->status + 1, ".0.0") != 0) {
		if (strncmp(f->status + 1, ".6.", 3) == 0)
			return R_CONTENTERROR;
		if (strncmp(f->status + 1, ".7.", 3) == 0)
			return R_SECURITYERROR;
	}
	/* RFC 5321: "451 Requested action aborted: local error" */
	if (f->reply == 451 && (f->status[0] == '\0' ||
	    strcmp(f->status + 1, ".0.0") == 0))
		return R_SYSTEMERROR;
	if (SAYS(f, R_SYNTAXERROR) || (f->reply > 500 && f->reply < 508) ||
	    (f->reply > 400 && f->reply < 408))
		return R_SYNTAXERROR;
	if (strcasecmp(f->action, "delayed") == 0 ||
	    strcasecmp(f->action, "expired") == 0)
		return R_EXPIRED;
	if (strcmp(f->command, "EHLO") == 0 || strcmp(f->command, "HELO") == 0)
		return R_BLOCKED;
	return R_NONE;
}

/*
 * Is the diagnostic an SMTP server's ("smtp; 550 ...", or untyped), not
 * a local program's ("x-unix; procmail: ...")? Only a server's words go
 * through the first look, which weighs them against SMTP commands.
 */
static int
is_smtp_diag(const char *folded)
{
	size_t n = strspn(folded, "abcdefghijklmnopqrstuvwxyz0123456789-");

	if (n == 0 || folded[n] != ';')
		return 1;
	return n == 4 && strncmp(folded, "smtp", 4) == 0;
}

/*
 * Whether the text says a host name does not exist ("553 mx.example.com
 * does not exist"): the word before "does not exist" is a dotted name
 * ending in letters, with no '@' (that would be a mailbox) and not
 * introduced as a mailbox, user or account.
 */
static int
names_missing_host(const char *folded)
{
	static const char *const mailbox_words[] = { "mailbox ", "user ",
	    "account ", "recipient ", "address " };
	const char *p;

	for (p = strstr(folded, " does not exist"); p != NULL;
	    p = strstr(p + 1, " does not exist")) {
		const char *w = p, *dot = NULL;
		size_t i;
		int named = 0;

		if (p == folded)
			continue;
		while (w > folded && w[-1] != ' ') {
			w--;
			if (*w == '@' || *w == '/' || *w == ':')
				break;
			if (*w == '.' && dot == NULL)
				dot = w;
		}
		if ((w > folded && w[-1] != ' ') || dot == NULL ||
		    !isalpha((unsigned char)p[-1]) || *w == '.')
			continue;
		for (i = 0; i < sizeof(mailbox_words) /
		    sizeof(mailbox_words[0]); i++) {
			size_t n = strlen(mailbox_words[i]);

			if ((size_t)(w - folded) >= n &&
			    strncmp(w - n, mailbox_words[i], n) == 0)
				named = 1;
		}
		if (!named)
			return 1;
	}
	return 0;
}

/*
 * A local mailer that said only its exit status ("x-unix; 77"): what
 * sysexits.h says that status means, or R_NONE. A number it does not
 * define is the program's own failure, left to the words' mailererror.
 */
static enum reason_id
exit_status_reason(const char *folded)
{
	const char *p = folded + strlen("x-unix;");
	char *end;
	long status;

	if (strncmp(folded, "x-unix;", strlen("x-unix;")) != 0)
		return R_NONE;
	while (*p == ' ')
		p++;
	status = strtol(p, &end, 10);
	if (end == p || *end != '\0')
		return R_NONE;
	if (status == 67)		/* EX_NOUSER */
		return R_USERUNKNOWN;
	if (status == 68)		/* EX_NOHOST */
		return R_HOSTUNKNOWN;
	if (status >= 69 && status <= 78 && status != 76)
		return R_SYSTEMERROR;	/* unavailable, OS, I/O, tempfail... */
	return R_NONE;
}

const char *
reason_of(const struct reason_input *in)
{
	struct facts f;
	char folded[4096];
	size_t i;
	enum reason_id r;

	memset(&f, 0, sizeof(f));
	f.status = in->status != NULL ? in->status : "";
	f.action = in->action != NULL ? in->action : "";
	f.command = in->command != NULL ? in->command : "";
	if (f.status[0] == '2' || strcmp(f.action, "delivered") == 0)
		return "delivered";
	folded[0] = '\0';
	if (in->diag != NULL)
		reason_fold(in->diag, strlen(in->diag), folded, sizeof(folded));
	f.reply = reason_reply_code(folded);
	drop_continuations(folded, f.reply);
	f.words = reasons_in(folded, &f.settled);
	if (names_missing_host(folded))
		f.words |= BIT(R_HOSTUNKNOWN);
	/*
	 * A name the resolver could not find, under a temporary status
	 * (Gmail's "4.0.0 DNS Error: ... NXDOMAIN"), is a lookup that may
	 * yet succeed: the network's trouble, not a domain known dead.
	 */
	if (f.status[0] == '4' && SAYS(&f, R_HOSTUNKNOWN)) {
		f.words &= ~BIT(R_HOSTUNKNOWN);
		f.words |= BIT(R_NETWORKERROR);
	}
	f.coded = status_reason(f.status);
	/*
	 * A server that refused us at its greeting or our name refused
	 * the host, whatever else the report says.
	 */
	if ((strcmp(f.command, "CONN") == 0 || strcmp(f.command, "HELO") == 0
	    || strcmp(f.command, "EHLO") == 0) && f.reply >= 500 &&
	    (f.settled & BIT(R_REQUIREPTR)) == 0)
		return "blocked";
	r = exit_status_reason(folded);
	if (r != R_NONE)
		return reason_names[r];
	for (r = R_NONE + 1; f.settled != 0 && r < R_COUNT; r++)
		if ((f.settled & BIT(r)) != 0)
			return reason_names[r];
	for (i = 0; is_smtp_diag(folded) &&
	    i < sizeof(first_look) / sizeof(first_look[0]); i++)
		if (probe(first_look[i], &f))
			return reason_names[first_look[i]];
	/*
	 * Refused at MAIL with nothing more said than a code ("550 5.7.1
	 * Access denied"): what was refused is the sender.
	 */
	if (strcmp(f.command, "MAIL") == 0 && f.words == 0)
		return "rejected";
	r = second(&f);
	if (r != R_NONE)
		return reason_names[r];
	if (strcmp(f.command, "CONN") == 0)
		return "blocked";
	if (strcmp(f.command, "MAIL") == 0)
		return "rejected";
	return folded[0] != '\0' ? "onhold" : "undefined";
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
