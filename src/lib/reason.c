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
#include "fold.h"

static const char *const reason_names[REASON_COUNT] = {
	"", "mailboxfull", "mesgtoobig", "exceedlimit", "suspend",
	"hasmoved", "norelaying", "authfailure", "userunknown", "filtered",
	"requireptr", "notcompliantrfc", "badreputation", "contenterror",
	"rejected", "hostunknown", "spamdetected", "speeding", "toomanyconn",
	"blocked", "virusdetected", "policyviolation", "systemerror",
	"networkerror", "systemfull", "notaccept", "expired",
	"failedstarttls", "securityerror", "suppressed", "mailererror",
	"syntaxerror", "delivered", "onhold", "undefined", "feedback",
	"vacation", "reply", "unsubscribe", "sign",
};

struct phrase {
	unsigned	 reason;	/* an enum reason, maybe SETTLED() */
	const char	*text;
};

/* A phrase that names its reason whatever the command it answered. */
#define SETTLED(r)	((r) | 64u)
#define PHRASE_REASON(p)	((enum reason)((p)->reason & 63u))
#define PHRASE_SETTLED(p)	(((p)->reason & 64u) != 0)

static const struct phrase phrases[] = {
	/* The mailbox exists but cannot take more. */
	{ REASON_MAILBOXFULL, "mailbox full" },
	{ REASON_MAILBOXFULL, "mailbox is full" },
	{ REASON_MAILBOXFULL, "mailbox * is full" },
	{ REASON_MAILBOXFULL, "mailbox size limit exceeded" },
	{ REASON_MAILBOXFULL, "mailbox has exceeded" },
	{ REASON_MAILBOXFULL, "mailbox exceeded" },
	{ REASON_MAILBOXFULL, "over quota" },
	{ REASON_MAILBOXFULL, "overquota" },
	{ REASON_MAILBOXFULL, "over the quota" },
	{ REASON_MAILBOXFULL, "quota exceeded" },
	{ REASON_MAILBOXFULL, "quota full" },
	{ REASON_MAILBOXFULL, "exceeded storage allocation" },
	{ REASON_MAILBOXFULL, "exceed the quota" },
	{ REASON_MAILBOXFULL, "exceeds the quota" },
	{ REASON_MAILBOXFULL, "user is over" },
	{ REASON_MAILBOXFULL, "out of storage" },
	{ REASON_MAILBOXFULL, "too much mail data" },
	{ REASON_MAILBOXFULL, "not enough storage space" },
	{ REASON_MAILBOXFULL, "account is full" },
	{ REASON_MAILBOXFULL, "user has exhausted allowed storage space" },
	{ REASON_MAILBOXFULL, "mail box full" },
	{ REASON_MAILBOXFULL, "mailfolder is full" },
	{ REASON_MAILBOXFULL, "is over its storage quota" },
	{ REASON_MAILBOXFULL, "disk quota" },
	{ REASON_MAILBOXFULL, "mailbox would exceed" },
	{ REASON_MAILBOXFULL, "mailbox exceeds" },
	{ REASON_MAILBOXFULL, "boite du destinataire pleine" },
	{ REASON_MAILBOXFULL, "postfach voll" },

	/* The message is too big. */
	{ REASON_MESGTOOBIG, "message too large" },
	{ REASON_MESGTOOBIG, "message too big" },
	{ REASON_MESGTOOBIG, "message is too big" },
	{ REASON_MESGTOOBIG, "message is too large" },
	{ REASON_MESGTOOBIG, "message size exceeds" },
	{ REASON_MESGTOOBIG, "message size limit" },
	{ REASON_MESGTOOBIG, "message exceeds * size limit" },
	{ REASON_MESGTOOBIG, "message length exceeds" },
	{ REASON_MESGTOOBIG, "size limit exceeded" },
	{ REASON_MESGTOOBIG, "exceeds maximum message size" },
	{ REASON_MESGTOOBIG, "exceeded maximum message size" },
	{ REASON_MESGTOOBIG, "exceeds size limit" },
	{ REASON_MESGTOOBIG, "message file too big" },
	{ REASON_MESGTOOBIG, "taille limite du message atteinte" },
	{ REASON_MESGTOOBIG, "line limit exceeded" },	/* a line too long */

	{ REASON_EXCEEDLIMIT, "header size exceeds" },
	{ REASON_EXCEEDLIMIT, "exceeded the limit" },
	{ REASON_EXCEEDLIMIT, "daily sending quota" },

	/* The account was closed or suspended for a while. */
	{ REASON_SUSPEND, "account disabled" },
	{ REASON_SUSPEND, "account is disabled" },
	{ REASON_SUSPEND, "account is suspended" },
	{ REASON_SUSPEND, "account suspended" },
	{ REASON_SUSPEND, "account inactive" },
	{ REASON_SUSPEND, "account is locked" },
	{ REASON_SUSPEND, "account temporarily" },
	{ REASON_SUSPEND, "account expired" },
	{ REASON_SUSPEND, "account has expired" },
	{ REASON_SUSPEND, "account is not active" },
	{ REASON_SUSPEND, "mailbox disabled" },
	{ REASON_SUSPEND, "mailbox is disabled" },
	{ REASON_SUSPEND, "mailbox unavailable or not local" },
	{ REASON_SUSPEND, "recipient suspended" },
	{ REASON_SUSPEND, "user suspended" },
	{ REASON_SUSPEND, "is inactive" },
	{ REASON_SUSPEND, "has been suspended" },
	{ REASON_SUSPEND, "has been disabled" },
	{ REASON_SUSPEND, "boite du destinataire archivee" },
	{ REASON_SUSPEND, "email account that you tried to reach is disabled" },
	{ REASON_SUSPEND, "invalid/inactive user" },
	{ REASON_SUSPEND, "this account has been temporarily suspended" },
	{ REASON_SUSPEND, "mailbox is frozen" },
	{ REASON_SUSPEND, "temporarily locked" },
	{ REASON_SUSPEND, "temporary locked" },
	{ REASON_SUSPEND, "recipient account is blocked" },

	{ REASON_HASMOVED, "address has moved" },
	{ REASON_HASMOVED, "has been replaced by" },
	{ REASON_HASMOVED, "user has moved" },
	{ REASON_HASMOVED, "recipient has moved" },

	/* Refusals of the sending host or domain, before the words they share
	 * with unknown users ("recipient address rejected: ..."). */
	{ REASON_AUTHFAILURE, "dkim signature" },
	{ REASON_AUTHFAILURE, "dkim check" },
	{ REASON_AUTHFAILURE, "dkim fail" },
	{ REASON_AUTHFAILURE, "dkim validation" },
	{ REASON_AUTHFAILURE, "dkim verification" },
	{ REASON_AUTHFAILURE, "dkim=fail" },
	{ REASON_AUTHFAILURE, "unauthenticated email" },
	{ REASON_AUTHFAILURE, "dmarc" },
	{ REASON_AUTHFAILURE, "sender policy framework" },
	{ REASON_AUTHFAILURE, "spf check" },
	{ REASON_AUTHFAILURE, "per its spf record" },
	{ REASON_AUTHFAILURE, "per it's spf record" },
	{ REASON_AUTHFAILURE, "bad spf record" },
	{ REASON_AUTHFAILURE, "spf fail" },
	{ REASON_AUTHFAILURE, "spf=fail" },
	{ REASON_AUTHFAILURE, "spf validation" },
	{ REASON_AUTHFAILURE, "spf softfail" },
	{ REASON_AUTHFAILURE, "spf policy" },
	{ REASON_AUTHFAILURE, "spf authentication" },
	{ REASON_AUTHFAILURE, "not authorized to send on behalf" },
	{ REASON_AUTHFAILURE, "authentication checks" },
	{ REASON_AUTHFAILURE, "does not have authentication information" },
	{ REASON_AUTHFAILURE, "failed authentication" },

	/* said only of a missing PTR: it decides even at the greeting */
	{ SETTLED(REASON_REQUIREPTR), "must have a ptr record" },
	{ SETTLED(REASON_REQUIREPTR), "no ptr record found" },
	{ SETTLED(REASON_REQUIREPTR), "ptr record setup" },
	{ SETTLED(REASON_REQUIREPTR), "fix reverse dns for" },
	{ SETTLED(REASON_REQUIREPTR), "reverse dns required" },
	{ REASON_REQUIREPTR, "reverse dns" },
	{ REASON_REQUIREPTR, "reverse lookup" },
	{ REASON_REQUIREPTR, "ptr record" },
	{ REASON_REQUIREPTR, "rdns" },
	{ REASON_REQUIREPTR, "cannot find your hostname" },
	{ REASON_REQUIREPTR, "client host rejected: cannot find your" },
	{ REASON_REQUIREPTR, "your host name doesn't match" },
	{ REASON_REQUIREPTR, "does not have a reverse" },
	{ REASON_REQUIREPTR, "no reverse" },
	{ REASON_REQUIREPTR, "unresolvable ip" },
	/* sending addresses whose name and address do not match */
	{ REASON_REQUIREPTR, "unverifyable sending ip" },
	{ REASON_REQUIREPTR, "unverifiable sending ip" },
	{ REASON_REQUIREPTR, "mismatches client ip" },
	{ REASON_REQUIREPTR, "ip name lookup failed" },

	{ REASON_NORELAYING, "relaying denied" },
	{ REASON_NORELAYING, "relay denied" },
	{ REASON_NORELAYING, "relay access denied" },
	{ REASON_NORELAYING, "relaying not permitted" },
	{ REASON_NORELAYING, "relaying not allowed" },
	{ REASON_NORELAYING, "relay not permitted" },
	{ REASON_NORELAYING, "relay not allowed" },
	{ REASON_NORELAYING, "unable to relay" },
	{ REASON_NORELAYING, "we do not relay" },
	{ REASON_NORELAYING, "not permitted to relay" },
	{ REASON_NORELAYING, "relaying mail to * is not allowed" },
	{ REASON_NORELAYING, "no relaying" },
	/* A sending service's own sandbox: not ours to send for. */
	{ REASON_NORELAYING, "email address is not verified" },
	{ REASON_NORELAYING, "mail server permanently rejected "
	    "message (#5.3.0)" },
	{ REASON_NORELAYING, "this system is not configured to relay mail" },
	{ REASON_NORELAYING, "insecure mail relay" },
	{ REASON_NORELAYING, "relay prohibited" },
	{ REASON_NORELAYING, "domain isn't in my list of allowed rcpthosts" },

	/* No such person. */
	{ REASON_USERUNKNOWN, "user unknown" },
	{ REASON_USERUNKNOWN, "unknown user" },
	{ REASON_USERUNKNOWN, "user not known" },
	/* Postfix at RCPT, with no more said or the plainest reasons. */
	{ REASON_USERUNKNOWN, "recipient address rejected." },
	{ REASON_USERUNKNOWN, "recipient address rejected: access denied" },
	{ REASON_USERUNKNOWN, "unknown recipient" },
	{ REASON_USERUNKNOWN, "recipient unknown" },
	{ REASON_USERUNKNOWN, "unknown address" },
	{ REASON_USERUNKNOWN, "address unknown" },
	{ REASON_USERUNKNOWN, "unknown local part" },
	{ REASON_USERUNKNOWN, "unknown mailbox" },
	{ REASON_USERUNKNOWN, "no such user" },
	{ REASON_USERUNKNOWN, "no such mailbox" },
	{ REASON_USERUNKNOWN, "no such recipient" },
	{ REASON_USERUNKNOWN, "no such address" },
	{ REASON_USERUNKNOWN, "no such person" },
	{ REASON_USERUNKNOWN, "no such account" },
	{ REASON_USERUNKNOWN, "no mailbox here by that name" },
	{ REASON_USERUNKNOWN, "no mailbox found" },
	{ REASON_USERUNKNOWN, "no account by that name" },
	{ REASON_USERUNKNOWN, "user does not exist" },
	{ REASON_USERUNKNOWN, "user doesn't exist" },
	{ REASON_USERUNKNOWN, "user not found" },
	{ REASON_USERUNKNOWN, "user doesn't have a" },
	{ REASON_USERUNKNOWN, "mailbox does not exist" },
	{ REASON_USERUNKNOWN, "mailbox not found" },
	{ REASON_USERUNKNOWN, "mailbox unavailable" },
	{ REASON_USERUNKNOWN, "mailbox * does not exist" },
	{ REASON_USERUNKNOWN, "mailbox not present" },
	{ REASON_USERUNKNOWN, "mailbox is unavailable" },
	{ REASON_USERUNKNOWN, "mailbox invalid" },
	{ REASON_USERUNKNOWN, "address does not exist" },
	{ REASON_USERUNKNOWN, "address doesn't exist" },
	{ REASON_USERUNKNOWN, "address not found" },
	{ REASON_USERUNKNOWN, "account does not exist" },
	{ REASON_USERUNKNOWN, "account doesn't exist" },
	{ REASON_USERUNKNOWN, "recipient does not exist" },
	{ REASON_USERUNKNOWN, "recipient not found" },
	{ REASON_USERUNKNOWN, "recipient address rejected: "
	    "undeliverable address" },
	{ REASON_USERUNKNOWN, "invalid recipient" },
	{ REASON_USERUNKNOWN, "invalid mailbox" },
	{ REASON_USERUNKNOWN, "invalid address" },
	{ REASON_USERUNKNOWN, "invalid user" },
	{ REASON_USERUNKNOWN, "bad recipient" },
	{ REASON_USERUNKNOWN, "bad address" },
	{ REASON_USERUNKNOWN, "bad destination mailbox" },
	{ REASON_USERUNKNOWN, "not a valid recipient" },
	{ REASON_USERUNKNOWN, "not a valid mailbox" },
	{ REASON_USERUNKNOWN, "is not a valid" },
	{ REASON_USERUNKNOWN, "not a known user" },
	{ REASON_USERUNKNOWN, "not our customer" },
	{ REASON_USERUNKNOWN, "not listed in" },
	{ REASON_USERUNKNOWN, "email address could not be found" },
	/* Gmail of an address it looked up and found missing */
	{ SETTLED(REASON_USERUNKNOWN),
	    "because the address couldn't be found" },
	{ REASON_USERUNKNOWN, "email account that you tried to reach "
	    "does not exist" },
	{ REASON_USERUNKNOWN, "the email account that you tried to reach "
	    "does not" },
	{ REASON_USERUNKNOWN, "said: 550 5.1.1" },
	{ REASON_USERUNKNOWN, "does not have an account here" },
	{ REASON_USERUNKNOWN, "no user with that name" },
	{ REASON_USERUNKNOWN, "non-existent user" },
	{ REASON_USERUNKNOWN, "nonexistent user" },
	{ REASON_USERUNKNOWN, "non existent user" },
	{ REASON_USERUNKNOWN, "addressee unknown" },
	{ REASON_USERUNKNOWN, "destination addresses were unknown" },
	{ REASON_USERUNKNOWN, "recipient rejected" },
	{ REASON_USERUNKNOWN, "there is no one at this address" },
	{ REASON_USERUNKNOWN, "unknown or illegal alias" },
	{ REASON_USERUNKNOWN, "delivery failed for the following recipient" },
	{ REASON_USERUNKNOWN, "no such local user" },
	{ REASON_USERUNKNOWN, "destinataire inconnu" },
	{ REASON_USERUNKNOWN, "utilisateur inconnu" },
	{ REASON_USERUNKNOWN, "adresse d au moins un destinataire invalide" },
	{ REASON_USERUNKNOWN, "unbekannter empfaenger" },
	{ REASON_USERUNKNOWN, "unbekannter empfänger" },
	{ REASON_USERUNKNOWN, "usuario desconocido" },
	{ REASON_USERUNKNOWN, "unknown e-mail address" },
	{ REASON_USERUNKNOWN, "the email address wasn*t found" },
	/* "<ann@example.org> ..." */
	{ REASON_USERUNKNOWN, "> does not exist" },
	{ REASON_USERUNKNOWN, "user not exist" },
	/*
	 * What mailbox servers say after looking the name up in their own
	 * directory, not what a filter says: no command makes them filters.
	 */
	{ SETTLED(REASON_USERUNKNOWN), "recipient name is not recognized" },
	{ SETTLED(REASON_USERUNKNOWN),
	    "not listed in public name & address book" },
	{ SETTLED(REASON_USERUNKNOWN), "not listed in domino directory" },
	/* IMail */
	{ SETTLED(REASON_USERUNKNOWN), "invalid final delivery userid" },

	/* The recipient filters what reaches them. */
	{ REASON_FILTERED, "due to extended inactivity new mail is not "
	    "currently being accepted" },
	{ REASON_FILTERED, "refused by recipient" },
	{ REASON_FILTERED, "rejected by recipient" },
	{ REASON_FILTERED, "delivery not authorized" },
	{ REASON_FILTERED, "message filtered" },
	{ REASON_FILTERED, "message rejected due to user rules" },
	{ REASON_FILTERED, "not accepting mail from" },
	{ REASON_FILTERED, "this account is protected by" },
	{ REASON_FILTERED, "user refuses to accept" },
	{ REASON_FILTERED, "recipient has chosen not to" },
	{ REASON_FILTERED, "domain of sender address" },
	{ REASON_FILTERED, "has restricted who can send" },
	{ REASON_FILTERED, "permission to post" },
	{ REASON_FILTERED, "you do not have permission" },
	{ REASON_FILTERED, "does not accept mail from" },
	{ REASON_FILTERED, "blocked by the recipient" },
	{ REASON_FILTERED, "the user you are trying to reach is refusing" },
	/* the mailbox exists; its owner does not want this mail */
	{ SETTLED(REASON_FILTERED), "due to recipient preferences" },
	/* qmail's list of addresses it refuses mail for */
	{ SETTLED(REASON_FILTERED), "badrcptto" },

	/* The sender was refused. */
	{ REASON_REJECTED, "sender rejected" },
	{ REASON_REJECTED, "sender address rejected" },
	{ REASON_REJECTED, "sender verify failed" },
	{ REASON_REJECTED, "sender is not allowed" },
	{ REASON_REJECTED, "sender denied" },
	{ REASON_REJECTED, "sender blocked" },
	{ REASON_REJECTED, "domain of sender address * does not exist" },
	{ REASON_REJECTED, "from address rejected" },
	{ REASON_REJECTED, "address rejected: domain not found" },
	{ REASON_REJECTED, "rejected sender" },
	{ REASON_REJECTED, "rejected by destination domain" },
	{ REASON_REJECTED, "sender was rejected" },
	{ REASON_REJECTED, "invalid sender" },
	{ REASON_REJECTED, "bad sender" },
	{ REASON_REJECTED, "mail from rejected" },
	{ REASON_REJECTED, "envelope blocked" },
	{ REASON_REJECTED, "your envelope sender" },
	{ REASON_REJECTED, "sender domain" },
	/* the address, not the host, is on the list */
	{ REASON_REJECTED, "address that has been blacklisted" },
	/* every recipient at once: it is the sender that is refused */
	{ REASON_REJECTED, "all recipient addresses rejected" },
	/* Sender ID: no sender to hold responsible */
	{ REASON_REJECTED, "purported responsible address" },
	{ REASON_REJECTED, "provide a valid from" },
	/* the sending gateway is not one the receiver lets in */
	{ REASON_REJECTED, "is not a registered gateway user" },

	/* No such domain. */
	{ REASON_HOSTUNKNOWN, "host unknown" },
	{ REASON_HOSTUNKNOWN, "unknown host" },
	{ REASON_HOSTUNKNOWN, "host not found" },
	{ REASON_HOSTUNKNOWN, "host * not found" },
	{ REASON_HOSTUNKNOWN, "domain not found" },
	{ REASON_HOSTUNKNOWN, "domain does not exist" },
	{ REASON_HOSTUNKNOWN, "no such domain" },
	{ REASON_HOSTUNKNOWN, "unknown domain" },
	{ REASON_HOSTUNKNOWN, "name or service not known" },
	{ REASON_HOSTUNKNOWN, "name service error" },
	{ REASON_HOSTUNKNOWN, "host or domain name not found" },
	{ REASON_HOSTUNKNOWN, "domain must exist" },
	{ REASON_HOSTUNKNOWN, "unrouteable mail domain" },
	{ REASON_HOSTUNKNOWN, "domain is not reachable" },
	{ REASON_HOSTUNKNOWN, "illegal host/domain name found" },
	{ REASON_HOSTUNKNOWN, "the domain * does not exist" },
	{ REASON_HOSTUNKNOWN, "dns error: dns type 'mx' lookup of" },
	{ REASON_HOSTUNKNOWN, "nxdomain" },
	{ REASON_HOSTUNKNOWN, "unrouteable address" },
	{ REASON_HOSTUNKNOWN, "unroutable address" },
	{ REASON_HOSTUNKNOWN, "account or domain may not exist" },

	/* The content looked like spam. */
	{ REASON_SPAMDETECTED, "spam" },
	{ REASON_SPAMDETECTED, "junk mail" },
	{ REASON_SPAMDETECTED, "bulk mail" },
	{ REASON_SPAMDETECTED, "unsolicited" },
	{ REASON_SPAMDETECTED, "content filter" },
	{ REASON_SPAMDETECTED, "message content rejected" },
	{ REASON_SPAMDETECTED, "rejected due to content" },
	{ REASON_SPAMDETECTED, "blocked by the content" },

	{ REASON_VIRUSDETECTED, "virus" },
	{ REASON_VIRUSDETECTED, "malware" },
	{ REASON_VIRUSDETECTED, "infected" },

	/* A link in the message is on a list: the content, not the host. */
	{ SETTLED(REASON_SPAMDETECTED), "blacklisted url" },
	{ SETTLED(REASON_SPAMDETECTED), "uribl" },
	{ SETTLED(REASON_SPAMDETECTED), "surbl" },

	{ REASON_FAILEDSTARTTLS, "does not support tls" },
	{ REASON_FAILEDSTARTTLS, "does not support starttls" },
	{ REASON_FAILEDSTARTTLS, "tls negotiation failed" },

	{ REASON_TOOMANYCONN, "too many connections" },
	{ REASON_TOOMANYCONN, "too many concurrent" },
	{ REASON_TOOMANYCONN, "too many smtp sessions" },
	{ REASON_TOOMANYCONN, "connection limit" },
	{ REASON_TOOMANYCONN, "too many simultaneous" },
	{ REASON_TOOMANYCONN, "frequency limited" },
	{ REASON_TOOMANYCONN, "connection rate limit" },
	/* Too many for one message: a limit of the session, not the size. */
	{ REASON_TOOMANYCONN, "too many recipients" },

	{ REASON_SPEEDING, "rate limit" },
	{ REASON_SPEEDING, "ratelimit" },
	{ REASON_SPEEDING, "too many messages" },
	{ REASON_SPEEDING, "receiving mail at a rate" },
	{ REASON_SPEEDING, "sending rate" },
	{ REASON_SPEEDING, "rate that prevents additional messages" },
	/* a rate over time, not too many for one message */
	{ SETTLED(REASON_SPEEDING), "sent to too many recipients" },

	{ REASON_BADREPUTATION, "reputation" },
	{ REASON_BADREPUTATION, "poor sender" },
	{ REASON_BADREPUTATION, "low sender score" },
	{ REASON_BADREPUTATION, "unexpected volume" },
	{ REASON_BADREPUTATION, "user complaints" },

	{ REASON_NOTCOMPLIANTRFC, "rfc 5322" },
	{ REASON_NOTCOMPLIANTRFC, "rfc5322" },
	{ REASON_NOTCOMPLIANTRFC, "rfc 2822" },
	{ REASON_NOTCOMPLIANTRFC, "rfc2822" },
	{ REASON_NOTCOMPLIANTRFC, "multiple from" },
	{ REASON_NOTCOMPLIANTRFC, "duplicate header" },
	{ REASON_NOTCOMPLIANTRFC, "not compliant" },
	{ REASON_NOTCOMPLIANTRFC, "multiple addresses in from" },

	/*
	 * The sending host was refused. A bare "access denied" is not here:
	 * servers say it of relays, senders and recipients alike, so the
	 * code beside it decides.
	 */
	{ REASON_BLOCKED, "your isp" },
	{ REASON_BLOCKED, "internet service provider" },
	{ REASON_BLOCKED, "blacklist" },
	{ REASON_BLOCKED, "blocklist" },
	{ REASON_BLOCKED, "block list" },
	{ REASON_BLOCKED, "black list" },
	{ REASON_BLOCKED, "denylist" },
	{ REASON_BLOCKED, "listed in" },
	{ REASON_BLOCKED, "listed on" },
	{ REASON_BLOCKED, "is listed" },
	{ REASON_BLOCKED, "dnsbl" },
	{ REASON_BLOCKED, "rbl" },
	{ REASON_BLOCKED, "spamhaus" },
	{ REASON_BLOCKED, "spamcop" },
	{ REASON_BLOCKED, "client host rejected" },
	/* the host, whatever it was blocked for */
	{ SETTLED(REASON_BLOCKED), "client host blocked" },
	{ SETTLED(REASON_BLOCKED), "client host * blocked" },
	{ REASON_BLOCKED, "connection refused" },
	{ REASON_BLOCKED, "connection rejected" },
	{ REASON_BLOCKED, "access denied for" },
	{ REASON_BLOCKED, "blocked using" },
	{ REASON_BLOCKED, "your ip" },
	{ REASON_BLOCKED, "invalid ip" },
	{ REASON_BLOCKED, "not accepting connections" },
	{ REASON_BLOCKED, "ip address * blocked" },
	{ REASON_BLOCKED, "has been blocked" },
	{ REASON_BLOCKED, "host blocked" },
	{ REASON_BLOCKED, "ip blocked" },
	{ REASON_BLOCKED, "blocked by" },
	{ REASON_BLOCKED, "refused to talk to me" },
	{ REASON_BLOCKED, "not allowed to send" },
	{ REASON_BLOCKED, "banned" },
	{ REASON_BLOCKED, "dial-up" },
	{ REASON_BLOCKED, "dynamic ip" },
	{ REASON_BLOCKED, "residential" },

	{ REASON_POLICYVIOLATION, "denied by policy" },
	{ REASON_POLICYVIOLATION, "for policy reasons" },
	{ REASON_POLICYVIOLATION, "local policy" },
	{ REASON_POLICYVIOLATION, "organization policy" },
	{ REASON_POLICYVIOLATION, "security policies" },
	{ REASON_POLICYVIOLATION, "policy rejection" },
	{ REASON_POLICYVIOLATION, "prohibited" },
	{ REASON_POLICYVIOLATION, "attachment" },
	{ REASON_POLICYVIOLATION, "protocol violation" },
	{ REASON_POLICYVIOLATION, "network not allowed" },
	/* Gmail */
	{ REASON_POLICYVIOLATION, "content presents a potential" },
	/* a header the receiver's rules refuse, under a 5.7 code */
	{ REASON_POLICYVIOLATION, "header error" },

	/* not a relay refused: one that wants us to log in first */
	{ SETTLED(REASON_SECURITYERROR), "without authentication" },
	{ SETTLED(REASON_SECURITYERROR), "turn on smtp authentication" },
	{ REASON_SECURITYERROR, "unauthenticated sender" },
	{ REASON_SECURITYERROR, "tls required" },
	{ REASON_SECURITYERROR, "starttls" },
	{ REASON_SECURITYERROR, "encryption required" },
	{ REASON_SECURITYERROR, "insecure" },
	{ REASON_SECURITYERROR, "authorization required" },
	{ REASON_SECURITYERROR, "authentication" },

	{ REASON_SYSTEMFULL, "system full" },
	{ REASON_SYSTEMFULL, "disk full" },
	{ REASON_SYSTEMFULL, "insufficient system storage" },
	/* the server's */
	{ REASON_SYSTEMFULL, "insufficient disk space" },
	{ REASON_SYSTEMFULL, "out of disk space" },
	{ REASON_SYSTEMFULL, "not enough disk space" },

	{ REASON_SYSTEMERROR, "system error" },
	{ REASON_SYSTEMERROR, "server error" },
	{ REASON_SYSTEMERROR, "internal error" },
	{ REASON_SYSTEMERROR, "temporary error" },
	{ REASON_SYSTEMERROR, "local error" },
	{ REASON_SYSTEMERROR, "system config error" },
	{ REASON_SYSTEMERROR, "server configuration" },
	{ REASON_SYSTEMERROR, "service unavailable" },
	{ REASON_SYSTEMERROR, "service currently unavailable" },
	/* Postfix's disk */
	{ REASON_SYSTEMERROR, "queue file write error" },
	{ REASON_SYSTEMERROR, "problem with the recipient's" },
	{ REASON_SYSTEMERROR, "transaction failed" },	/* RFC 5321's 554 */
	/* the directory that says who exists did not answer */
	{ REASON_SYSTEMERROR, "unable to contact ldap" },

	{ REASON_EXPIRED, "retry time not reached" },
	{ REASON_EXPIRED, "timed out" },
	{ REASON_EXPIRED, "envelope expired" },
	{ REASON_EXPIRED, "giving up" },
	{ REASON_EXPIRED, "socket error" },
	{ REASON_EXPIRED, "did not accept our requests to connect" },
	{ REASON_EXPIRED, "failing for a long time" },
	{ REASON_EXPIRED, "temporary problem delivering" },
	{ REASON_EXPIRED, "will retry for" },
	{ REASON_EXPIRED, "will be retried" },
	{ REASON_EXPIRED, "delivery failed * attempts" },
	{ REASON_EXPIRED, "retry timeout exceeded" },
	{ REASON_EXPIRED, "could not be delivered within" },
	{ REASON_EXPIRED, "was not delivered within" },
	{ REASON_EXPIRED, "delivery time expired" },
	{ REASON_EXPIRED, "message expired" },
	{ REASON_EXPIRED, "expired after" },
	{ REASON_EXPIRED, "delivery expired" },
	{ REASON_EXPIRED, "gave up" },
	{ REASON_EXPIRED, "in the queue too long" },
	{ REASON_EXPIRED, "has not been delivered" },
	{ REASON_EXPIRED, "not yet been delivered" },
	{ REASON_EXPIRED, "unable to deliver for" },
	{ REASON_EXPIRED, "delivery attempts will continue" },
	{ REASON_EXPIRED, "could not be delivered for" },
	{ REASON_EXPIRED, "was aborted after" },

	{ REASON_NETWORKERROR, "could not connect" },
	{ REASON_NETWORKERROR, "network error" },
	{ REASON_NETWORKERROR, "network is unreachable" },
	{ REASON_NETWORKERROR, "no route to host" },
	{ REASON_NETWORKERROR, "host unreachable" },
	{ REASON_NETWORKERROR, "lost connection" },
	{ REASON_NETWORKERROR, "connection reset" },
	{ REASON_NETWORKERROR, "connection dropped" },
	{ REASON_NETWORKERROR, "dns lookup failure" },
	{ REASON_NETWORKERROR, "host name lookup failure" },
	{ REASON_NETWORKERROR, "dns failure" },
	{ REASON_NETWORKERROR, "temporary lookup failure" },
	{ REASON_NETWORKERROR, "malformed or unexpected name server reply" },
	{ REASON_NETWORKERROR, "name server timeout" },
	{ REASON_NETWORKERROR, "hop count exceeded" },
	{ REASON_NETWORKERROR, "too many hops" },
	{ REASON_NETWORKERROR, "mail loop" },
	{ REASON_NETWORKERROR, "loops back to myself" },
	{ REASON_NETWORKERROR, "routing loop" },
	{ REASON_NETWORKERROR, "mail for * loops back" },
	{ REASON_NETWORKERROR, "dns query failed" },
	/* Postfix: the resolver's TRY_AGAIN, not a name known not to exist */
	{ SETTLED(REASON_NETWORKERROR), "host not found, try again" },
	{ REASON_NETWORKERROR, "had no relevant answers" },

	{ REASON_CONTENTERROR, "message header" },
	{ REASON_CONTENTERROR, "illegal attachment" },
	{ REASON_CONTENTERROR, "improper use of 8-bit data" },
	{ REASON_CONTENTERROR, "message contains invalid" },
	{ REASON_CONTENTERROR, "message contains bare" },

	{ REASON_NOTACCEPT, "does not accept mail" },
	{ REASON_NOTACCEPT, "not accepting mail" },
	{ REASON_NOTACCEPT, "null mx" },
	{ REASON_NOTACCEPT, "does not receive mail" },
	{ REASON_NOTACCEPT, "this domain does not receive" },
	{ REASON_NOTACCEPT, "no mx found" },
	/* a domain that exists (else: not found) but names no mail host */
	{ REASON_NOTACCEPT, "no mx record" },
	{ REASON_NOTACCEPT, "no smtp service" },
	/*
	 * qmail, of a domain that exists but names no host to take its
	 * mail (it says "couldn't find any host named" of one that does
	 * not exist), whatever its 5.4.4 says.
	 */
	{ SETTLED(REASON_NOTACCEPT), "couldn't find a mail exchanger "
	    "or ip address" },

	{ REASON_MAILERERROR, "x-unix" },
	{ REASON_MAILERERROR, "command failed" },
	{ REASON_MAILERERROR, "procmail" },
	{ REASON_MAILERERROR, "pipe to" },
	{ REASON_MAILERERROR, "exit status" },
	{ REASON_MAILERERROR, "mailer error" },
	{ REASON_MAILERERROR, "command died" },
	{ REASON_MAILERERROR, "local delivery failed" },

	{ REASON_SYNTAXERROR, "syntax error" },
	{ REASON_SYNTAXERROR, "malformed address" },
	{ REASON_SYNTAXERROR, "incorrectly constructed" },
	{ REASON_SYNTAXERROR, "command unrecognized" },
	{ REASON_SYNTAXERROR, "unrecognized command" },
	{ REASON_SYNTAXERROR, "bad sequence" },
};

