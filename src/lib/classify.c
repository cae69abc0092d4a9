/*
 * classify: what a message is (see classify.h).
 *
 * The order matters: a delivery-status or feedback report says what it
 * is; an auto-reply says so in its header or its first words and must
 * never pass for a bounce or a person; then the signs of a bounce; and
 * only mail addressed to our reply addresses is read as a reply.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <libetpan/libetpan.h>

#include "bounce.h"
#include "classify.h"
#include "fold.h"
#include "intent.h"
#include "listrefusal.h"
#include "mailview.h"
#include "reason.h"

/* Control bytes (and, unless keep_newlines, newlines) made spaces. */
static void
blank_controls(char *s, int keep_newlines)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 32 && (*s != '\n' || !keep_newlines))
		    || *s == 127)
			*s = ' ';
}

/* Text for a person: RFC 2047 decoded, control bytes made spaces. */
static void
decoded_text(const char *raw, char *out, size_t outsize)
{
	char *dec = NULL;
	size_t idx = 0;

	out[0] = '\0';
	if (raw == NULL)
		return;
	/* Only an encoded word needs libetpan, whose iconv_open is dear. */
	if (strstr(raw, "=?") != NULL && mailmime_encoded_phrase_parse(
	    "utf-8", raw, strlen(raw), &idx, "utf-8", &dec) ==
	    MAILIMF_NO_ERROR && dec != NULL) {
		snprintf(out, outsize, "%s", dec);
		free(dec);
	} else
		snprintf(out, outsize, "%s", raw);
	blank_controls(out, 0);
}

static void
add_token(struct classify *c, char role, int addressed, const char *s,
    size_t n)
{
	size_t i;

	if (n == 0 || n >= TOKEN_MAX || c->ntokens == CLASSIFY_TOKENS_MAX)
		return;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return;
	for (i = 0; i < c->ntokens; i++)
		if (c->tokens[i].role == role &&
		    strncmp(c->tokens[i].value, s, n) == 0 &&
		    c->tokens[i].value[n] == '\0')
			return;
	c->tokens[c->ntokens].role = role;
	c->tokens[c->ntokens].addressed = addressed;
	memcpy(c->tokens[c->ntokens].value, s, n);
	c->tokens[c->ntokens].value[n] = '\0';
	c->ntokens++;
}

/* Finds role+TOKEN@ addresses and ?t=TOKEN links in a header value. */
static void
scan_tokens(struct classify *c, const char *value, int addressed)
{
	static const struct {
		const char *prefix;
		char role;
	} roles[] = {
		{ "bounce+", CLASSIFY_ROLE_BOUNCE },
		{ "reply+", CLASSIFY_ROLE_REPLY },
		{ "unsubscribe+", CLASSIFY_ROLE_UNSUBSCRIBE },
		{ "sign+", CLASSIFY_ROLE_SIGN },
		{ "?t=", CLASSIFY_ROLE_UNSUBSCRIBE },
	};
	size_t i;

	if (value == NULL)
		return;
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		const char *p = value;
		size_t plen = strlen(roles[i].prefix);

		while ((p = strcasestr(p, roles[i].prefix)) != NULL) {
			const char *t = p + plen;
			size_t n = 0;

			while (isalnum((unsigned char)t[n]) || t[n] == '-')
				n++;
			if (roles[i].prefix[0] == '?' || t[n] == '@')
				add_token(c, roles[i].role, addressed, t,
				    n);
			p = t;
		}
	}
}

static void
find_tokens(const struct mailview *v, struct classify *c)
{
	static const char *ours[] = { "Delivered-To", "X-Original-To",
	    "Envelope-To", "X-Envelope-To", "To", "Cc" };
	size_t i, j;

	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		for (j = 0; j < v->top.n; j++)
			if (strcasecmp(v->top.v[j].name, ours[i]) == 0)
				scan_tokens(c, v->top.v[j].value, 1);
	/* The returned message carries its Return-Path and Reply-To. */
	for (j = 0; j < v->returned.n; j++)
		if (strcasecmp(v->returned.v[j].name, "Return-Path") == 0 ||
		    strcasecmp(v->returned.v[j].name, "Reply-To") == 0 ||
		    strcasecmp(v->returned.v[j].name, "List-Unsubscribe") == 0)
			scan_tokens(c, v->returned.v[j].value, 0);
}

/* Was the message sent to one of our role+TOKEN@ addresses? */
static int
addressed_as(const struct classify *c, char role)
{
	size_t i;

	for (i = 0; i < c->ntokens; i++)
		if (c->tokens[i].role == role && c->tokens[i].addressed)
			return 1;
	return 0;
}

