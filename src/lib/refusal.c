/* refusal: whose problem a permanent refusal is (see refusal.h). */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fold.h"
#include "reason.h"
#include "refusal.h"

#define FOLDED_MAX	512

static const char *const command_names[] = {
	[SMTP_AT_CONNECT] = "CONNECT",
	[SMTP_AT_EHLO] = "EHLO",
	[SMTP_AT_STARTTLS] = "STARTTLS",
	[SMTP_AT_AUTH] = "AUTH",
	[SMTP_AT_MAIL] = "MAIL",
	[SMTP_AT_RCPT] = "RCPT",
	[SMTP_AT_DATA] = "DATA",
	[SMTP_AT_BODY] = "BODY",
	[SMTP_AT_OTHER] = "OTHER",
};

static const char *const refusal_names[] = {
	[REFUSAL_MAILBOX] = "mailbox",
	[REFUSAL_RECIPIENT] = "recipient",
	[REFUSAL_SENDER] = "sender",
	[REFUSAL_MESSAGE] = "message",
};

/*
 * Words that put the refusal on our side whatever the code says: a
 * Postfix "Sender address rejected" comes at RCPT by default, and often
 * with a 5.1.x code of its own.
 */
static const char *const about_us[] = {
	"sender address rejected", "sender rejected", "sender domain",
	"sender verify", "sender address", "from address", "envelope sender",
	"mail from", "relay access denied", "relaying denied",
	"relay not permitted", "not permitted to relay", "unable to relay",
	"relay denied", "we do not relay", "authentication required",
	"must authenticate", "authentication is required", "not authenticated",
	"dmarc", "spf", "dkim", "client host rejected", "helo command rejected",
	"your ip", "your host", "blacklist", "blocklist", "spamhaus",
	"listed at", "listed on", "rbl",
};

/* Enhanced codes (RFC 3463) that say the recipient's mailbox is gone. */
static const char *const dead_mailbox[] = {
	"5.1.1", "5.1.10", "5.1.2", "5.1.3", "5.1.6", "5.2.1",
};

const char *
smtp_command_name(enum smtp_command at)
{
	return at <= SMTP_AT_OTHER ? command_names[at] : "OTHER";
}

enum smtp_command
smtp_command_of(const char *line, size_t len)
{
	static const struct {
		const char		*verb;
		enum smtp_command	 at;
	} verbs[] = {
		{ "EHLO", SMTP_AT_EHLO }, { "HELO", SMTP_AT_EHLO },
		{ "STARTTLS", SMTP_AT_STARTTLS }, { "AUTH", SMTP_AT_AUTH },
		{ "MAIL", SMTP_AT_MAIL }, { "RCPT", SMTP_AT_RCPT },
		{ "DATA", SMTP_AT_DATA },
	};
	size_t i, n;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		n = strlen(verbs[i].verb);
		if (len >= n && strncasecmp(line, verbs[i].verb, n) == 0 &&
		    (len == n || line[n] == ' ' || line[n] == '\r' ||
		    line[n] == '\n'))
			return verbs[i].at;
	}
	return SMTP_AT_OTHER;
}

const char *
refusal_name(enum refusal r)
{
	return r <= REFUSAL_MESSAGE ? refusal_names[r] : "?";
}

/* The enhanced status after the reply code: "5.1.1", or "". */
static void
enhanced_status(const char *reply, char *out, size_t outsize)
{
	const char *p = reply;
	size_t n;

	out[0] = '\0';
	while (*p >= '0' && *p <= '9')
		p++;
	while (*p == ' ' || *p == '-')
		p++;
	n = strspn(p, "0123456789.");
	if (n < 5 || n >= outsize || p[1] != '.')
		return;
	memcpy(out, p, n);
	out[n] = '\0';
	while (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
}

/* Does the phrase occur as whole words ("spf", not "spfx")? */
static int
has_words(const char *text, const char *phrase)
{
	size_t n = strlen(phrase);
	const char *p;

	for (p = strstr(text, phrase); p != NULL; p = strstr(p + 1, phrase))
		if ((p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return 1;
	return 0;
}

static int
says_about_us(const char *folded)
{
	size_t i;

	for (i = 0; i < sizeof(about_us) / sizeof(about_us[0]); i++)
		if (has_words(folded, about_us[i]))
			return 1;
	return 0;
}

static int
is_dead_mailbox_status(const char *status)
{
	size_t i;

	for (i = 0; i < sizeof(dead_mailbox) / sizeof(dead_mailbox[0]); i++)
		if (strcmp(status, dead_mailbox[i]) == 0)
			return 1;
	return 0;
}

/* With no enhanced code, the words alone, read as the classifier does. */
static int
words_say_dead_mailbox(const char *folded)
{
	struct reason_input in = { folded, "", "RCPT", "" };
	enum reason why = reason_of(&in);

	return why == REASON_USERUNKNOWN || why == REASON_HOSTUNKNOWN ||
	    why == REASON_SUSPEND || why == REASON_HASMOVED;
}

enum refusal
refusal_judge(enum smtp_command at, const char *reply)
{
	char folded[FOLDED_MAX], status[16];

	if (at == SMTP_AT_DATA || at == SMTP_AT_BODY)
		return REFUSAL_MESSAGE;
	if (at != SMTP_AT_RCPT)
		return REFUSAL_SENDER;
	fold_text(reply, strlen(reply), folded, sizeof(folded));
	enhanced_status(reply, status, sizeof(status));
	if (says_about_us(folded) || strncmp(status, "5.7.", 4) == 0 ||
	    strcmp(status, "5.1.7") == 0 || strcmp(status, "5.1.8") == 0)
		return REFUSAL_SENDER;
	if (status[0] != '\0')
		return is_dead_mailbox_status(status) ? REFUSAL_MAILBOX :
		    REFUSAL_RECIPIENT;
	return words_say_dead_mailbox(folded) ? REFUSAL_MAILBOX :
	    REFUSAL_RECIPIENT;
}
