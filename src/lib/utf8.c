/* utf8: well-formedness checks and tidying (see utf8.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <uninorm.h>

#include "utf8.h"

size_t
utf8_seq_len(const unsigned char *s, size_t left)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

int
utf8_is_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		/* ASCII is nearly all of a supporter file: skip it fast. */
		if (p[i] >= 0x01 && p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] == 0)
			return 0;
		n = utf8_seq_len(p + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

size_t
utf8_unsafe_len(const unsigned char *s, size_t left)
{
	if (left == 0)
		return 0;
	if (s[0] < 0x20 || s[0] == 0x7f)
		return 1;
	if (left >= 2 && s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	if (left >= 3 && s[0] == 0xe2 && ((s[1] == 0x80 && (s[2] == 0x8e ||
	    s[2] == 0x8f || (s[2] >= 0xaa && s[2] <= 0xae))) || (s[1] == 0x81 &&
	    s[2] >= 0xa6 && s[2] <= 0xa9)))
		return 3;
	return 0;
}

/* What a space-like or invisible character at s becomes: ' ', nothing
 * (0) or itself (-1); *len is its length. */
static int
tidy_class(const unsigned char *s, size_t left, size_t *len)
{
	*len = utf8_seq_len(s, left);
	if (*len == 0)
		*len = 1;
	if (*len == 2 && s[0] == 0xc2)
		return s[1] == 0xa0 ? ' ' : s[1] == 0xad ? 0 : -1;
	if (*len != 3)
		return -1;
	if (s[0] == 0xe2 && s[1] == 0x80) {
		if (s[2] <= 0x8a || s[2] == 0xaf)	/* U+2000-200A, 202F */
			return ' ';
		if (s[2] == 0x8b)			/* zero-width space */
			return 0;
	}
	/*
	 * U+200C and U+200D (non-joiner, joiner) stay: they are how some
	 * Persian and Indic names are spelled, and part of emoji.
	 */
	if (s[0] == 0xe2 && s[1] == 0x81 && (s[2] == 0x9f || s[2] == 0xa0))
		return s[2] == 0x9f ? ' ' : 0;	/* U+205F, word joiner */
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return ' ';				/* ideographic space */
	if (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 0;				/* BOM */
	return -1;
}

/*
 * NFC in place, so that "José" typed with a combining accent is the
 * same name as the one typed with é. The result is never longer than
 * `outsize` allows: a form that does not fit is left as it was.
 */
static size_t
to_nfc(char *s, size_t n, size_t outsize)
{
	uint8_t *r;
	size_t len;
	int ascii = 1;

	for (len = 0; len < n && ascii; len++)
		ascii = (unsigned char)s[len] < 0x80;
	if (ascii)
		return n;
	r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, n, NULL, &len);
	if (r == NULL)
		return n;
	if (len < outsize) {
		memcpy(s, r, len);
		s[len] = '\0';
		n = len;
	}
	free(r);
	return n;
}

size_t
utf8_tidy(const char *in, char *out, size_t outsize)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t left = strlen(in), n = 0, len;
	int space = 0, c;

	if (outsize == 0)
		return 0;
	while (left > 0) {
		c = tidy_class(s, left, &len);
		if (c == ' ' || *s == ' ')
			space = n > 0;
		else if (c == -1) {
			if (n + space + len >= outsize)
				break;
			if (space)
				out[n++] = ' ';
			memcpy(out + n, s, len);
			n += len;
			space = 0;
		}
		s += len;
		left -= len;
	}
	out[n] = '\0';
	return to_nfc(out, n, outsize);
}
