/*
 * Unit tests for csvin: RFC 4180 edge cases, line numbers, and recovery
 * from broken records. Each case's result is written as a trace:
 * "LINE:field|field;" for a row and "LINE!;" for a bad record.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "csvin.h"
#include "tap.h"

struct csv_case {
	const char	*what;
	const char	*in;
	size_t		 len;	/* 0: strlen(in) */
	const char	*want;
};

static const struct csv_case cases[] = {
	{ "plain rows", "email,name\na@x.org,Ann\n", 0,
	    "1:email|name;2:a@x.org|Ann;" },
	{ "CRLF line ends", "a,b\r\nc,d\r\n", 0, "1:a|b;2:c|d;" },
	{ "old Mac CR line ends", "a,b\rc,d\r", 0, "1:a|b;2:c|d;" },
	{ "a UTF-8 byte order mark", "\xef\xbb\xbf" "email,x\n", 0,
	    "1:email|x;" },
	{ "quoted comma and doubled quotes",
	    "\"a,b\",\"say \"\"hi\"\"\"\n", 0, "1:a,b|say \"hi\";" },
	{ "a newline inside quotes keeps the line count",
	    "\"line1\nline2\",x\ny,z\n", 0, "1:line1\nline2|x;3:y|z;" },
	{ "CRLF inside quotes", "\"a\r\nb\",c\r\nd,e\r\n", 0,
	    "1:a\nb|c;3:d|e;" },
	{ "no newline at the end", "a,b\nc,d", 0, "1:a|b;2:c|d;" },
	{ "blank lines are skipped", "a\n\n\nb\n", 0, "1:a;4:b;" },
	{ "empty fields", "a,,c\n,,\n", 0, "1:a||c;2:||;" },
	{ "spaces around unquoted fields", " a , b \n", 0, "1:a|b;" },
	{ "a quote inside an unquoted field", "a,b\"c\nd,e\n", 0,
	    "1!;2:d|e;" },
	{ "text after a closing quote", "\"a\"b,c\nd,e\n", 0,
	    "1!;2:d|e;" },
	{ "an unclosed quote does not swallow the file",
	    "\"a,b\nc,d\ne,f\n", 0, "1!;2:c|d;3:e|f;" },
	{ "an unclosed quote closed by a later field",
	    "h\n\"x,1\ny,2\nz,\"3\"\nw,4\n", 0,
	    "1:h;2!;3:y|2;4:z|3;5:w|4;" },
	{ "two broken records in a row", "\"a\n\"b\nc\n", 0,
	    "1!;2!;3:c;" },
	{ "invalid UTF-8 in a field", "a,\xff\nb,c\n", 0, "1!;2:b|c;" },
	{ "a NUL byte in a field", "a,b\0c\nd,e\n", 10, "1!;2:d|e;" },
	{ "an empty file", "", 0, "" },
};

static void
trace(const char *in, size_t len, struct buf *out)
{
	struct csvin_row row;
	struct csvin r;
	FILE *fp = fmemopen((void *)in, len, "r");
	size_t i;

	buf_reset(out);
	if (len == 0 || fp == NULL) {
		if (fp != NULL)
			fclose(fp);
		return;
	}
	csvin_init(&r, fp);
	for (;;) {
		enum csvin_result res = csvin_next(&r, &row);

		if (res == CSVIN_EOF || res == CSVIN_ERROR)
			break;
		if (res == CSVIN_BAD) {
			buf_printf(out, "%zu!;", row.line);
			continue;
		}
		buf_printf(out, "%zu:", row.line);
		for (i = 0; i < row.nfields; i++) {
			buf_append(out, row.fields[i], row.lens[i]);
			buf_puts(out, i + 1 < row.nfields ? "|" : ";");
		}
	}
	csvin_release(&r);
	fclose(fp);
}

/* A runaway quote longer than the record ceiling loses only its line. */
static void
check_runaway(struct buf *out)
{
	struct buf in;
	size_t i, rows = 0;
	const char *p;

	buf_init(&in, 4 * CSVIN_RECORD_MAX);
	buf_puts(&in, "\"open\n");
	for (i = 0; i < 30000; i++)
		buf_printf(&in, "user%05zu@example.org,some name here,x\n", i);
	trace(in.data, in.len, out);
	tap_ok(strncmp(buf_cstr(out), "1!;", 3) == 0,
	    "a runaway quote is reported at its line");
	/* A plain scan: the sanitizer's strstr is quadratic here. */
	for (p = buf_cstr(out); *p != '\0'; p++)
		if (p[0] == ':' && strncmp(p + 1, "user", 4) == 0)
			rows++;
	tap_ok(rows == 30000, "every row after it is read (%zu)", rows);
	tap_ok(strstr(buf_cstr(out), ";30001:user29999@") != NULL,
	    "with the right line numbers");
	buf_release(&in);
}

static void
check_too_many_fields(struct buf *out)
{
	struct buf in;
	int i;

	buf_init(&in, 4096);
	for (i = 0; i < 300; i++)
		buf_puts(&in, "x,");
	buf_puts(&in, "x\nok\n");
	trace(in.data, in.len, out);
	tap_is(buf_cstr(out), "1!;2:ok;", "more than 256 fields is refused");
	buf_release(&in);
}

int
main(void)
{
	struct buf out;
	size_t i;

	buf_init(&out, 16 * CSVIN_RECORD_MAX);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		trace(cases[i].in, cases[i].len ? cases[i].len :
		    strlen(cases[i].in), &out);
		tap_is(buf_cstr(&out), cases[i].want, cases[i].what);
	}
	check_runaway(&out);
	check_too_many_fields(&out);
	buf_release(&out);
	return tap_done();
}
