/*
 * libFuzzer: any bytes as a message arriving in the inbox (or as a file
 * that may be an mbox, cut into its messages as tocsin classify does),
 * parsed by libetpan and classified. Whatever comes in, the result is
 * well formed: a known kind, NUL-terminated strings within their fields,
 * addresses without control bytes, and tokens made only of [a-z0-9-];
 * and the mbox's messages lie within the file, each after the last.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "mbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(const char *s, size_t max)
{
	if (memchr(s, '\0', max) == NULL)
		abort();
}

static void
check_result(const struct classify *cp)
{
	const struct classify c = *cp;
	size_t i, j;

	if ((int)c.kind < CLASSIFY_UNKNOWN || c.kind > CLASSIFY_REPLY ||
	    c.nrcpt > CLASSIFY_RCPT_MAX || c.ntokens > CLASSIFY_TOKENS_MAX)
		abort();
	check_text(c.subject, sizeof(c.subject));
	check_text(c.excerpt, sizeof(c.excerpt));
	for (i = 0; c.subject[i] != '\0'; i++)
		if ((unsigned char)c.subject[i] < 32)
			abort();	/* it is shown to people and stored */
	for (i = 0; i < c.nrcpt; i++) {
		check_text(c.rcpt[i].addr, sizeof(c.rcpt[i].addr));
		for (j = 0; c.rcpt[i].addr[j] != '\0'; j++)
			if ((unsigned char)c.rcpt[i].addr[j] <= 32)
				abort();
		if (c.rcpt[i].reason == REASON_NONE &&
		    c.kind == CLASSIFY_BOUNCE)
			abort();
	}
	for (i = 0; i < c.ntokens; i++)
		for (j = 0; c.tokens[i].value[j] != '\0'; j++)
			if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-",
			    c.tokens[i].value[j] | 0x20) == NULL)
				abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *one, *last_end = text;
	struct classify c;
	size_t offset = 0, n;

	classify_message(text, size, &c);
	check_result(&c);
	while ((one = mbox_next(text, size, &offset, &n)) != NULL) {
		if (one < last_end || one + n > text + size || offset > size)
			abort();
		last_end = one + n;
		if (one != text || n != size) {
			classify_message(one, n, &c);
			check_result(&c);
		}
	}
	return 0;
}
