/* utf8: well-formedness checks for text that arrives from outside. */
#ifndef TOCSIN_UTF8_H
#define TOCSIN_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 if invalid. */
size_t	utf8_seq_len(const unsigned char *s, size_t left);
/* 1 if all len bytes are well-formed UTF-8 without NUL, else 0. */
int	utf8_is_valid(const char *s, size_t len);

#endif