/* The first text a person would read: text/plain, else HTML's text. */
static const struct mailview_part *
first_text(const struct mailview *v)
{
	const struct mailview_part *p;

	p = mailview_find(v, "text/plain", 0);
	if (p == NULL)
		p = mailview_find(v, "text/html", 0);
	return p;
}

/* Someone a complaint, an auto-reply or a reply is about. */
static struct classify_rcpt *
add_person(struct classify *c, const char *addr, enum reason reason)
{
	struct classify_rcpt *r = classify_add(c, addr);

	if (r != NULL)
		r->reason = reason;
	return r;
}

static void
add_addresses(struct classify *c, const char *value, enum reason reason)
{
	char a[ADDR_MAX_LEN + 1];
	const char *p, *next;

	if (value == NULL)
		return;
	for (p = value; (next = addr_find_next(p, strlen(p), a, NULL))
	    != NULL; p = next)
		add_person(c, a, reason);
}

/* Did a mail client's unsubscribe button write this (Apple Mail)? */
static int
is_client_unsubscribe(const struct mailview *v)
{
	const char *flag = rfc822_get(&v->top, "X-Apple-Unsubscribe");

	return flag != NULL && strncasecmp(flag, "true", 4) == 0;
}

/*
 * A feedback report (RFC 5965), or a provider's complaint in its own
 * form (Hotmail's, Amazon SES's): who complained. 1 if it is one.
 */
static int
read_complaint(const struct mailview *v, struct classify *c)
{
	const struct mailview_part *fb;
	const char *subject = rfc822_get(&v->top, "Subject");
	struct rfc822_fields f;

	fb = mailview_find(v, "message/feedback-report", -1);
	if (fb == NULL && (subject == NULL ||
	    strcasestr(subject, "complaint about message") == NULL))
		return 0;
	rfc822_fields_init(&f);
	if (fb != NULL) {
		size_t i;

		(void)rfc822_fields_parse(&f, fb->body, fb->len);
		/* Each may come once for each recipient (RFC 5965 3.2). */
		for (i = 0; i < f.n; i++)
			if (strcasecmp(f.v[i].name, "Original-Rcpt-To") == 0 ||
			    strcasecmp(f.v[i].name, "Removal-Recipient") == 0)
				add_addresses(c, f.v[i].value, REASON_FEEDBACK);
	}
	if (c->nrcpt == 0)
		add_addresses(c, rfc822_get(&v->returned,
		    "X-HmXmrOriginalRecipient"), REASON_FEEDBACK);
	if (c->nrcpt == 0)
		add_addresses(c, rfc822_get(&v->returned, "To"),
		    REASON_FEEDBACK);
	rfc822_fields_release(&f);
	if (c->nrcpt == 0)
		add_person(c, "", REASON_FEEDBACK);
	return 1;
}

static void
ses_recipients(struct classify *c, const cJSON *list, enum reason reason,
    int hard, const char *fallback_status)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list) {
		const cJSON *a = cJSON_GetObjectItem(e, "emailAddress");
		const cJSON *st = cJSON_GetObjectItem(e, "status");
		const cJSON *dc = cJSON_GetObjectItem(e, "diagnosticCode");
		char addr[ADDR_MAX_LEN + 1];
		struct classify_rcpt *r;
		struct reason_input in;

		if (!cJSON_IsString(a) ||
		    addr_find_next(a->valuestring,
		    strlen(a->valuestring), addr, NULL) == NULL)
			continue;
		r = add_person(c, addr, reason);
		if (r == NULL)
			continue;	/* named twice, or too many */
		snprintf(r->status, sizeof(r->status), "%s", cJSON_IsString(st)
		    ? st->valuestring : fallback_status);
		if (reason == REASON_NONE) {
			memset(&in, 0, sizeof(in));
			in.diag = cJSON_IsString(dc) ? dc->valuestring : "";
			in.status = r->status;
			r->reason = reason_of(&in);
			r->hard = hard >= 0 ? hard :
			    reason_is_hard(r->reason, r->status);
		}
	}
}

/*
 * Amazon SES sends its notifications as JSON, bare or inside an SNS
 * envelope. Returns the kind it says, or CLASSIFY_UNKNOWN.
 */
