/* mailview: a parsed message, flattened (see mailview.h). */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "buf.h"
#include "fold.h"
#include "log.h"
#include "mailview.h"
#include "reason.h"
#include "xalloc.h"

static void
type_name(struct mailmime_content *ct, char *out, size_t outsize)
{
	const char *major = "application";
	struct mailmime_type *t = ct != NULL ? ct->ct_type : NULL;
	size_t i;

	if (t == NULL) {
		snprintf(out, outsize, "text/plain");
		return;
	}
	if (t->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE)
		major = t->tp_data.tp_composite_type->ct_type ==
		    MAILMIME_COMPOSITE_TYPE_MESSAGE ? "message" : "multipart";
	else {
		switch (t->tp_data.tp_discrete_type->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT:
			major = "text";
			break;
		case MAILMIME_DISCRETE_TYPE_IMAGE:
			major = "image";
			break;
		case MAILMIME_DISCRETE_TYPE_EXTENSION:
			major = t->tp_data.tp_discrete_type->dt_extension;
			break;
		default:
			break;
		}
	}
	snprintf(out, outsize, "%s/%s", major != NULL ? major : "x",
	    ct->ct_subtype != NULL ? ct->ct_subtype : "");
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
}

/* Lines that start the returned message in a text report. */
static const char *original_markers[] = {
	"below this line is a copy of the message",
	"this is a copy of the message",
	"original message follows",
	"original mail as follows",	/* fml */
	"original message header",
	"-- original message --",
	"----- original message -----",
	"-----original message-----",
	"the header of the original message",
	"original message headers",
	"unsent message below",
	"message headers follow",
	"headers of the original message",
	"returned message follows",
	"the text you sent follows",
	"--- original message",
	"this is the original message",
	"original message:",	/* alone on its line, the header below */
	"original message --",
	"----- message text follows -----",
	"---- begin returned",
	"this is the first part of the original message",
	"content-type: message/rfc822",
};

