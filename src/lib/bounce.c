/*
 * bounce: failed recipients and why (see bounce.h).
 *
 * A delivery-status report names each recipient in a block of fields, so
 * it is read as such. Everything else is read as text: the report is the
 * text before the returned message, the recipients are the addresses in
 * it that are not the sender's or a daemon's, in the order written, and
 * each one's explanation is the text from where it is first named up to
 * where the next one is.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "bounce.h"
#include "buf.h"
#include "fold.h"
#include "provider.h"
#include "reason.h"
#include "rfc822.h"
#include "xalloc.h"

#define REPORT_TEXT_MAX		(256 * 1024)
#define EXCLUDED_MAX		16
#define DIAG_MAX		4096

struct excluded {
	char	addr[EXCLUDED_MAX][ADDR_MAX_LEN + 1];
	size_t	n;
	int	daemons_too;	/* postmaster@ and such may be recipients */
};

/* The first address in a header value, lower-cased, or "". */
static void
header_address(const char *value, char *out)
{
	out[0] = '\0';
	if (value != NULL)
		(void)addr_find_next(value, strlen(value), out, NULL);
}

static void
exclude(struct excluded *x, const char *addr)
{
	if (addr[0] != '\0' && x->n < EXCLUDED_MAX)
		snprintf(x->addr[x->n++], ADDR_MAX_LEN + 1, "%s", addr);
}

/*
 * The bounce's own From and To are daemons and us; the returned message's
 * senders are us too, but its To is the very recipient that failed.
 */
static void
exclude_headers(struct excluded *x, const struct rfc822_fields *f, int to)
{
	static const char *names[] = { "To", "From", "Return-Path",
	    "Reply-To", "Sender", "Errors-To" };
	char a[ADDR_MAX_LEN + 1];
	size_t i;

	for (i = to ? 0 : 1; i < sizeof(names) / sizeof(names[0]); i++) {
		header_address(rfc822_get(f, names[i]), a);
		exclude(x, a);
	}
}

static int
is_excluded(const struct excluded *x, const char *addr)
{
	static const char *daemons[] = { "mailer-daemon@", "postmaster@",
	    "post_master@", "mailer_daemon@", "maildaemon@", "double-bounce@",
	    "noreply@", "no-reply@", "mail-daemon@" };
	size_t i;

	for (i = 0; !x->daemons_too &&
	    i < sizeof(daemons) / sizeof(daemons[0]); i++)
		if (strncmp(addr, daemons[i], strlen(daemons[i])) == 0)
			return 1;
	for (i = 0; i < x->n; i++)
		if (strcmp(x->addr[i], addr) == 0)
			return 1;
	return 0;
}

/*
 * Appends an HTML part as text: tags become spaces, entities stay. (See
 * report_text on b->failed.)
 */
static void
append_html(struct buf *b, const char *s, size_t len)
{
	size_t i;
	int in_tag = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '<')
			in_tag = 1;
		else if (s[i] == '>' && in_tag) {
			in_tag = 0;
			(void)buf_putc(b, ' ');
		} else if (!in_tag)
			(void)buf_putc(b, s[i]);
	}
}

/*
 * The report as text: the text parts outside any returned message, cut
 * where a copy of the returned message starts. A stranger's report is
 * read only as far as REPORT_TEXT_MAX: past it b->failed is set and
 * left, since what a report says of its recipients comes first.
 */
static void
report_text(const struct mailview *v, struct buf *b)
{
	size_t i;
	int plain = 0;

	for (i = 0; i < v->nparts; i++)
		plain |= v->parts[i].depth == 0 &&
		    strcmp(v->parts[i].type, "text/plain") == 0;
	for (i = 0; i < v->nparts; i++) {
		const struct mailview_part *p = &v->parts[i];

		if (p->depth != 0 || p->is_message)
			continue;
		/* A multipart left whole had a boundary libetpan could not
		 * read (one on a line of its own): its body is still text. */
		if (strcmp(p->type, "text/plain") == 0 ||
		    strncmp(p->type, "multipart/", 10) == 0 ||
		    (strncmp(p->type, "text/", 5) == 0 &&
		    strcmp(p->type, "text/html") != 0 &&
		    strcmp(p->type, "text/rfc822-headers") != 0)) {
			(void)buf_append(b, p->body, p->original);
			(void)buf_putc(b, '\n');
		} else if (!plain && strcmp(p->type, "text/html") == 0) {
			append_html(b, p->body, p->len);
			(void)buf_putc(b, '\n');
		}
	}
}

