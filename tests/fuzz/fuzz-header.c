/*
 * libFuzzer: any bytes as a merged value reaching the headers and a
 * body. Whatever comes in, no header line may carry a bare CR or LF,
 * and quoted-printable lines stay at 76.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "header.h"
#include "mime.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_lines(const struct buf *b, size_t max)
{
	const char *p = buf_cstr(b), *crlf;

	while (*p != '\0') {
		crlf = strstr(p, "\r\n");
		if (crlf == NULL)
			abort();	/* every line ends in CRLF */
		if (memchr(p, '\n', (size_t)(crlf - p)) != NULL ||
		    memchr(p, '\r', (size_t)(crlf - p)) != NULL ||
		    (size_t)(crlf - p) > max)
			abort();
		p = crlf + 2;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	struct buf b;

	buf_init(&b, 1 << 20);
	(void)header_text(&b, "Subject", s);
	(void)header_address(&b, "To", s, "ann@example.org");
	check_lines(&b, 998);
	if (strstr(buf_cstr(&b), "\r\nBcc") != NULL)
		abort();
	buf_reset(&b);
	mime_qp(&b, (const char *)data, size);
	(void)buf_puts(&b, "\r\n");
	check_lines(&b, 76);
	buf_release(&b);
	free(s);
	return 0;
}