static int
starts_original(const char *line, size_t n)
{
	static const char *headers[] = { "return-path:", "received:",
	    "dkim-signature:", "x-received:", "message-id:" };
	char folded[96];	/* the markers are all near a line's start */
	size_t i;

	fold_text(line, n, folded, sizeof(folded));
	/* A header starts its line: one indented is quoted in the text. */
	for (i = 0; n > 0 && line[0] != ' ' && line[0] != '\t' &&
	    i < sizeof(headers) / sizeof(headers[0]); i++)
		if (strncmp(folded, headers[i], strlen(headers[i])) == 0)
			return 1;
	/* Every marker holds one of these: most lines are spared the rest. */
	if (strstr(folded, "message") == NULL &&
	    strstr(folded, "original") == NULL &&
	    strstr(folded, "returned") == NULL &&
	    strstr(folded, "you sent") == NULL)
		return 0;
	for (i = 0; i < sizeof(original_markers) / sizeof(original_markers[0]);
	    i++)
		if (strstr(folded, original_markers[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Where the returned message starts in a report's text (a line such as
 * "--- Below this line is a copy of the message.", or a Received:
 * field), or len.
 */
static size_t
mailview_original_offset(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (starts_original(p, (size_t)(nl - p)))
			return (size_t)(p - text);
		p = nl + 1;
	}
	return len;
}

static void
add_part(struct mailview *v, const char *type, const char *data,
    size_t len, int encoding, int depth, int is_message)
{
	struct mailview_part *p;
	char *decoded = NULL;
	size_t idx = 0, dlen = 0;

	if (v->nparts == MAILVIEW_PARTS_MAX)
		return;
	p = &v->parts[v->nparts++];
	snprintf(p->type, sizeof(p->type), "%s", type);
	p->depth = depth;
	p->is_message = is_message;
	if (encoding != MAILMIME_MECHANISM_7BIT &&
	    encoding != MAILMIME_MECHANISM_8BIT &&
	    encoding != MAILMIME_MECHANISM_BINARY &&
	    mailmime_part_parse(data, len, &idx, encoding, &decoded,
	    &dlen) == MAILIMF_NO_ERROR) {
		p->body = xstrndup(decoded, dlen);
		mailmime_decoded_part_free(decoded);
		/* A NUL in the body would hide what follows it. */
		p->len = strlen(p->body);
	} else {
		p->body = xstrndup(data, len);
		p->len = strlen(p->body);
	}
	p->original = strncmp(p->type, "text/", 5) == 0 && !is_message &&
	    depth == 0 ?
	    mailview_original_offset(p->body, p->len) : p->len;
}

static void
walk(struct mailview *v, struct mailmime *m, int depth)
{
	char type[MAILVIEW_TYPE_MAX];
	struct mailmime_data *d;
	clistiter *it;

	if (m == NULL || depth > 8)
		return;
	type_name(m->mm_content_type, type, sizeof(type));
	switch (m->mm_type) {
	case MAILMIME_MULTIPLE:
		for (it = clist_begin(m->mm_data.mm_multipart.mm_mp_list);
		    it != NULL; it = clist_next(it))
			walk(v, clist_content(it), depth);
		break;
	case MAILMIME_MESSAGE:
		d = m->mm_body;
		if (d != NULL && d->dt_type == MAILMIME_DATA_TEXT)
			add_part(v, type, d->dt_data.dt_text.dt_data,
			    d->dt_data.dt_text.dt_length, d->dt_encoding,
			    depth, 1);
		walk(v, m->mm_data.mm_message.mm_msg_mime, depth + 1);
		break;
	case MAILMIME_SINGLE:
		d = m->mm_data.mm_single;
		if (d != NULL && d->dt_type == MAILMIME_DATA_TEXT)
			add_part(v, type, d->dt_data.dt_text.dt_data,
			    d->dt_data.dt_text.dt_length, d->dt_encoding,
			    depth, 0);
		break;
	default:
		break;
	}
}

/* Does s start with "Name:"? */
static int
field_like(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-'))
		i++;
	return i > 0 && i < n && s[i] == ':';
}

/*
 * The header of the returned message: an attached message/rfc822 or
 * text/rfc822-headers part, else the text after the marker line of a
 * plain report (the marker itself skipped unless it is a field).
 */
static void
find_returned(struct mailview *v)
{
	size_t i, off;

	for (i = 0; i < v->nparts; i++) {
		const struct mailview_part *p = &v->parts[i];

		if (p->depth == 0 && (p->is_message ||
		    strcmp(p->type, "text/rfc822-headers") == 0)) {
			(void)rfc822_fields_parse(&v->returned, p->body,
			    p->len);
			return;
		}
	}
	for (i = 0; i < v->nparts; i++) {
		const struct mailview_part *p = &v->parts[i];

		if (p->depth != 0 || strcmp(p->type, "text/plain") != 0 ||
		    p->original == p->len)
			continue;
		off = p->original;
		if (!field_like(p->body + off, p->len - off)) {
			const char *nl = memchr(p->body + off, '\n',
			    p->len - off);

			if (nl == NULL)
				return;
			off = (size_t)(nl + 1 - p->body);
		}
		(void)rfc822_fields_parse(&v->returned, p->body + off,
		    p->len - off);
		return;
	}
}

/*
 * libetpan converts every Content-Type value, and every word of a
 * phrase, from us-ascii to UTF-8 through iconv, opening a converter
 * each time: most of a parse's cost. Plain ASCII into UTF-8 is a copy,
 * done here; anything else goes on to iconv as before.
 */
static int
ascii_charconv(const char *tocode, const char *fromcode, const char *str,
    size_t length, char *result, size_t *result_len)
{
	size_t i;

	if ((strcasecmp(tocode, "utf-8") != 0 &&
	    strcasecmp(tocode, "utf8") != 0) || length > *result_len)
		return MAIL_CHARCONV_ERROR_UNKNOWN_CHARSET;
	if (strcasecmp(fromcode, "us-ascii") != 0 &&
	    strcasecmp(fromcode, "utf-8") != 0 &&
	    strcasecmp(fromcode, "utf8") != 0)
		return MAIL_CHARCONV_ERROR_UNKNOWN_CHARSET;
	for (i = 0; i < length; i++)
		if ((unsigned char)str[i] >= 0x80)
			return MAIL_CHARCONV_ERROR_UNKNOWN_CHARSET;
	memcpy(result, str, length);
	*result_len = length;
	return MAIL_CHARCONV_NO_ERROR;
}

/* libetpan's hook is a global: set once, even when threads share it. */
static pthread_once_t charconv_set = PTHREAD_ONCE_INIT;

static void
set_charconv(void)
{
	extended_charconv = ascii_charconv;
}

/*
 * A header cut short (a forward, a copy saved by hand) can lose the
 * Content-Type of a multipart body that still has its boundaries: a
 * line "--X" early on, and "--X--" to close. Then the header libetpan
 * sees says so: multipart/mixed with boundary X.
 */
/*
 * Only the characters RFC 2046 allows in a boundary: what goes into the
 * header libetpan reads can be nothing else, whatever the mail holds.
 */
static int
is_boundary(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0' || (!isalnum((unsigned char)s[i]) &&
		    strchr("'()+_,-./:=? ", s[i]) == NULL))
			return 0;
	return n > 0 && s[n - 1] != ' ';
}