/*
 * The first enhanced status code in s ("5.1.1", also "#5.1.1"), not a
 * piece of an IP address or a version number. 1 if found.
 */
static int
find_status(const char *s, char out[CLASSIFY_STATUS_MAX])
{
	const char *p;

	for (p = s; *p != '\0'; p++) {
		const char *q = p + 1;
		size_t a = 0, b = 0;

		if ((*p != '2' && *p != '4' && *p != '5') || *q != '.')
			continue;
		if (p > s && (isdigit((unsigned char)p[-1]) || p[-1] == '.' ||
		    isalpha((unsigned char)p[-1])))
			continue;
		for (q++; isdigit((unsigned char)q[a]) && a < 4; a++)
			;
		if (a == 0 || a > 3 || q[a] != '.')
			continue;
		for (; isdigit((unsigned char)q[a + 1 + b]) && b < 4; b++)
			;
		if (b == 0 || b > 3)
			continue;
		q += a + 1 + b;
		if (isdigit((unsigned char)*q) || (*q == '.' &&
		    isdigit((unsigned char)q[1])))
			continue;
		snprintf(out, CLASSIFY_STATUS_MAX, "%.*s", (int)(q - p), p);
		return 1;
	}
	return 0;
}

/*
 * A receiving server's reply that a relay quotes after its own summary
 * ("5.1.0 - Unknown address error 550-'5.7.1 <a>... Access denied'"),
 * or NULL. The server's words and code are the ones to judge: the
 * relay's summary only sorts them into its own coarse classes.
 */
static const char *
quoted_reply(const char *folded)
{
	const char *p;

	for (p = folded; (p = strstr(p, "-'")) != NULL; p++)
		if (p - folded >= 4 && (p[-3] == '4' || p[-3] == '5') &&
		    isdigit((unsigned char)p[-2]) &&
		    isdigit((unsigned char)p[-1]) && p[-4] == ' ')
			return p - 3;
	return NULL;
}

/*
 * The enhanced code of a reply ("550 5.1.1 ...", "550-'5.7.1 ..."), or
 * 0: the receiving server's own word, which a relay reporting it in its
 * own Status may have summed up more coarsely (4.4.7 for any delay).
 */
static int
reply_status(const char *folded, char out[CLASSIFY_STATUS_MAX])
{
	const char *p;

	for (p = folded; *p != '\0'; p++) {
		const char *q = p + 3;

		if ((*p != '4' && *p != '5') || !isdigit((unsigned char)p[1]) ||
		    !isdigit((unsigned char)p[2]) ||
		    (p > folded && isalnum((unsigned char)p[-1])))
			continue;
		if (*q != '-' && *q != ' ')
			continue;
		q++;
		if (*q == '\'')
			q++;
		if (*q != *p || q[1] != '.')
			continue;
		return find_status(q, out);
	}
	return 0;
}

/*
 * Whether a reply begins with the recipient's address and a colon
 * ("550 <ann@example.org>: User unknown", "550 5.1.1 <a@b>: ..."): the
 * form of a refusal of RCPT TO, which the server answers by quoting it.
 */
static int
refuses_rcpt_address(const char *folded)
{
	const char *p;

	for (p = folded; (p = strstr(p, " <")) != NULL; p++) {
		const char *q = p, *e = p, *close;

		/* back over an enhanced code ("5.1.1") to the reply code */
		while (e > folded && (isdigit((unsigned char)e[-1]) ||
		    e[-1] == '.'))
			e--;
		if (e < p && memchr(e, '.', (size_t)(p - e)) != NULL &&
		    e > folded && e[-1] == ' ')
			q = e - 1;
		if (q - folded < 3 || (q[-3] != '4' && q[-3] != '5') ||
		    !isdigit((unsigned char)q[-2]) ||
		    !isdigit((unsigned char)q[-1]) ||
		    (q - folded > 3 && isalnum((unsigned char)q[-4])))
			continue;
		close = strchr(p + 2, '>');
		if (close != NULL && close[1] == ':' &&
		    memchr(p + 2, '@', (size_t)(close - p - 2)) != NULL &&
		    memchr(p + 2, ' ', (size_t)(close - p - 2)) == NULL)
			return 1;
	}
	return 0;
}

/*
 * In a transcript of the session, the first reply that refused: "<<< 550
 * ..." (sendmail), "Out: 451 ..." (Postfix), or NULL. What came before it
 * (the greeting, the server's list of extensions) is not the failure.
 */
