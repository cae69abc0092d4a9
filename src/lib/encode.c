/* encode: hex and base64 (see encode.h). */
#include <nettle/base64.h>

#include "encode.h"

void
encode_hex(char *out, const void *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = in;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[p[i] >> 4];
		out[2 * i + 1] = hex[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
encode_base64(struct buf *out, const void *in, size_t n)
{
	char *at = buf_space(out, BASE64_ENCODE_RAW_LENGTH(n));

	if (at == NULL)
		return -1;
	base64_encode_raw(at, n, in);
	buf_advance(out, BASE64_ENCODE_RAW_LENGTH(n));
	return 0;
}