/* (mailview_init checks head->failed) */
static void
guess_multipart(struct buf *head, const char *body, size_t len)
{
	const char *p = body, *end = body + len, *nl;
	char close[80];
	size_t n, lines;

	for (lines = 0; p < end && lines < 20; lines++, p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n < 3 || n > 72 || p[0] != '-' || p[1] != '-')
			continue;
		/* The boundary: what follows "--", and "--X--" must come. */
		snprintf(close, sizeof(close), "\n%.*s--", (int)n, p);
		if (memmem(nl, (size_t)(end - nl), close, strlen(close)) ==
		    NULL || !is_boundary(p + 2, n - 2))
			return;
		(void)buf_append(head, "Content-Type: multipart/mixed; "
		    "boundary=\"", 41);
		(void)buf_append(head, p + 2, n - 2);
		(void)buf_append(head, "\"\r\n", 3);
		return;
	}
}

/*
 * A multipart Content-Type's delimiter line, "--" and its boundary, in
 * out; its length, or 0 when ct is not multipart or has no boundary.
 */
static size_t
delimiter_of(const char *ct, char out[74])
{
	const char *b;
	size_t n;

	if (ct == NULL || strncasecmp(ct, "multipart/", 10) != 0 ||
	    (b = strcasestr(ct, "boundary=")) == NULL)
		return 0;
	b += 9;
	if (*b == '"')
		n = strcspn(++b, "\"");
	else
		n = strcspn(b, " \t;");
	if (n == 0 || n > 70)
		return 0;
	out[0] = out[1] = '-';
	memcpy(out + 2, b, n);
	return n + 2;
}

/*
 * A multipart whose boundary never occurs in its body: a gateway that
 * rewrote one and not the other. Its parts are still there, under the
 * delimiter the body does use.
 */
static int
delimiter_missing(const char *ct, const char *body, size_t len)
{
	char delimiter[74];
	size_t n = delimiter_of(ct, delimiter);

	return n > 0 && memmem(body, len, delimiter, n) == NULL;
}

/*
 * A boundary line indented by a space or a tab (a hand-made or mangled
 * report) is not one to libetpan, which then reads the parts as one.
 * The white space goes after the boundary instead, where RFC 2046 lets
 * it be: the body keeps its length.
 */
static void
unindent_boundaries(const char *ct, char *body, size_t len)
{
	char boundary[74], *p, *nl, *end = body + len;
	size_t n, ws;

	n = delimiter_of(ct, boundary);
	if (n == 0)
		return;
	for (p = body; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		for (ws = 0; p + ws < nl && (p[ws] == ' ' || p[ws] == '\t');
		    ws++)
			;
		if (ws == 0 || (size_t)(nl - p - ws) < n ||
		    memcmp(p + ws, boundary, n) != 0)
			continue;
		memmove(p, p + ws, n);
		memset(p + n, ' ', ws);
	}
}