/*
 * Enhanced status codes (RFC 3463) that say the reason without words.
 * Where the 4 and 5 classes mean different things, both are listed.
 */
struct status_reason {
	const char	*status;
	enum reason	 reason;
};

static const struct status_reason statuses[] = {
	{ "4.1.6", REASON_HASMOVED }, { "4.1.7", REASON_REJECTED },
	{ "4.1.8", REASON_REJECTED }, { "4.1.9", REASON_SYSTEMERROR },
	{ "4.2.1", REASON_SUSPEND }, { "4.2.2", REASON_MAILBOXFULL },
	{ "4.2.3", REASON_EXCEEDLIMIT }, { "4.2.4", REASON_FILTERED },
	{ "4.3.1", REASON_SYSTEMFULL }, { "4.3.2", REASON_NOTACCEPT },
	{ "4.3.3", REASON_SYSTEMERROR }, { "4.3.5", REASON_SYSTEMERROR },
	{ "4.4.1", REASON_EXPIRED }, { "4.4.2", REASON_NETWORKERROR },
	/* RFC 3463: directory server failure */
	{ "4.4.3", REASON_SYSTEMERROR },
	{ "4.4.4", REASON_NETWORKERROR }, { "4.4.5", REASON_SYSTEMFULL },
	{ "4.4.6", REASON_NETWORKERROR }, { "4.4.7", REASON_EXPIRED },
	{ "4.5.3", REASON_SYSTEMERROR }, { "4.5.5", REASON_SYSTEMERROR },
	{ "4.6.0", REASON_CONTENTERROR }, { "4.6.2", REASON_CONTENTERROR },
	{ "4.6.5", REASON_CONTENTERROR }, { "4.7.1", REASON_BLOCKED },
	{ "4.7.2", REASON_BLOCKED }, { "4.7.5", REASON_SECURITYERROR },
	{ "4.7.6", REASON_SECURITYERROR }, { "4.7.7", REASON_SECURITYERROR },
	{ "4.7.12", REASON_SECURITYERROR }, { "4.7.15", REASON_SECURITYERROR },
	{ "4.7.16", REASON_MESGTOOBIG }, { "4.7.24", REASON_SECURITYERROR },
	{ "4.7.25", REASON_REQUIREPTR },
	{ "5.1.0", REASON_USERUNKNOWN }, { "5.1.1", REASON_USERUNKNOWN },
	{ "5.1.2", REASON_HOSTUNKNOWN }, { "5.1.3", REASON_USERUNKNOWN },
	{ "5.1.4", REASON_FILTERED }, { "5.1.6", REASON_HASMOVED },
	{ "5.1.7", REASON_REJECTED }, { "5.1.8", REASON_REJECTED },
	{ "5.1.9", REASON_SYSTEMERROR }, { "5.1.10", REASON_NOTACCEPT },
	{ "5.2.0", REASON_FILTERED }, { "5.2.1", REASON_FILTERED },
	{ "5.2.2", REASON_MAILBOXFULL }, { "5.2.3", REASON_EXCEEDLIMIT },
	{ "5.2.4", REASON_FILTERED }, { "5.3.0", REASON_SYSTEMERROR },
	{ "5.3.1", REASON_SYSTEMFULL }, { "5.3.2", REASON_NOTACCEPT },
	{ "5.3.3", REASON_SYSTEMERROR }, { "5.3.4", REASON_MESGTOOBIG },
	{ "5.3.5", REASON_SYSTEMERROR }, { "5.4.0", REASON_NETWORKERROR },
	{ "5.4.3", REASON_SYSTEMERROR }, { "5.4.4", REASON_HOSTUNKNOWN },
	{ "5.4.6", REASON_NETWORKERROR },	/* routing loop */
	{ "5.5.3", REASON_TOOMANYCONN }, { "5.5.4", REASON_SYSTEMERROR },
	{ "5.5.5", REASON_SYSTEMERROR }, { "5.5.6", REASON_SECURITYERROR },
	{ "5.6.0", REASON_CONTENTERROR }, { "5.6.1", REASON_CONTENTERROR },
	{ "5.6.2", REASON_CONTENTERROR }, { "5.6.3", REASON_CONTENTERROR },
	{ "5.6.5", REASON_CONTENTERROR }, { "5.6.6", REASON_CONTENTERROR },
	{ "5.6.7", REASON_CONTENTERROR }, { "5.6.8", REASON_CONTENTERROR },
	{ "5.6.9", REASON_CONTENTERROR }, { "5.7.0", REASON_SECURITYERROR },
	{ "5.7.1", REASON_SECURITYERROR }, { "5.7.2", REASON_SECURITYERROR },
	{ "5.7.3", REASON_SECURITYERROR }, { "5.7.4", REASON_SECURITYERROR },
	{ "5.7.5", REASON_SECURITYERROR }, { "5.7.6", REASON_SECURITYERROR },
	{ "5.7.7", REASON_SECURITYERROR }, { "5.7.8", REASON_SECURITYERROR },
	{ "5.7.9", REASON_SECURITYERROR }, { "5.7.10", REASON_SECURITYERROR },
	{ "5.7.11", REASON_SECURITYERROR }, { "5.7.13", REASON_SUSPEND },
	{ "5.7.14", REASON_SECURITYERROR }, { "5.7.15", REASON_SECURITYERROR },
	{ "5.7.16", REASON_MESGTOOBIG }, { "5.7.17", REASON_HASMOVED },
	{ "5.7.18", REASON_HASMOVED }, { "5.7.19", REASON_SECURITYERROR },
	{ "5.7.20", REASON_AUTHFAILURE }, { "5.7.21", REASON_AUTHFAILURE },
	{ "5.7.22", REASON_AUTHFAILURE }, { "5.7.23", REASON_AUTHFAILURE },
	{ "5.7.24", REASON_AUTHFAILURE }, { "5.7.25", REASON_REQUIREPTR },
	{ "5.7.26", REASON_AUTHFAILURE }, { "5.7.27", REASON_NOTACCEPT },
};

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

