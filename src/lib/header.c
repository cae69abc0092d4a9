/* header: safe message headers (see header.h). */
#include <string.h>

#include "addr.h"
#include "encode.h"
#include "header.h"
#include "utf8.h"

/* Bytes of UTF-8 text per encoded-word: 45 -> 60 base64 chars, which
 * with "=?UTF-8?B?" and "?=" stays under the 75 of RFC 2047. */
#define EW_CHUNK 45

/*
 * Writes the value with CR, LF, NUL and other controls made spaces.
 * 0, or -1 for a value over HEADER_VALUE_MAX: a header is never cut.
 */
static int
header_clean(struct buf *out, const char *value)
{
	size_t i, len = strlen(value);

	buf_reset(out);
	/* A value cut short is a different value: refused, never cut. */
	if (len > HEADER_VALUE_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		(void)buf_putc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
	return out->failed ? -1 : 0;
}

static int
is_ascii_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/*
 * Encoded-words for `s`, split only between UTF-8 characters, each on a
 * line of its own after the first, each fitting in 78 columns where the
 * line allows: "=?UTF-8?B?...?=\r\n =?UTF-8?B?...?=". `col` is where the
 * first one starts. The header_ function that called it checks
 * out->failed.
 */
static void
encoded_words(struct buf *out, const char *s, size_t col)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n, step, max;

	while (i < len) {
		if (i > 0) {
			(void)buf_puts(out, "\r\n ");
			col = 1;
		}
		/* 12 columns of "=?UTF-8?B?" and "?="; 4 of base64 per 3. */
		max = col + 16 <= HEADER_LINE_MAX ?
		    (HEADER_LINE_MAX - col - 12) / 4 * 3 : 3;
		if (max > EW_CHUNK)
			max = EW_CHUNK;
		n = 0;
		while (i + n < len) {
			step = utf8_seq_len(p + i + n, len - i - n);
			if (step == 0)
				/* not UTF-8: pass the byte on */
				step = 1;
			if (n > 0 && n + step > max)
				break;
			n += step;
		}
		(void)buf_puts(out, "=?UTF-8?B?");
		(void)encode_base64(out, p + i, n);
		(void)buf_puts(out, "?=");
		i += n;
	}
}

/* The longest run of non-spaces: a word too long to fold at spaces. */
static size_t
longest_word(const char *s)
{
	size_t best = 0, run;

	while (*s != '\0') {
		run = strcspn(s, " ");
		if (run > best)
			best = run;
		s += run;
		s += strspn(s, " ");
	}
	return best;
}

/*
 * ASCII text folded at spaces so no line passes 78 columns if it can
 * (the caller checks out->failed).
 */
static void
folded(struct buf *out, const char *s, size_t col)
{
	const char *word = s, *sp;
	size_t wlen;

	while (*word != '\0') {
		sp = strchr(word + 1, ' ');
		wlen = sp != NULL ? (size_t)(sp - word) : strlen(word);
		if (col + wlen > HEADER_LINE_MAX && word != s && *word == ' ') {
			(void)buf_puts(out, "\r\n");
			col = 0;
		}
		(void)buf_append(out, word, wlen);
		col += wlen;
		word += wlen;
	}
}

int
header_text(struct buf *out, const char *name, const char *value)
{
	struct buf clean;
	size_t col = strlen(name) + 2;

	buf_init(&clean, HEADER_VALUE_MAX);
	if (header_clean(&clean, value) == -1) {
		buf_release(&clean);
		return -1;
	}
	(void)buf_printf(out, "%s: ", name);
	/* "=?" in plain text would read as an encoded-word: encode it. */
	if (is_ascii_printable(buf_cstr(&clean)) &&
	    strstr(buf_cstr(&clean), "=?") == NULL &&
	    longest_word(buf_cstr(&clean)) + col < HEADER_LINE_MAX)
		folded(out, buf_cstr(&clean), col);
	else
		encoded_words(out, buf_cstr(&clean), col);
	buf_release(&clean);
	(void)buf_puts(out, "\r\n");
	return out->failed ? -1 : 0;
}