static const char *
transcript_refusal(const char *folded)
{
	static const char *marks[] = { "<<< 5", "<<< 4", "out: 5", "out: 4" };
	const char *first = NULL, *p;
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		p = strstr(folded, marks[i]);
		if (p != NULL && (first == NULL || p < first))
			first = p;
	}
	return first;
}

/* "DATA", "RCPT", ... for the command named at p, or "". */
static const char *
command_at(const char *p)
{
	static const struct {
		const char *text;
		const char *command;
	} words[] = {
		{ "end of data", "DATA" }, { "data", "DATA" },
		{ "rcpt", "RCPT" }, { "mail from", "MAIL" }, { "mail", "MAIL" },
		{ "ehlo", "EHLO" }, { "helo", "HELO" },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(p, words[i].text, strlen(words[i].text)) == 0)
			return words[i].command;
	return "";
}

/*
 * The SMTP command a failure answered: what the report says it was in
 * reply to, else the last command of a transcript before the first
 * refusal (">>> RCPT To:<x>" then "<<< 550 ..."), else a mention.
 */
static const char *
find_command(const char *folded)
{
	static const char *replies[] = { "in reply to ", "after " };
	static const struct {
		const char *text;
		const char *command;
	} says[] = {
		{ "rcpt to", "RCPT" },
		{ "[rcpt_to]", "RCPT" },
		{ "smtp:rcpt", "RCPT" },
		{ "[mail_from]", "MAIL" },
		{ "but sender was rejected", "MAIL" },
		{ "does not like recipient", "RCPT" },	/* qmail */
		{ "my name was rejected", "HELO" },
		{ "after initial connection", "CONN" },
		{ "deferred: connection", "CONN" },
		{ "data command", "DATA" },
		{ "mail from", "MAIL" },
		{ "connect to", "CONN" },
		{ "while connecting", "CONN" },
	};
	const char *p, *refusal, *cmd, *last = NULL;
	size_t i;

	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++)
		for (p = strstr(folded, replies[i]); p != NULL;
		    p = strstr(p + 1, replies[i])) {
			cmd = command_at(p + strlen(replies[i]));
			if (cmd[0] != '\0')
				return cmd;
		}
	refusal = transcript_refusal(folded);
	for (p = strstr(folded, ">>> "); p != NULL && (refusal == NULL ||
	    p < refusal); p = strstr(p + 1, ">>> "))
		last = p + 4;
	/* Postfix's transcript: "In: RCPT TO:<a>" then "Out: 550 ..." */
	for (p = strstr(folded, " in: "); last == NULL && p != NULL &&
	    (refusal == NULL || p < refusal); p = strstr(p + 1, " in: "))
		if (command_at(p + 5)[0] != '\0')
			last = p + 5;
	if (last != NULL && refusal != NULL && command_at(last)[0] != '\0')
		return command_at(last);
	for (i = 0; i < sizeof(says) / sizeof(says[0]); i++)
		if (strstr(folded, says[i].text) != NULL)
			return says[i].command;
	return "";
}

/* What the recipient's provider means by its own codes, or REASON_NONE. */
static enum reason
provider_of(const struct classify *c, const struct classify_rcpt *r,
    const struct reason_input *in, const char *report)
{
	struct provider_input p;

	p.domain = addr_domain(r->addr);
	p.mtas = c->mtas;
	p.report = report != NULL ? report : in->diag;
	p.diag = in->diag;
	p.status = in->status;
	p.command = in->command;
	return provider_reason(&p);
}