static enum reason
status_reason(const char *status)
{
	size_t i;

	if (status == NULL)
		return REASON_NONE;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (strcmp(status, statuses[i].status) == 0)
			return statuses[i].reason;
	return REASON_NONE;
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
	enum reason	 coded;		/* the reason its status code names */
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
static const enum reason first_look[] = {
	REASON_MAILBOXFULL, REASON_MESGTOOBIG, REASON_EXCEEDLIMIT,
	REASON_SUSPEND, REASON_HASMOVED, REASON_NORELAYING,
	REASON_AUTHFAILURE, REASON_USERUNKNOWN, REASON_FILTERED,
	REASON_REQUIREPTR, REASON_NOTCOMPLIANTRFC, REASON_BADREPUTATION,
	REASON_CONTENTERROR, REASON_REJECTED, REASON_HOSTUNKNOWN,
	REASON_SPAMDETECTED, REASON_SPEEDING, REASON_TOOMANYCONN,
	REASON_BLOCKED, REASON_NETWORKERROR,
};

static int
probe(enum reason r, const struct facts *f)
{
	const uint64_t not_unknown = BIT(REASON_NORELAYING) |
	    BIT(REASON_BLOCKED) | BIT(REASON_MAILBOXFULL) |
	    BIT(REASON_HASMOVED) | BIT(REASON_REJECTED) |
	    BIT(REASON_NOTACCEPT);

	switch (r) {
	case REASON_MESGTOOBIG:
		if (f->coded == REASON_EXCEEDLIMIT)
			return 0;
		return f->coded == r || SAYS(f, r);
	case REASON_SUSPEND:
		return f->reply == 525 || SAYS(f, r);
	case REASON_NORELAYING:
		if (strcmp(f->command, "CONN") == 0 ||
		    strcmp(f->command, "EHLO") == 0 ||
		    strcmp(f->command, "HELO") == 0)
			return 0;
		return SAYS(f, r);
	case REASON_USERUNKNOWN:
		/* An address refused at MAIL is ours, the sender's. */
		if (strcmp(f->command, "MAIL") == 0)
			return 0;
		if (f->coded == REASON_USERUNKNOWN)
			return (f->words & not_unknown) == 0;
		if (f->coded == REASON_SUSPEND)
			return 0;
		return strcmp(f->command, "RCPT") == 0 && SAYS(f, r);
	case REASON_FILTERED:
		if (f->coded == REASON_SUSPEND)
			return 0;
		if (f->coded != REASON_FILTERED && before_data(f->command))
			return 0;
		return SAYS(f, REASON_FILTERED) || SAYS(f, REASON_USERUNKNOWN);
	case REASON_CONTENTERROR:
		if (probe(REASON_SPAMDETECTED, f))
			return 0;
		return f->coded == r || SAYS(f, r);
	case REASON_REJECTED:
		if (f->coded == r)
			return 1;
		if (strcmp(f->command, "MAIL") == 0)
			return SAYS(f, r) || f->coded == REASON_USERUNKNOWN;
		if (strcmp(f->command, "DATA") == 0)
			return f->coded != REASON_USERUNKNOWN && SAYS(f, r);
		if (f->coded == REASON_NONE ||
		    f->coded == REASON_SECURITYERROR ||
		    f->coded == REASON_SYSTEMERROR)
			return SAYS(f, r);
		return 0;
	case REASON_HOSTUNKNOWN:
		if (f->coded == r)
			return !SAYS(f, REASON_NETWORKERROR);
		return SAYS(f, r);
	case REASON_SPAMDETECTED:
		if (f->status[0] == '\0')
			return 0;
		if (f->coded == r)
			return 1;
		return !before_data(f->command) && SAYS(f, r);
	case REASON_SPEEDING:
		/* A limit on connections is not one on messages. */
		return SAYS(f, r) && !SAYS(f, REASON_TOOMANYCONN);
	case REASON_NOTCOMPLIANTRFC:
	case REASON_BADREPUTATION:
		return SAYS(f, r);
	case REASON_NETWORKERROR:
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
static const enum reason second_look[] = {
	REASON_MAILBOXFULL, REASON_AUTHFAILURE, REASON_BADREPUTATION,
	REASON_SPEEDING, REASON_SPAMDETECTED, REASON_VIRUSDETECTED,
	REASON_POLICYVIOLATION, REASON_NORELAYING, REASON_SYSTEMERROR,
	REASON_NETWORKERROR, REASON_SUSPEND, REASON_CONTENTERROR,
	REASON_SYSTEMFULL, REASON_NOTACCEPT, REASON_EXPIRED,
	REASON_FAILEDSTARTTLS, REASON_SECURITYERROR, REASON_SUPPRESSED,
	REASON_MAILERERROR,
};

static enum reason
second(const struct facts *f)
{
	size_t i;

	for (i = 0; i < sizeof(second_look) / sizeof(second_look[0]); i++)
		if (SAYS(f, second_look[i]))
			return second_look[i];
	if (f->coded != REASON_NONE)
		return f->coded;
	if (f->status[0] != '\0' && strcmp(f->status + 1, ".0.0") != 0) {
		if (strncmp(f->status + 1, ".6.", 3) == 0)
			return REASON_CONTENTERROR;
		if (strncmp(f->status + 1, ".7.", 3) == 0)
			return REASON_SECURITYERROR;
	}
	/* RFC 5321: "451 Requested action aborted: local error" */
	if (f->reply == 451 && (f->status[0] == '\0' ||
	    strcmp(f->status + 1, ".0.0") == 0))
		return REASON_SYSTEMERROR;
	if (SAYS(f, REASON_SYNTAXERROR) || (f->reply > 500 && f->reply < 508) ||
	    (f->reply > 400 && f->reply < 408))
		return REASON_SYNTAXERROR;
	if (strcasecmp(f->action, "delayed") == 0 ||
	    strcasecmp(f->action, "expired") == 0)
		return REASON_EXPIRED;
	if (strcmp(f->command, "EHLO") == 0 || strcmp(f->command, "HELO") == 0)
		return REASON_BLOCKED;
	return REASON_NONE;
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
 * sysexits.h says that status means, or REASON_NONE. A number it does not
 * define is the program's own failure, left to the words' mailererror.
 */
static enum reason
exit_status_reason(const char *folded)
{
	const char *p = folded + strlen("x-unix;");
	char *end;
	long status;

	if (strncmp(folded, "x-unix;", strlen("x-unix;")) != 0)
		return REASON_NONE;
	while (*p == ' ')
		p++;
	status = strtol(p, &end, 10);
	if (end == p || *end != '\0')
		return REASON_NONE;
	if (status == 67)		/* EX_NOUSER */
		return REASON_USERUNKNOWN;
	if (status == 68)		/* EX_NOHOST */
		return REASON_HOSTUNKNOWN;
	if (status >= 69 && status <= 78 && status != 76)
		/* unavailable, OS, I/O, tempfail... */
		return REASON_SYSTEMERROR;
	return REASON_NONE;
}

const char *
reason_name(enum reason r)
{
	return r < REASON_COUNT ? reason_names[r] : "";
}

enum reason
reason_of(const struct reason_input *in)
{
	struct facts f;
	char folded[4096];
	size_t i;
	enum reason r;

	memset(&f, 0, sizeof(f));
	f.status = in->status != NULL ? in->status : "";
	f.action = in->action != NULL ? in->action : "";
	f.command = in->command != NULL ? in->command : "";
	if (f.status[0] == '2' || strcmp(f.action, "delivered") == 0)
		return REASON_DELIVERED;
	folded[0] = '\0';
	if (in->diag != NULL)
		fold_text(in->diag, strlen(in->diag), folded, sizeof(folded));
	f.reply = reason_reply_code(folded);
	drop_continuations(folded, f.reply);
	f.words = reasons_in(folded, &f.settled);
	if (names_missing_host(folded))
		f.words |= BIT(REASON_HOSTUNKNOWN);
	/*
	 * A name the resolver could not find, under a temporary status
	 * (Gmail's "4.0.0 DNS Error: ... NXDOMAIN"), is a lookup that may
	 * yet succeed: the network's trouble, not a domain known dead.
	 */
	if (f.status[0] == '4' && SAYS(&f, REASON_HOSTUNKNOWN)) {
		f.words &= ~BIT(REASON_HOSTUNKNOWN);
		f.words |= BIT(REASON_NETWORKERROR);
	}
	f.coded = status_reason(f.status);
	/*
	 * A server that refused us at its greeting or our name refused
	 * the host, whatever else the report says.
	 */
	if ((strcmp(f.command, "CONN") == 0 || strcmp(f.command, "HELO") == 0
	    || strcmp(f.command, "EHLO") == 0) && f.reply >= 500 &&
	    (f.settled & BIT(REASON_REQUIREPTR)) == 0)
		return REASON_BLOCKED;
	r = exit_status_reason(folded);
	if (r != REASON_NONE)
		return r;
	for (r = REASON_NONE + 1; f.settled != 0 && r < REASON_COUNT; r++)
		if ((f.settled & BIT(r)) != 0)
			return r;
	for (i = 0; is_smtp_diag(folded) &&
	    i < sizeof(first_look) / sizeof(first_look[0]); i++)
		if (probe(first_look[i], &f))
			return first_look[i];
	/*
	 * Refused at MAIL with nothing more said than a code ("550 5.7.1
	 * Access denied"): what was refused is the sender.
	 */
	if (strcmp(f.command, "MAIL") == 0 && f.words == 0)
		return REASON_REJECTED;
	r = second(&f);
	if (r != REASON_NONE)
		return r;
	if (strcmp(f.command, "CONN") == 0)
		return REASON_BLOCKED;
	if (strcmp(f.command, "MAIL") == 0)
		return REASON_REJECTED;
	return folded[0] != '\0' ? REASON_ONHOLD : REASON_UNDEFINED;
}

int
reason_is_hard(enum reason reason, const char *status)
{
	if (reason == REASON_USERUNKNOWN || reason == REASON_HOSTUNKNOWN ||
	    reason == REASON_HASMOVED)
		return 1;
	if (reason == REASON_NOTACCEPT)
		return status == NULL || status[0] != '4';
	return 0;
}
