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

#endif