/* Decides a recipient's reason from its explanation and codes. */
static void
judge(const struct classify *c, struct classify_rcpt *r, const char *diag,
    const char *fallback, const char *action)
{
	char folded[DIAG_MAX];
	char st[CLASSIFY_STATUS_MAX];
	const char *quoted, *refusal;
	enum reason by_provider, around;
	struct reason_input in;

	fold_text(diag, strlen(diag), folded, sizeof(folded));
	if (r->status[0] == '\0' || strcmp(r->status + 1, ".0.0") == 0) {
		if (find_status(folded, st) ||
		    (fallback != NULL && find_status(fallback, st)))
			snprintf(r->status, sizeof(r->status), "%s", st);
	}
	if (reply_status(folded, st))
		snprintf(r->status, sizeof(r->status), "%s", st);
	memset(&in, 0, sizeof(in));
	/* A report with no words for this recipient: the whole report's. */
	in.diag = folded[0] != '\0' || fallback == NULL ? folded : fallback;
	quoted = quoted_reply(folded);
	if (quoted != NULL)
		in.diag = quoted;
	in.status = r->status;
	in.command = find_command(folded);
	if (in.command[0] == '\0' && fallback != NULL)
		in.command = find_command(fallback);
	if (in.command[0] == '\0' && refuses_rcpt_address(in.diag))
		in.command = "RCPT";
	/* A whole session's transcript: the words from its refusal on. */
	if (strstr(in.diag, "out: 250-") != NULL &&
	    (refusal = transcript_refusal(in.diag)) != NULL)
		in.diag = refusal;
	in.action = action;
	/*
	 * An addressing status (RFC 3463 X.1.X) is about the recipient's
	 * address, which a server judges at RCPT, or the sender's at MAIL.
	 */
	if (in.command[0] == '\0' && r->status[0] != '\0' &&
	    strncmp(r->status + 1, ".1.", 3) == 0)
		in.command = strcmp(r->status + 1, ".1.7") == 0 ||
		    strcmp(r->status + 1, ".1.8") == 0 ? "MAIL" : "RCPT";
	r->reason = reason_of(&in);
	by_provider = provider_of(c, r, &in, fallback);
	if (by_provider != REASON_NONE)
		r->reason = by_provider;
	if (fallback != NULL && in.diag != fallback &&
	    (r->reason == REASON_ONHOLD || r->reason == REASON_UNDEFINED)) {
		/* The words around the codes may say what the codes do not. */
		in.diag = fallback;
		around = reason_of(&in);
		if (around != REASON_ONHOLD && around != REASON_UNDEFINED)
			r->reason = around;
	}
	/* Words that say nothing known are onhold; no words, undefined. */
	if (diag[0] == '\0' && r->reason == REASON_ONHOLD)
		r->reason = REASON_UNDEFINED;
	/* What the report as a whole says, over what it says of each. */
	if (c->report_reason != REASON_NONE)
		r->reason = c->report_reason;
	r->delayed = strcasecmp(action, "delayed") == 0;
	if (r->reason == REASON_DELIVERED)
		r->hard = -1;
	else
		r->hard = reason_is_hard(r->reason, r->status);
}

/* "rfc822; Kijitora@Example.JP" -> "kijitora@example.jp", or "". */
static void
dsn_address(const char *value, char *out)
{
	const char *semi;

	out[0] = '\0';
	if (value == NULL)
		return;
	semi = strchr(value, ';');
	header_address(semi != NULL ? semi + 1 : value, out);
}

/*
 * The lines of the report's text that name `addr`, each with the lines
 * indented under it: a recipient's own words where its fields have none
 * ("addr: 550 5.1.1 <addr>: user unknown"), or where Exim lists each
 * address with its error indented below. Empty when the text does not
 * name it.
 */
static void
own_lines(const char *raw, const char *addr, char *out, size_t outsize)
{
	const char *at = raw, *from, *to;
	size_t o = 0, indent;

	out[0] = '\0';
	while (at != NULL && (at = strcasestr(at, addr)) != NULL) {
		for (from = at; from > raw && from[-1] != '\n'; from--)
			;
		indent = strspn(from, " \t");
		for (to = at; *to != '\0' && *to != '\n'; to++)
			;
		/* Lines indented deeper belong to it; the next address not. */
		while (*to == '\n' && strspn(to + 1, " \t") > indent) {
			const char *next = to + 1;

			while (*next == ' ' || *next == '\t')
				next++;
			if (*next == '\r' || *next == '\n' || *next == '\0')
				break;
			for (to = next; *to != '\0' && *to != '\n'; to++)
				;
		}
		if (o + 1 < outsize)
			o += (size_t)snprintf(out + o, outsize - o, "%.*s\n",
			    (int)(to - from), from);
		at = to;
	}
}

