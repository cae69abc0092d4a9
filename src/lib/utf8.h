/* utf8: well-formedness checks for text that arrives from outside. */
#ifndef TOCSIN_UTF8_H
#define TOCSIN_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 if invalid. */
size_t	utf8_seq_len(const unsigned char *s, size_t left);
/* 1 if all len bytes are well-formed UTF-8 without NUL, else 0. */
int	utf8_is_valid(const char *s, size_t len);

/*
 * Length of the terminal-unsafe character at s, or 0: C0 controls, DEL,
 * C1 controls (U+0080-U+009F) and the bidirectional controls (U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069), which can hide or reorder what
 * a listing shows. Listings and log lines show each as one '?'.
 */
size_t	utf8_unsafe_len(const unsigned char *s, size_t left);

/*
 * A name or organisation as it should be stored, from text pasted from
 * a web page or a spreadsheet: the other spaces (no-break, thin,
 * ideographic ...) become ' ', invisible ones (zero-width space, word
 * joiner, BOM, soft hyphen) go, runs of spaces become one, the ends
 * are trimmed, and the result is in NFC (libunistring). Controls (a
 * line break in a quoted CSV cell) are data, left for the layers that
 * refuse or escape them. Writes at most outsize - 1 bytes and a NUL
 * (never splitting a character); returns the length. `in` is valid
 * UTF-8.
 */
size_t	utf8_tidy(const char *in, char *out, size_t outsize);

#endif
