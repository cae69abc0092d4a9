/* Unit tests for header and mime: injection, RFC 2047, folding, QP. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "header.h"
#include "mime.h"
#include "tap.h"

/* Every line of a header block: under 78 columns where possible, and
 * never a bare CR or LF. */
static int
lines_ok(const char *s, size_t max)
{
	const char *line = s, *crlf;

	while (*line != '\0') {
		crlf = strstr(line, "\r\n");
		if (crlf == NULL)
			return 0;
		if ((size_t)(crlf - line) > max ||
		    memchr(line, '\n', (size_t)(crlf - line)) != NULL ||
		    memchr(line, '\r', (size_t)(crlf - line)) != NULL)
			return 0;
		line = crlf + 2;
	}
	return 1;
}

static int
unhex(char c)
{
	return c >= 'A' ? c - 'A' + 10 : c - '0';
}

/* A quoted-printable decoder, to check the encoder against. */
static void
qp_decode(const char *in, struct buf *out)
{
	buf_reset(out);
	while (*in != '\0') {
		if (in[0] == '=' && in[1] == '\r' && in[2] == '\n')
			in += 3;
		else if (in[0] == '=') {
			buf_putc(out, (char)(unhex(in[1]) * 16 + unhex(in[2])));
			in += 3;
		} else if (in[0] == '\r' && in[1] == '\n') {
			buf_putc(out, '\n');
			in += 2;
		} else
			buf_putc(out, *in++);
	}
}

static void
check_text(void)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	header_text(&b, "Subject", "Eve\r\nBcc: victim@example.org");
	tap_is(buf_cstr(&b), "Subject: Eve  Bcc: victim@example.org\r\n",
	    "CR and LF in a value never start a header");
	buf_reset(&b);
	header_text(&b, "Subject", "Zo\xc3\xab signed");
	tap_is(buf_cstr(&b), "Subject: =?UTF-8?B?Wm/DqyBzaWduZWQ=?=\r\n",
	    "non-ASCII text is an RFC 2047 encoded-word");
	buf_reset(&b);
	header_text(&b, "Subject", "looks =?UTF-8?B?encoded?=");
	tap_ok(strncmp(buf_cstr(&b), "Subject: =?UTF-8?B?", 19) == 0,
	    "text that looks encoded is encoded");
	buf_reset(&b);
	header_text(&b, "Subject", "Demand that the minister resign now! "
	    "Forty towns drink this water, and the permit was signed without "
	    "a hearing. Will you sign?");
	tap_ok(lines_ok(buf_cstr(&b), 78) && strstr(buf_cstr(&b),
	    "\r\n ") != NULL, "a long subject folds at 78 columns");
	buf_reset(&b);
	header_text(&b, "Subject", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9 \xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
	tap_ok(lines_ok(buf_cstr(&b), 78), "long encoded text folds at 78");
	buf_reset(&b);
	{
		char big[HEADER_VALUE_MAX + 2];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		tap_ok(header_text(&b, "Subject", big) == -1,
		    "a value over HEADER_VALUE_MAX is refused, not cut");
		big[HEADER_VALUE_MAX] = '\0';
		buf_reset(&b);
		tap_ok(header_text(&b, "Subject", big) == 0,
		    "one of HEADER_VALUE_MAX bytes goes whole");
	}
	buf_release(&b);
}

static void
check_addresses(void)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	header_address(&b, "To", "Ann Lee", "ann@Example.ORG");
	tap_is(buf_cstr(&b), "To: Ann Lee <ann@example.org>\r\n",
	    "a plain display name");
	buf_reset(&b);
	header_address(&b, "To", "Lee, \"Ann\"", "ann@example.org");
	tap_is(buf_cstr(&b), "To: \"Lee, \\\"Ann\\\"\" <ann@example.org>\r\n",
	    "a name with specials is a quoted-string");
	buf_reset(&b);
	header_address(&b, "To", "Zo\xc3\xab", "zoe@example.org");
	tap_is(buf_cstr(&b), "To: =?UTF-8?B?Wm/Dqw==?= <zoe@example.org>\r\n",
	    "a non-ASCII name is encoded");
	buf_reset(&b);
	header_address(&b, "To", "Eve\r\nBcc: x@evil.example", "e@example.org");
	tap_ok(lines_ok(buf_cstr(&b), 998) && strstr(buf_cstr(&b),
	    "\r\nBcc") == NULL, "a name cannot add a header");
	buf_reset(&b);
	tap_ok(header_address(&b, "To", NULL,
	    "a@example.org>\r\nBcc: x@evil.example") == -1,
	    "an address with a line break is refused");
	tap_ok(header_raw(&b, "X", "a\r\nb") == -1,
	    "a raw value with a line break is refused");
	buf_release(&b);
}

static void
check_qp(void)
{
	struct buf b, d, in;
	const char *p;
	int ok = 1, i, j;

	buf_init(&b, 1 << 20);
	buf_init(&d, 1 << 20);
	buf_init(&in, 1 << 20);
	mime_qp(&b, "a=b \n.hidden\nFrom here\nx\t\ncaf\xc3\xa9", 31);
	tap_is(buf_cstr(&b), "a=3Db=20\r\n=2Ehidden\r\n=46rom here\r\nx=09\r\n"
	    "caf=C3=A9", "QP: =, trailing space, dot, From, UTF-8");
	srand(7);
	for (i = 0; i < 200 && ok; i++) {
		buf_reset(&in);
		buf_reset(&b);
		for (j = rand() % 400; j > 0; j--) {
			static const char pool[] = "ab =.\t\n\xc3\xa9" "Fro m";
			buf_putc(&in, pool[rand() % (sizeof(pool) - 1)]);
		}
		mime_qp(&b, in.data != NULL ? in.data : "", in.len);
		buf_puts(&b, "\r\n");
		qp_decode(buf_cstr(&b), &d);
		buf_puts(&in, "\n");
		ok = lines_ok(buf_cstr(&b), 76) && d.len == in.len &&
		    memcmp(d.data, in.data, in.len) == 0;
		for (p = buf_cstr(&b); ok && (p = strstr(p, "\r\n.")) != NULL;
		    p++)
			ok = 0;
	}
	tap_ok(ok, "QP round-trips random text in lines of 76, no line "
	    "starting with a dot");
	buf_release(&b);
	buf_release(&d);
	buf_release(&in);
}

int
main(void)
{
	check_text();
	check_addresses();
	check_qp();
	return tap_done();
}