static enum classify_kind
read_ses_json(const struct mailview *v, struct classify *c)
{
	const struct mailview_part *p = mailview_find(v, "text/plain", 0);
	const cJSON *type, *inner;
	cJSON *root, *msg = NULL;
	enum classify_kind kind = CLASSIFY_UNKNOWN;
	const char *start;

	if (p == NULL || (start = strchr(p->body, '{')) == NULL ||
	    strstr(start, "notificationType") == NULL)
		return kind;
	root = cJSON_Parse(start);
	if (root == NULL)
		return kind;
	inner = cJSON_GetObjectItem(root, "Message");
	if (cJSON_IsString(inner))
		msg = cJSON_Parse(inner->valuestring);
	inner = msg != NULL ? msg : root;
	type = cJSON_GetObjectItem(inner, "notificationType");
	if (cJSON_IsString(type) && strcmp(type->valuestring,
	    "Complaint") == 0) {
		ses_recipients(c, cJSON_GetObjectItem(cJSON_GetObjectItem(
		    inner, "complaint"), "complainedRecipients"),
		    REASON_FEEDBACK,
		    -1, "");
		kind = CLASSIFY_COMPLAINT;
	} else if (cJSON_IsString(type) && strcmp(type->valuestring,
	    "Bounce") == 0) {
		const cJSON *b = cJSON_GetObjectItem(inner, "bounce");
		const cJSON *bt = cJSON_GetObjectItem(b, "bounceType");
		int hard = cJSON_IsString(bt) && strcmp(bt->valuestring,
		    "Permanent") == 0 ? -1 : 0;

		ses_recipients(c, cJSON_GetObjectItem(b, "bouncedRecipients"),
		    REASON_NONE, hard, "");
		kind = CLASSIFY_BOUNCE;
	} else if (cJSON_IsString(type) && strcmp(type->valuestring,
	    "Delivery") == 0) {
		const cJSON *d = cJSON_GetObjectItem(inner, "delivery");
		const cJSON *list = cJSON_GetObjectItem(d, "recipients");
		const cJSON *e;

		cJSON_ArrayForEach(e, list)
			if (cJSON_IsString(e))
				add_addresses(c, e->valuestring,
				    REASON_DELIVERED);
		kind = CLASSIFY_BOUNCE;
	}
	cJSON_Delete(msg);
	cJSON_Delete(root);
	return kind;
}

/* RFC 3834 and the ways of mail clients that ignore it. */
static int
is_autoreply(const struct mailview *v, const char *subject)
{
	static const char *headers[] = { "X-Autoreply", "X-Autorespond",
	    "X-Auto-Reply", "X-Autoresponder", "X-Vacation" };
	static const char *subjects[] = { "automatic reply", "auto reply",
	    "auto-reply", "autoreply", "auto:", "autorespon", "auto response",
	    "out of office", "out of the office", "abwesenheit",
	    "réponse automatique", "reponse automatique", "absence",
	    "respuesta automática", "respuesta automatica",
	    "risposta automatica", "resposta automática",
	    "automatisch antwoord", "vacation", "on leave", "away from" };
	const char *as = rfc822_get(&v->top, "Auto-Submitted");
	const char *prec = rfc822_get(&v->top, "Precedence");
	const struct mailview_part *text;
	char folded[CLASSIFY_TEXT_MAX];
	size_t i;

	if (as != NULL && strncasecmp(as, "auto-replied", 12) == 0)
		return 1;
	if (prec != NULL && strcasecmp(prec, "auto_reply") == 0)
		return 1;
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (rfc822_get(&v->top, headers[i]) != NULL)
			return 1;
	fold_text(subject, strlen(subject), folded, sizeof(folded));
	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++)
		if (strstr(folded, subjects[i]) != NULL)
			return 1;
	text = first_text(v);
	return text != NULL && intent_is_away_notice(text->body, text->len);
}

/*
 * Why an auto-reply came: vacation (the person is away), or suspend
 * when it says the mailbox itself is closed. Either way it is only
 * reported: an auto-reply never changes a subscriber.
 */
static enum reason
autoreply_reason(const struct mailview *v)
{
	static const char *closed[] = { "no longer in use",
	    "no longer active", "no longer monitored", "no longer exists",
	    "mailbox has been closed", "account has been closed",
	    "has been deactivated" };
	const struct mailview_part *text = first_text(v);
	char folded[CLASSIFY_EXCERPT_MAX];
	size_t i;

	if (text == NULL)
		return REASON_VACATION;
	fold_text(text->body, text->len, folded, sizeof(folded));
	for (i = 0; i < sizeof(closed) / sizeof(closed[0]); i++)
		if (strstr(folded, closed[i]) != NULL)
			return REASON_SUSPEND;
	return REASON_VACATION;
}

/* Ends an excerpt where the quoted message starts. */
static void
cut_quote(char *s)
{
	char *line = s, *nl;

	for (; *line != '\0'; line = nl + 1) {
		size_t n;

		nl = strchr(line, '\n');
		n = nl != NULL ? (size_t)(nl - line) : strlen(line);
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\r'))
			n--;
		if (line[0] == '>' || (n >= 6 && strncmp(line + n - 6,
		    "wrote:", 6) == 0) || strncmp(line, "-----", 5) == 0) {
			while (line > s && (line[-1] == '\n' ||
			    line[-1] == '\r' || line[-1] == ' '))
				line--;
			*line = '\0';
			return;
		}
		if (nl == NULL)
			return;
	}
}

