/* out: listings for people and scripts (see out.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uniwidth.h>

#include "csvin.h"
#include "log.h"
#include "out.h"
#include "utf8.h"
#include "xalloc.h"

#define OUT_PLAIN_WIDTH_MAX 40

int
out_format_parse(const char *s, enum out_format *format)
{
	if (strcmp(s, "tsv") == 0)
		*format = OUT_TSV;
	else if (strcmp(s, "csv") == 0)
		*format = OUT_CSV;
	else if (strcmp(s, "json") == 0)
		*format = OUT_JSON;
	else
		return -1;
	return 0;
}

/* Columns on a terminal: an accent combined takes none, a CJK
 * character two (libunistring's East Asian Width tables). */
static size_t
display_width(const char *s)
{
	int w = u8_strwidth((const uint8_t *)s, "UTF-8");

	return w > 0 ? (size_t)w : 0;
}

static void
tsv_field(const char *s, int last)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		default:
			putchar(*s);
		}
	}
	putchar(last ? '\n' : '\t');
}

void
out_csv_field(const char *s, int last)
{
	size_t len = strlen(s);
	int guard = csvin_needs_guard(s, len);

	if (!guard && strpbrk(s, ",\"\r\n") == NULL &&
	    (len == 0 || (s[0] != ' ' && s[len - 1] != ' '))) {
		fputs(s, stdout);
	} else {
		putchar('"');
		/* A spreadsheet runs '=...' as a formula; "'=..." it shows. */
		if (guard)
			putchar('\'');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	}
	putchar(last ? '\n' : ',');
}

/* "12", "-3", "0.25": a number; "007", "1e5", "12:30" are text. */
static int
is_number(const char *s)
{
	const char *p = s + (*s == '-');

	if (*p == '\0' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return 0;
	p += strspn(p, "0123456789");
	if (*p == '.' && p[1] != '\0') {
		p++;
		p += strspn(p, "0123456789");
	}
	return *p == '\0' && p != s + (*s == '-');
}

static void
json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' ||
		    c == '&')
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void
json_row(struct out *o, const char *const *values)
{
	size_t i;

	fputs(o->rows++ == 0 ? "[\n{" : ",\n{", stdout);
	for (i = 0; i < o->ncols; i++) {
		const char *v = values[i] != NULL ? values[i] : "";

		if (i > 0)
			putchar(',');
		json_string(o->headers[i]);
		putchar(':');
		if (is_number(v))
			fputs(v, stdout);
		else
			json_string(v);
	}
	putchar('}');
}

void
out_safe(const char *s)
{
	/* Control characters from outside data never reach a terminal:
	 * C0, DEL, C1 and the bidirectional ones. */
	while (*s != '\0') {
		size_t bad = utf8_unsafe_len((const unsigned char *)s,
		    strlen(s));

		putchar(bad > 0 ? '?' : *s);
		s += bad > 0 ? bad : 1;
	}
}

static void
plain_field(const struct out *o, size_t col, const char *s)
{
	size_t w = display_width(s);
	int last = col + 1 == o->ncols;

	out_safe(s);
	if (last) {
		putchar('\n');
		return;
	}
	/* Two after a value wider than its column (widths are capped). */
	if (w > o->widths[col])
		w = o->widths[col];
	for (; w < o->widths[col] + 2; w++)
		putchar(' ');
}

static void
write_row(struct out *o, const char *const *values)
{
	size_t i;

	if (o->format == OUT_JSON) {
		json_row(o, values);
		return;
	}
	for (i = 0; i < o->ncols; i++) {
		const char *v = values[i] != NULL ? values[i] : "";

		if (o->format == OUT_TSV)
			tsv_field(v, i + 1 == o->ncols);
		else if (o->format == OUT_CSV)
			out_csv_field(v, i + 1 == o->ncols);
		else
			plain_field(o, i, v);
	}
}

static void
hold_row(struct out *o, const char *const *values)
{
	size_t i, w;

	for (i = 0; i < o->ncols; i++) {
		const char *v = values[i] != NULL ? values[i] : "";

		w = display_width(v);
		if (w > OUT_PLAIN_WIDTH_MAX)
			w = OUT_PLAIN_WIDTH_MAX;
		if (w > o->widths[i])
			o->widths[i] = w;
		o->held[o->nheld * o->ncols + i] = xstrdup(v);
	}
	o->nheld++;
}

static void
flush_held(struct out *o)
{
	size_t r;

	for (r = 0; r < o->nheld; r++) {
		write_row(o, (const char *const *)o->held + r * o->ncols);
		for (size_t i = 0; i < o->ncols; i++)
			free(o->held[r * o->ncols + i]);
	}
	free(o->held);
	o->held = NULL;
	o->nheld = 0;
	o->streaming = 1;
}

void
out_begin(struct out *o, enum out_format format, size_t ncols,
    const char *const *headers)
{
	if (ncols > OUT_COLS_MAX)
		BUG("too many output columns");
	memset(o, 0, sizeof(*o));
	o->format = format;
	o->ncols = ncols;
	o->headers = headers;
	if (format == OUT_JSON) {
		o->streaming = 1;	/* the headers are the keys */
		return;
	}
	if (format != OUT_PLAIN) {
		o->streaming = 1;
		write_row(o, headers);
		return;
	}
	o->held = xcalloc(OUT_PLAIN_SAMPLE_ROWS + 1, ncols * sizeof(char *));
	hold_row(o, headers);
}

void
out_row(struct out *o, const char *const *values)
{
	if (o->streaming) {
		write_row(o, values);
		return;
	}
	hold_row(o, values);
	if (o->nheld > OUT_PLAIN_SAMPLE_ROWS)
		flush_held(o);
}

int
out_end(struct out *o)
{
	if (!o->streaming)
		flush_held(o);
	if (o->format == OUT_JSON)
		fputs(o->rows == 0 ? "[]\n" : "\n]\n", stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_warn("cannot write the listing");
		fail_set(FAIL_TEMP);
		return -1;
	}
	return 0;
}
