/* mime: the outgoing message (see mime.h). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "header.h"
#include "mime.h"

static const char hex[] = "0123456789ABCDEF";

/* 1 if the bytes at p begin a line break: CRLF, LF, or CR alone. */
static size_t
line_break(const char *p, const char *end)
{
	if (*p == '\n')
		return 1;
	if (*p == '\r')
		return p + 1 < end && p[1] == '\n' ? 2 : 1;
	return 0;
}

/*
 * How many bytes from p on (at most `max`) go as they are inside a
 * line: printable ASCII but '=', and spaces not at a line's end.
 */
static size_t
plain_run(const char *p, const char *end, size_t max)
{
	const char *q = p, *stop = end - p > (ptrdiff_t)max ? p + max : end;

	for (; q < stop; q++) {
		unsigned char c = (unsigned char)*q;

		if (c >= 0x21 && c <= 0x7e && c != '=')
			continue;
		if (c == ' ' && q + 1 < end && q[1] != '\r' && q[1] != '\n')
			continue;
		break;
	}
	return (size_t)(q - p);
}

/*
 * Writes into space reserved for the worst case (every byte encoded,
 * plus soft breaks), so the hot loop appends nothing itself: this runs
 * for every byte of every message sent.
 */
void
mime_qp(struct buf *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	char *o, *start;
	size_t col = 0, nl, run;

	start = o = buf_space(out, len * 3 + (len / 24 + 1) * 3 + 4);
	if (o == NULL)
		return;		/* too large: the caller's append fails */
	while (p < end) {
		unsigned char c = (unsigned char)*p;

		nl = c == '\n' || c == '\r' ? line_break(p, end) : 0;
		if (nl > 0) {
			*o++ = '\r';
			*o++ = '\n';
			col = 0;
			p += nl;
			continue;
		}
		/* The common case first: a run of bytes that go as they
		 * are, inside a line, short of where a soft break is due. */
		if (col > 0 && col + 3 <= MIME_QP_LINE_MAX - 1) {
			run = plain_run(p, end, MIME_QP_LINE_MAX - 3 - col);
			if (run > 0) {
				memcpy(o, p, run);
				o += run;
				col += run;
				p += run;
				continue;
			}
		}
		/* Break before a token could pass 75 (76 with the '='), so
		 * the line-start rules below see every line start. */
		if (col + 3 > MIME_QP_LINE_MAX - 1) {
			memcpy(o, "=\r\n", 3);
			o += 3;
			col = 0;
		}
		if ((col == 0 && (c == '.' || (end - p >= 5 &&
		    memcmp(p, "From ", 5) == 0))) ||
		    ((c == ' ' || c == '\t') && (p + 1 == end ||
		    line_break(p + 1, end) > 0)) ||
		    c == '=' || c >= 0x7f || (c < 0x20 && c != '\t')) {
			*o++ = '=';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
			col += 3;
		} else {
			*o++ = (char)c;
			col++;
		}
		p++;
	}
	buf_advance(out, (size_t)(o - start));
}

/* RFC 5322 date, in UTC: "Sun, 22 Nov 2026 13:40:00 +0000". */
static void
mime_date(char *out, size_t outsize, time_t t)
{
	static const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, outsize, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int
list_headers(struct buf *out, const struct message *m)
{
	struct buf clean, v;
	int r;

	buf_init(&clean, HEADER_VALUE_MAX);
	buf_init(&v, 2 * HEADER_VALUE_MAX);
	r = header_list_id(out, m->list_name, m->list_id);
	(void)buf_printf(&v, "<mailto:%s>", m->unsubscribe_mailto);
	buf_reset(&clean);
	(void)buf_printf(&clean, "<%s>", m->unsubscribe_url);
	if (r == 0 && (v.failed || clean.failed))
		r = -1;		/* an address or URL past any header */
	if (r == 0)
		r = header_raw_fold(out, "List-Unsubscribe", buf_cstr(&v), ", ",
		    buf_cstr(&clean));
	if (r == 0)
		r = header_raw(out, "List-Unsubscribe-Post",
		    "List-Unsubscribe=One-Click");
	buf_release(&clean);
	buf_release(&v);
	return r;
}

static int
headers(struct buf *out, const struct message *m)
{
	char date[64];

	mime_date(date, sizeof(date), m->date);
	if (header_raw(out, "Date", date) == -1 ||
	    header_address(out, "From", m->from_name, m->from_addr) == -1 ||
	    header_address(out, "To", m->to_name, m->to_addr) == -1 ||
	    header_text(out, "Subject", m->subject) == -1 ||
	    header_address(out, "Reply-To", NULL, m->reply_to) == -1 ||
	    header_raw(out, "Message-ID", m->message_id) == -1 ||
	    (m->list_id != NULL && list_headers(out, m) == -1))
		return -1;
	return header_raw(out, "MIME-Version", "1.0");
}

/*
 * A list's messages are bulk and automatic (RFC 3834): vacation and
 * out-of-office responders stay quiet, people can still reply. The
 * Microsoft header is the one Exchange reads.
 */
static int
bulk_headers(struct buf *out, const struct message *m)
{
	if (m->feedback_id != NULL &&
	    header_raw(out, "Feedback-ID", m->feedback_id) == -1)
		return -1;
	if (m->list_id == NULL)
		return 0;
	if (header_raw(out, "Auto-Submitted", "auto-generated") == -1 ||
	    header_raw(out, "Precedence", "bulk") == -1)
		return -1;
	return header_raw(out, "X-Auto-Response-Suppress", "OOF, AutoReply");
}

/* (mime_build checks out->failed once, for every part) */
static int
part(struct buf *out, const char *type, const char *body, size_t len)
{
	(void)buf_printf(out, "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type);
	mime_qp(out, body, len);
	return buf_puts(out, "\r\n");
}

int
mime_build(struct buf *out, const struct message *m)
{
	char boundary[128];

	if (headers(out, m) == -1 || bulk_headers(out, m) == -1)
		return -1;
	if (m->html == NULL)
		return part(out, "text/plain", m->text, m->text_len) == -1 ||
		    out->failed ? -1 : 0;

	snprintf(boundary, sizeof(boundary), "boundary=\"%s\"", m->boundary);
	if (header_raw_fold(out, "Content-Type", "multipart/alternative", "; ",
	    boundary) == -1 || buf_puts(out, "\r\n") == -1)
		return -1;
	(void)buf_printf(out, "--%s\r\n", m->boundary);
	part(out, "text/plain", m->text, m->text_len);
	(void)buf_printf(out, "--%s\r\n", m->boundary);
	part(out, "text/html", m->html, m->html_len);
	(void)buf_printf(out, "--%s--\r\n", m->boundary);
	/* Any piece that did not fit failed every later one: one check. */
	return out->failed ? -1 : 0;
}