/* Reads one recipient's fields (or the message's, which name nobody). */
static void
read_dsn_block(const struct rfc822_fields *f, const char *raw,
    const char *report, struct classify *c)
{
	char addr[ADDR_MAX_LEN + 1], both[DIAG_MAX], own[DIAG_MAX];
	const char *action, *status, *diag;
	struct classify_rcpt *r;

	dsn_address(rfc822_get(f, "Final-Recipient"), addr);
	if (addr[0] == '\0' || strchr(addr, '@') == NULL)
		dsn_address(rfc822_get(f, "Original-Recipient"), addr);
	if (addr[0] == '\0' || (r = classify_add(c, addr)) == NULL)
		return;
	action = rfc822_get(f, "Action");
	status = rfc822_get(f, "Status");
	diag = rfc822_get(f, "Diagnostic-Code");
	if (status != NULL)
		(void)find_status(status, r->status);
	/* Of several recipients with no words, each has its own lines. */
	if (diag == NULL && raw != NULL) {
		own_lines(raw, addr, own, sizeof(own));
		diag = own;
	}
	/* "Status: 5.2.1 (mailbox disabled)": the words count too. */
	if (status != NULL && strchr(status, '(') != NULL) {
		/* cut short if it must be: the words come first */
		if (snprintf(both, sizeof(both), "%s %s", diag != NULL ?
		    diag : "", strchr(status, '(')) >= (int)sizeof(both))
			both[sizeof(both) - 1] = '\0';
		diag = both;
	}
	judge(c, r, diag != NULL ? diag : "", report,
	    action != NULL ? action : "");
}

/* Adds text[0..len), folded, to the MTA names, if there is room. */
static void
add_mta(struct classify *c, const char *text, size_t len)
{
	size_t used = strlen(c->mtas);

	if (used + len + 2 > sizeof(c->mtas))
		return;
	c->mtas[used++] = ' ';
	fold_text(text, len, c->mtas + used, sizeof(c->mtas) - used);
}

/*
 * Notes the hosts a block of delivery-status fields names as the one
 * reporting and the one that refused: they tell whose codes the report
 * quotes. Read before the block's recipients are judged.
 */
static void
note_mtas(const struct rfc822_fields *f, struct classify *c)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcasecmp(f->v[i].name, "Reporting-MTA") == 0 ||
		    strcasecmp(f->v[i].name, "Remote-MTA") == 0)
			add_mta(c, f->v[i].value, strlen(f->v[i].value));
}

/* Is there a Final-Recipient among fields [from, to)? */
static int
has_final(const struct rfc822_fields *f, size_t from, size_t to)
{
	for (; from < to; from++)
		if (strcasecmp(f->v[from].name, "Final-Recipient") == 0)
			return 1;
	return 0;
}

/*
 * Reads the per-recipient blocks of a delivery-status part. Blocks are
 * meant to be apart by a blank line; where a server runs them together,
 * each Final-Recipient starts the next.
 */
static size_t
read_dsn(const char *body, size_t len, const char *raw, const char *report,
    struct classify *c)
{
	const char *s = body, *end = body + len;
	struct rfc822_fields f;
	size_t off;
	int block = 0;
	const char *finals = strcasestr(body, "final-recipient:");

	if (finals == NULL ||
	    strcasestr(finals + 1, "final-recipient:") == NULL)
		raw = NULL;	/* one recipient: all the report is its */

	while (s < end && block++ < 64) {
		size_t i, from = 0;

		rfc822_fields_init(&f);
		off = rfc822_fields_parse(&f, s, (size_t)(end - s));
		if (off == 0 || f.n == 0) {
			rfc822_fields_release(&f);
			break;
		}
		s += off;
		note_mtas(&f, c);
		for (i = 0; i <= f.n; i++) {
			struct rfc822_fields one;

			if (i < f.n && (strcasecmp(f.v[i].name,
			    "Final-Recipient") != 0 || !has_final(&f, from, i)))
				continue;
			one.v = f.v + from;
			one.n = i - from;
			one.cap = one.n;
			read_dsn_block(&one, raw, report, c);
			from = i;
		}
		rfc822_fields_release(&f);
	}
	return c->nrcpt;
}

/*
 * Is the address at `at` in a Message-ID, an envelope id, the local
 * delivery of X-Actual-Recipient or a quoted header line (To:, From:,
 * ...): not the report naming a recipient?
 */
static int
in_id_line(const char *text, const char *at)
{
	const char *bol = at;
	char folded[128];

	while (bol > text && bol[-1] != '\n')
		bol--;
	fold_text(bol, (size_t)(at - bol), folded, sizeof(folded));
	return strstr(folded, "message-id") != NULL ||
	    strstr(folded, "envelope-id") != NULL ||
	    strstr(folded, "actual-recipient") != NULL ||
	    strncmp(folded, "to:", 3) == 0 ||
	    strstr(folded, "in-reply-to") != NULL ||
	    strstr(folded, "references:") != NULL ||
	    strstr(folded, "from:") != NULL ||
	    strstr(folded, "sender:") != NULL;
}

/*
 * Is `name`, the address that ends at `after`, only the display name of
 * the one that follows it in angle brackets ("a@example.com
 * <b@example.net>")? The mailbox is b's; a report quoting such a header
 * line names b.
 */
