/*
 * buf: a growing byte buffer with a ceiling. Appending past the ceiling
 * fails (returns -1) and leaves the buffer as it was, so an oversized
 * input is a permanent error for that input, never a crash. The failure
 * is sticky: every later append fails too, until buf_reset, so a caller
 * that writes many pieces checks `failed` once at the end and never
 * sends a message with a piece silently missing. The data is always
 * NUL-terminated.
 */
#ifndef TOCSIN_BUF_H
#define TOCSIN_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;	/* most bytes it may hold, not counting the NUL */
	int	 failed;	/* an append did not fit (sticky) */
};

void	buf_init(struct buf *b, size_t max);
void	buf_release(struct buf *b);
void	buf_reset(struct buf *b);
int	buf_append(struct buf *b, const void *p, size_t n);
int	buf_puts(struct buf *b, const char *s);
int	buf_putc(struct buf *b, char c);
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Appends `n` bytes with & < > " escaped for HTML. */
int	buf_append_html(struct buf *b, const char *s, size_t n);
/*
 * Room for `n` more bytes: a pointer to write them at, or NULL past the
 * ceiling. buf_advance(b, k) then counts the k bytes written (k <= n).
 */
char	*buf_space(struct buf *b, size_t n);
void	buf_advance(struct buf *b, size_t k);
/* Never NULL, even before the first append. */
const char *buf_cstr(const struct buf *b);

#endif
