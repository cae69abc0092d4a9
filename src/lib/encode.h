/*
 * encode: bytes as lower-case hex and as base64 (RFC 4648, with
 * padding), the one place for each; base64 is nettle's. Quoted-
 * printable, which has its own rules, is mime.c's.
 */
#ifndef TOCSIN_ENCODE_H
#define TOCSIN_ENCODE_H

#include <stddef.h>

#include "buf.h"

/* Writes 2 * n hex digits of in[0..n) and a NUL to out. */
void	encode_hex(char *out, const void *in, size_t n);

/* Appends in[0..n) in base64 to `out`: 0, or -1 past its ceiling. */
int	encode_base64(struct buf *out, const void *in, size_t n);

#endif