static int
is_display_name(const char *name, const char *after, const char *end)
{
	const char *gt;
	char addr[ADDR_MAX_LEN + 1];

	while (after < end && (*after == ' ' || *after == '"'))
		after++;
	if (after == end || *after != '<' ||
	    (gt = memchr(after, '>', (size_t)(end - after))) == NULL)
		return 0;
	/* "a@example.com<mailto:a@example.com>" is a link, not a name */
	return addr_find_next(after + 1, (size_t)(gt - after - 1), addr,
	    NULL) != NULL && strcmp(addr, name) != 0;
}

/*
 * Reads recipients from report text: every address not excluded, in
 * order; each one's explanation runs to the next one's first mention.
 */
static size_t
read_text(const char *text, size_t len, const struct excluded *x,
    const char *folded_report, struct classify *c)
{
	const char *starts[CLASSIFY_RCPT_MAX];
	const char *p = text, *end = text + len, *at, *next;
	char addr[ADDR_MAX_LEN + 1];
	size_t i, first = c->nrcpt;
	struct excluded names = *x;

	/* An address written as a name is a name wherever it is written. */
	while ((next = addr_find_next(p, (size_t)(end - p), addr,
	    NULL)) != NULL) {
		p = next;
		if (is_display_name(addr, next, end))
			exclude(&names, addr);
	}
	p = text;
	while ((next = addr_find_next(p, (size_t)(end - p), addr,
	    &at)) != NULL) {
		p = next;
		if (is_excluded(&names, addr) || in_id_line(text, at))
			continue;
		if (classify_add(c, addr) != NULL)
			starts[c->nrcpt - 1] = at;
	}
	for (i = first; i < c->nrcpt; i++) {
		const char *from = starts[i], *to = end;
		char *diag;

		if (c->nrcpt - first == 1)
			from = text;
		else if (i + 1 < c->nrcpt)
			to = starts[i + 1];
		/* Back to the start of the line that names the address. */
		while (from > text && from[-1] != '\n')
			from--;
		diag = xstrndup(from, (size_t)(to - from));
		judge(c, &c->rcpt[i], diag, folded_report, "failed");
		free(diag);
	}
	return c->nrcpt - first;
}

/*
 * Reads the recipients from the report's words, leaving out daemons and
 * the addresses of both headers (us, and the daemon); if that finds
 * nobody, again with daemons let in: the mailbox that failed may have
 * been a postmaster.
 */
static size_t
read_text_loosening(const struct mailview *v, const struct buf *text,
    const char *folded, struct classify *c)
{
	struct excluded x;
	size_t n;

	memset(&x, 0, sizeof(x));
	exclude_headers(&x, &v->top, 1);
	exclude_headers(&x, &v->returned, 0);
	n = read_text(buf_cstr(text), text->len, &x, folded, c);
	if (n == 0) {
		x.daemons_too = 1;
		n = read_text(buf_cstr(text), text->len, &x, folded, c);
	}
	return n;
}

/*
 * A report that names nobody, with the message it returns: that
 * message's one To is who it failed for (we send one message to each
 * recipient). Not when it had several: which one failed is unknown.
 */
static size_t
read_returned_to(const struct mailview *v, const char *folded,
    struct classify *c)
{
	const char *to = rfc822_get(&v->returned, "To");
	char addr[ADDR_MAX_LEN + 1], other[ADDR_MAX_LEN + 1];
	const char *next;
	struct classify_rcpt *r;

	if (to == NULL || (next = addr_find_next(to, strlen(to), addr,
	    NULL)) == NULL ||
	    addr_find_next(next, strlen(next), other, NULL) != NULL ||
	    (r = classify_add(c, addr)) == NULL)
		return 0;
	judge(c, r, "", folded, "failed");
	return 1;
}

/* X-Failed-Recipients (Exim) lists them in the header. */
static void
read_failed_header(const struct mailview *v, struct classify *c)
{
	const char *h = rfc822_get(&v->top, "X-Failed-Recipients");
	const char *p, *next;
	char addr[ADDR_MAX_LEN + 1];

	if (h == NULL)
		return;
	for (p = h; (next = addr_find_next(p, strlen(p), addr, NULL))
	    != NULL; p = next)
		(void)classify_add(c, addr);
}

/*
 * Mail from the null sender (RFC 5321: only notifications use it) that
 * returns a message and says it was not delivered: a bounce whatever
 * its sender's name and subject ("From: no-reply@...", "Subject: Mail").
 */