void
mailview_init(struct mailview *v, const char *msg, size_t len)
{
	static const char *mime_fields[] = { "MIME-Version", "Content-Type",
	    "Content-Transfer-Encoding" };
	struct mailmime *mime = NULL;
	struct buf head;
	size_t idx = 0, off, i;

	pthread_once(&charconv_set, set_charconv);
	memset(v, 0, sizeof(*v));
	rfc822_fields_init(&v->top);
	rfc822_fields_init(&v->returned);
	/* An mbox "From " line before the header is not part of it. */
	if (len > 5 && memcmp(msg, "From ", 5) == 0) {
		const char *nl = memchr(msg, '\n', len);

		off = nl != NULL ? (size_t)(nl + 1 - msg) : len;
		msg += off;
		len -= off;
	}
	off = rfc822_fields_parse(&v->top, msg, len);
	/*
	 * libetpan parses the header it is given field by field, and a
	 * bounce's is long (Received, DKIM, ...): it gets only the fields
	 * MIME needs, ahead of the body. Its decoders also look a byte or
	 * two past the end of their input (found by fuzzing): the copy is
	 * padded with NULs.
	 */
	buf_init(&head, 4 * RFC822_VALUE_MAX);
	for (i = 0; i < sizeof(mime_fields) / sizeof(mime_fields[0]); i++) {
		const char *value = rfc822_get(&v->top, mime_fields[i]);

		if (strcmp(mime_fields[i], "Content-Type") == 0 &&
		    delimiter_missing(value, msg + off, len - off))
			guess_multipart(&head, msg + off, len - off);
		else if (value != NULL) {
			(void)buf_append(&head, mime_fields[i],
			    strlen(mime_fields[i]));
			(void)buf_append(&head, ": ", 2);
			(void)buf_append(&head, value, strlen(value));
			(void)buf_append(&head, "\r\n", 2);
		}
	}
	if (rfc822_get(&v->top, "Content-Type") == NULL)
		guess_multipart(&head, msg + off, len - off);
	(void)buf_append(&head, "\r\n", 2);
	/* Three fields of at most RFC822_VALUE_MAX and a boundary fit. */
	if (head.failed)
		BUG("the MIME fields outgrew their buffer");
	v->copy = xmalloc(head.len + (len - off) + MAILVIEW_PAD);
	memcpy(v->copy, head.data, head.len);
	memcpy(v->copy + head.len, msg + off, len - off);
	memset(v->copy + head.len + (len - off), 0, MAILVIEW_PAD);
	v->body = v->copy + head.len;
	v->bodylen = len - off;
	unindent_boundaries(rfc822_get(&v->top, "Content-Type"),
	    v->copy + head.len, v->bodylen);
	if (mailmime_parse(v->copy, head.len + v->bodylen, &idx, &mime) ==
	    MAILIMF_NO_ERROR && mime != NULL &&
	    mime->mm_type == MAILMIME_MESSAGE) {
		v->mime_ok = 1;
		walk(v, mime->mm_data.mm_message.mm_msg_mime, 0);
	}
	if (mime != NULL)
		mailmime_free(mime);
	buf_release(&head);
	if (v->nparts == 0)
		add_part(v, "text/plain", v->body, v->bodylen,
		    MAILMIME_MECHANISM_8BIT, 0, 0);
	find_returned(v);
}

void
mailview_release(struct mailview *v)
{
	size_t i;

	for (i = 0; i < v->nparts; i++)
		free(v->parts[i].body);
	rfc822_fields_release(&v->top);
	rfc822_fields_release(&v->returned);
	free(v->copy);
	memset(v, 0, sizeof(*v));
}

const struct mailview_part *
mailview_find(const struct mailview *v, const char *type, int depth)
{
	size_t i;

	for (i = 0; i < v->nparts; i++)
		if (strcmp(v->parts[i].type, type) == 0 &&
		    (depth < 0 || v->parts[i].depth == depth))
			return &v->parts[i];
	return NULL;
}