/*
 * A display name as a phrase: atoms, a quoted-string, or encoded (the
 * caller checks out->failed).
 */
static void
phrase(struct buf *out, const char *name, size_t col)
{
	const char *p;
	int plain = 1;

	if (!is_ascii_printable(name) || strstr(name, "=?") != NULL) {
		encoded_words(out, name, col);
		return;
	}
	for (p = name; *p != '\0'; p++)
		if (strchr("()<>[]:;@\\,.\"", *p) != NULL)
			plain = 0;
	if (plain) {
		(void)buf_puts(out, name);
		return;
	}
	(void)buf_putc(out, '"');
	for (p = name; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			(void)buf_putc(out, '\\');
		(void)buf_putc(out, *p);
	}
	(void)buf_putc(out, '"');
}

/* Columns used on the last line of `out` since `start`. */
static size_t
last_line_len(const struct buf *out, size_t start)
{
	size_t i = out->len;

	while (i > start && !(out->data[i - 1] == '\n'))
		i--;
	return out->len - i;
}

/* "Name: Display <id>\r\n" for an id already checked. */
static int
phrase_and_id(struct buf *out, const char *name, const char *display,
    const char *id)
{
	struct buf clean;
	size_t start = out->len, col = strlen(name) + 2;

	(void)buf_printf(out, "%s: ", name);
	buf_init(&clean, HEADER_VALUE_MAX);
	if (header_clean(&clean, display != NULL ? display : "") == -1) {
		buf_release(&clean);
		return -1;
	}
	if (clean.len > 0 && strspn(buf_cstr(&clean), " ") != clean.len) {
		phrase(out, buf_cstr(&clean), col);
		/* Too long for one line: encoded-words fold, quotes do not. */
		if (last_line_len(out, start) + strlen(id) + 3 >
		    HEADER_LINE_MAX &&
		    strstr(out->data + start, "=?") == NULL) {
			out->len = start + col;
			out->data[out->len] = '\0';
			encoded_words(out, buf_cstr(&clean), col);
		}
		(void)buf_puts(out, last_line_len(out, start) + strlen(id) +
		    3 > HEADER_LINE_MAX ? "\r\n " : " ");
	}
	buf_release(&clean);
	(void)buf_printf(out, "<%s>\r\n", id);
	return out->failed ? -1 : 0;
}

int
header_address(struct buf *out, const char *name, const char *display,
    const char *addr)
{
	char norm[ADDR_MAX_LEN + 1];
	const char *why;

	if (addr_normalise(addr, strlen(addr), norm, &why) == -1)
		return -1;
	return phrase_and_id(out, name, display, norm);
}

int
header_list_id(struct buf *out, const char *description, const char *id)
{
	size_t i;

	/* RFC 2919: dot-atom text, made by us from a list name. */
	for (i = 0; id[i] != '\0'; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' &&
		    id[i] <= 'Z') || (id[i] >= '0' && id[i] <= '9') ||
		    strchr(".-_", id[i]) != NULL))
			return -1;
	return phrase_and_id(out, "List-Id", description, id);
}

int
header_raw(struct buf *out, const char *name, const char *value)
{
	if (strpbrk(value, "\r\n") != NULL)
		return -1;
	return buf_printf(out, "%s: %s\r\n", name, value);
}

int
header_raw_fold(struct buf *out, const char *name, const char *first,
    const char *sep, const char *second)
{
	size_t len = strlen(name) + 2 + strlen(first) + strlen(sep) +
	    strlen(second);

	if (strpbrk(first, "\r\n") != NULL || strpbrk(second, "\r\n") != NULL)
		return -1;
	if (len <= HEADER_LINE_MAX)
		return buf_printf(out, "%s: %s%s%s\r\n", name, first, sep,
		    second);
	/* The separator's space becomes the fold's. */
	return buf_printf(out, "%s: %s%.*s\r\n %s\r\n", name, first,
	    (int)strcspn(sep, " "), sep, second);
}