static int
returned_by_null_sender(const struct mailview *v)
{
	static const char *failed[] = { "could not be delivered",
	    "couldn't be delivered", "was not delivered", "undeliverable",
	    "delivery failed", "delivery has failed", "failed permanently" };
	const char *rp = rfc822_get(&v->top, "Return-Path");
	const struct mailview_part *text;
	char folded[1024];
	size_t i;

	if (rp == NULL || strspn(rp, " \t<>") != strlen(rp) ||
	    strchr(rp, '<') == NULL)
		return 0;
	if (mailview_find(v, "message/rfc822", -1) == NULL &&
	    mailview_find(v, "text/rfc822-headers", -1) == NULL)
		return 0;
	text = mailview_find(v, "text/plain", 0);
	if (text == NULL)
		return 0;
	fold_text(text->body, text->len, folded, sizeof(folded));
	for (i = 0; i < sizeof(failed) / sizeof(failed[0]); i++)
		if (strstr(folded, failed[i]) != NULL)
			return 1;
	return 0;
}

int
bounce_looks_like(const struct mailview *v, int weak_signs)
{
	static const char *subjects[] = { "undeliver", "undelivered",
	    "delivery status notification", "returned mail", "failure notice",
	    "delivery failure", "delivery failed", "mail delivery",
	    "non-delivery", "nondeliverable", "could not be delivered",
	    "delivery problem", "mail system error", "rejected", "bounce",
	    "delivery notification", "not delivered", "delivery report",
	    "warning: could not send", "delayed mail", "delivery delayed",
	    "unzustellbar", "non remis", "error sending message",
	    "message you sent", "notification", "failed" };
	const char *from = rfc822_get(&v->top, "From");
	const char *subject = rfc822_get(&v->top, "Subject");
	const char *ct = rfc822_get(&v->top, "Content-Type");
	char folded[512];
	size_t i;

	if (mailview_find(v, "message/delivery-status", -1) != NULL ||
	    mailview_find(v, "message/global-delivery-status", -1) != NULL ||
	    rfc822_get(&v->top, "X-Failed-Recipients") != NULL)
		return 1;
	if (ct != NULL) {
		fold_text(ct, strlen(ct), folded, sizeof(folded));
		if (strstr(folded, "report-type=delivery-status") != NULL ||
		    strstr(folded, "report-type=\"delivery-status\"") != NULL)
			return 1;
	}
	if (from != NULL) {
		fold_text(from, strlen(from), folded, sizeof(folded));
		if (strstr(folded, "mailer-daemon") != NULL ||
		    strstr(folded, "postmaster") != NULL ||
		    strstr(folded, "post_master") != NULL ||
		    strstr(folded, "mail delivery") != NULL ||
		    strstr(folded, "mail_daemon") != NULL ||
		    strstr(folded, "maildaemon") != NULL)
			return 1;
	}
	if (!weak_signs)
		return 0;
	if (returned_by_null_sender(v))
		return 1;
	if (subject == NULL)
		return 0;
	fold_text(subject, strlen(subject), folded, sizeof(folded));
	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++)
		if (strstr(folded, subjects[i]) != NULL)
			return 1;
	return 0;
}

/* The start of the line before the one that starts at `bol` (> text). */
static const char *
previous_line(const char *text, const char *bol)
{
	const char *line = bol - 1;

	while (line > text && line[-1] != '\n')
		line--;
	return line;
}

/*
 * A bounce forwarded as text: a mailbox that collects bounces passes on
 * the report it got, headers and all, in the body of its own notice
 * (OCN: a preamble, a rule, then "From MAILER-DAEMON ..." and the whole
 * multipart/report). Where the text holds such a report, that report
 * is what to read. Returns where its header starts, or NULL.
 */
static const char *
forwarded_report(const struct mailview *v, size_t *len)
{
	const struct mailview_part *p = mailview_find(v, "text/plain", 0);
	const char *ct, *start, *line;

	if (p == NULL || p->depth != 0 ||
	    (ct = strcasestr(p->body, "\ncontent-type: multipart/report"))
	    == NULL)
		return NULL;
	/* Back over the header lines to the blank line above them. */
	for (start = ct + 1; start > p->body; start = line) {
		line = previous_line(p->body, start);
		if (line[0] == '\n' || line[0] == '\r' ||
		    (line[0] != ' ' && line[0] != '\t' &&
		    memchr(line, ':', (size_t)(start - line)) == NULL &&
		    strncmp(line, "From ", 5) != 0))
			break;
	}
	*len = p->len - (size_t)(start - p->body);
	return start;
}