static void
read_reply(const struct mailview *v, struct classify *c)
{
	const struct mailview_part *text = first_text(v);
	enum intent i = INTENT_OTHER;

	if (text != NULL) {
		size_t n = text->len < sizeof(c->excerpt) - 1 ? text->len :
		    sizeof(c->excerpt) - 1;

		i = intent_of(text->body, text->len, c->subject);
		memcpy(c->excerpt, text->body, n);
		c->excerpt[n] = '\0';
		cut_quote(c->excerpt);
		/* up to where the cut ends it, not over its NUL */
		blank_controls(c->excerpt, 1);
	} else
		i = intent_of("", 0, c->subject);
	/*
	 * Mail to our unsubscribe address is the request (RFC 2369), and
	 * mail to the sign address signs, unless the words ask otherwise:
	 * never the opposite of what the writer asked.
	 */
	if (addressed_as(c, CLASSIFY_ROLE_UNSUBSCRIBE))
		i = i == INTENT_OTHER || i == INTENT_UNSUBSCRIBE ?
		    INTENT_UNSUBSCRIBE : INTENT_OTHER;
	else if (addressed_as(c, CLASSIFY_ROLE_SIGN) && i == INTENT_OTHER)
		i = INTENT_SIGN;	/* the sign_mailto link */
	c->kind = i == INTENT_UNSUBSCRIBE ? CLASSIFY_UNSUBSCRIBE :
	    i == INTENT_SIGN ? CLASSIFY_SIGN : CLASSIFY_REPLY;
	add_person(c, c->from, c->kind == CLASSIFY_REPLY ? REASON_REPLY :
	    c->kind == CLASSIFY_SIGN ? REASON_SIGN : REASON_UNSUBSCRIBE);
}

void
classify_message(const char *msg, size_t len, struct classify *c)
{
	struct mailview v;
	enum classify_kind ses;
	int strong;

	/*
	 * Empty, without clearing the arrays (12 KB a message): their
	 * entries are written whole as they are added, and read only
	 * below nrcpt and ntokens.
	 */
	c->kind = CLASSIFY_UNKNOWN;
	c->mime_ok = 0;
	c->nrcpt = c->ntokens = 0;
	c->from[0] = c->subject[0] = c->date[0] = c->excerpt[0] = '\0';
	c->mtas[0] = '\0';
	c->report_reason = REASON_NONE;
	mailview_init(&v, msg, len);
	c->mime_ok = v.mime_ok;
	decoded_text(rfc822_get(&v.top, "Subject"), c->subject,
	    sizeof(c->subject));
	decoded_text(rfc822_get(&v.top, "Date"), c->date, sizeof(c->date));
	{
		const char *from = rfc822_get(&v.top, "From");

		if (from != NULL)
			(void)addr_find_next(from, strlen(from), c->from,
			    NULL);
	}
	find_tokens(&v, c);
	/* A bounce by its structure or sender, not just by its subject. */
	strong = bounce_looks_like(&v, 0);
	ses = read_ses_json(&v, c);
	if (ses != CLASSIFY_UNKNOWN)
		c->kind = ses;
	else if (read_complaint(&v, c))
		c->kind = CLASSIFY_COMPLAINT;
	else if (strong && bounce_read(&v, c) > 0)
		c->kind = CLASSIFY_BOUNCE;
	else if (list_refusal_read(&v, c) > 0)
		c->kind = CLASSIFY_BOUNCE;
	else if (addressed_as(c, CLASSIFY_ROLE_UNSUBSCRIBE))
		/*
		 * Our List-Unsubscribe mailbox gets no auto-replies (they go
		 * to From or Reply-To), but mail clients' unsubscribe
		 * buttons write to it marked Auto-Submitted (Apple Mail).
		 */
		read_reply(&v, c);
	else if (is_client_unsubscribe(&v)) {
		/*
		 * The same button's mail to a List-Unsubscribe address that
		 * is not ours carries no token: the sender asks to be off
		 * every list, as a complaint does.
		 */
		c->kind = CLASSIFY_COMPLAINT;
		add_person(c, c->from, REASON_FEEDBACK);
	} else if (is_autoreply(&v, c->subject)) {
		c->kind = CLASSIFY_AUTOREPLY;
		add_person(c, c->from, autoreply_reason(&v));
	} else if (!strong && bounce_looks_like(&v, 1) &&
	    bounce_read(&v, c) > 0)
		c->kind = CLASSIFY_BOUNCE;
	else if (addressed_as(c, CLASSIFY_ROLE_REPLY) ||
	    addressed_as(c, CLASSIFY_ROLE_UNSUBSCRIBE) ||
	    addressed_as(c, CLASSIFY_ROLE_SIGN))
		read_reply(&v, c);
	mailview_release(&v);
}