/*
 * A delivery-status report pasted into the text ("Technical report:",
 * then Reporting-MTA, Final-Recipient, Diagnostic-Code lines) is read
 * as one: its fields say who failed, better than every address in the
 * text would (its Diagnostic-Code may quote another).
 */
static size_t
read_text_dsn(const char *raw, const char *folded, struct classify *c)
{
	const char *final = strcasestr(raw, "\nfinal-recipient:");
	const char *from, *line;

	if (final == NULL)
		return 0;
	/* From the Reporting-MTA line, or the paragraph that names it. */
	from = strcasestr(raw, "\nreporting-mta:");
	if (from != NULL && from < final)
		from++;
	else
		for (from = final + 1; from > raw; from = line) {
			line = previous_line(raw, from);
			if (line[0] == '\n' || line[0] == '\r')
				break;	/* the blank line above it */
		}
	return read_dsn(from, strlen(from), NULL, folded, c);
}

/*
 * Notes the hosts the report's words name as those that answered
 * ("host mx.example.com[192.0.2.1] said:", "while talking to
 * mx.example.com.:"), for reports with no Remote-MTA field.
 */
static void
note_named_hosts(const char *folded, struct classify *c)
{
	static const char *intros[] = { "host ", "talking to " };
	static const char host_chars[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789.-";
	const char *p, *name;
	size_t i, n;

	for (i = 0; i < sizeof(intros) / sizeof(intros[0]); i++)
		for (p = strstr(folded, intros[i]); p != NULL;
		    p = strstr(p + 1, intros[i])) {
			name = p + strlen(intros[i]);
			n = strspn(name, host_chars);
			if (n > 3 && memchr(name, '.', n) != NULL)
				add_mta(c, name, n);
		}
}

size_t
bounce_read(const struct mailview *v, struct classify *c)
{
	const struct mailview_part *dsn;
	const char *forwarded, *mailer;
	struct buf text;
	char *folded;
	size_t n = 0, len;

	forwarded = forwarded_report(v, &len);
	if (forwarded != NULL) {
		struct mailview inner;

		mailview_init(&inner, forwarded, len);
		/* Its own text is a report's, not a forward: no recursion. */
		if (forwarded_report(&inner, &len) == NULL)
			n = bounce_read(&inner, c);
		mailview_release(&inner);
		if (n > 0)
			return n;
	}

	/* The program that wrote the report may say so, as IMail does. */
	mailer = rfc822_get(&v->top, "X-Mailer");
	if (mailer != NULL)
		add_mta(c, mailer, strlen(mailer));
	buf_init(&text, REPORT_TEXT_MAX);
	report_text(v, &text);
	folded = xmalloc(text.len + 1);
	fold_text(text.data != NULL ? text.data : "", text.len, folded,
	    text.len + 1);
	note_named_hosts(folded, c);
	c->report_reason = provider_report_reason(folded);
	dsn = mailview_find(v, "message/delivery-status", -1);
	if (dsn == NULL)
		dsn = mailview_find(v, "message/global-delivery-status", -1);
	if (dsn != NULL)
		n = read_dsn(dsn->body, dsn->len, buf_cstr(&text), folded, c);
	if (n == 0)
		n = read_text_dsn(buf_cstr(&text), folded, c);
	if (n == 0) {
		read_failed_header(v, c);
		n = c->nrcpt;
		if (n > 0) {
			char *own = xmalloc(DIAG_MAX);
			size_t i;

			/* Several: each by the lines that name it, if any. */
			for (i = 0; i < n; i++) {
				own[0] = '\0';
				if (n > 1)
					own_lines(buf_cstr(&text),
					    c->rcpt[i].addr, own, DIAG_MAX);
				if (own[0] != '\0')
					judge(c, &c->rcpt[i], own, folded,
					    "failed");
				else
					judge(c, &c->rcpt[i], folded, NULL,
					    "failed");
			}
			free(own);
		} else
			n = read_text_loosening(v, &text, folded, c);
	}
	if (n == 0)
		n = read_returned_to(v, folded, c);
	if (n == 0 && folded[0] != '\0') {
		/*
		 * A report that names nobody can still be attributed by
		 * the token in the address it came back to.
		 */
		struct classify_rcpt *r = classify_add(c, "");

		if (r != NULL) {
			judge(c, r, folded, NULL, "failed");
			n = 1;
		}
	}
	free(folded);
	buf_release(&text);
	return n;
}
