/*
 * Unit tests for buf: growth, the ceiling, and the NUL terminator; and
 * encode, which appends to one.
 */
#include <string.h>

#include "buf.h"
#include "encode.h"
#include "tap.h"

/* encode.h: hex, and base64 into a buf with its ceiling. */
static void
test_encode(void)
{
	char hex[9];
	struct buf b64;

	encode_hex(hex, "\x00\x9f\xa0\xff", 4);
	tap_is(hex, "009fa0ff", "hex, lower case");
	buf_init(&b64, 8);
	tap_ok(encode_base64(&b64, "ab", 2) == 0 &&
	    strcmp(buf_cstr(&b64), "YWI=") == 0, "base64, padded");
	tap_ok(encode_base64(&b64, "abcdef", 6) == -1 && b64.failed &&
	    strcmp(buf_cstr(&b64), "YWI=") == 0,
	    "base64 past the ceiling fails, sticky, and adds nothing");
	buf_release(&b64);
}

int
main(void)
{
	struct buf b;
	int i, r = 0;

	buf_init(&b, 10);
	tap_is(buf_cstr(&b), "", "an empty buffer reads as \"\"");
	tap_ok(buf_puts(&b, "0123456789") == 0, "fills to its ceiling");
	tap_ok(buf_putc(&b, 'x') == -1, "refuses a byte past the ceiling");
	tap_is(buf_cstr(&b), "0123456789", "and keeps what it had");
	tap_ok(b.failed, "the failure is noted");
	tap_ok(buf_puts(&b, "") == -1, "and sticks: a later append fails too");
	buf_reset(&b);
	tap_ok(!b.failed && buf_putc(&b, 'y') == 0, "until a reset");
	buf_reset(&b);
	buf_reset(&b);
	tap_ok(buf_printf(&b, "%s", "01234567890") == -1,
	    "refuses a format past the ceiling");
	tap_ok(b.len == 0 && buf_cstr(&b)[0] == '\0',
	    "and stays empty");
	buf_release(&b);
	/* A format that outgrows the room it was tried in, within max. */
	buf_init(&b, 1000);
	(void)buf_puts(&b, "ab");	/* room: 64 bytes */
	tap_ok(buf_printf(&b, "%s-%d", "0123456789012345678901234567890123"
	    "456789012345678901234567890123456789", 42) == 0 && b.len == 2 +
	    73 && strcmp(b.data, "ab0123456789012345678901234567890123456789"
	    "012345678901234567890123456789-42") == 0,
	    "a format longer than the room is made room for, whole");
	tap_ok(buf_printf(&b, "[%s]", "x") == 0 &&
	    strcmp(b.data + 75, "[x]") == 0, "and one that fits goes in once");
	buf_release(&b);
	buf_init(&b, 20);
	(void)buf_puts(&b, "0123456789");
	tap_ok(buf_printf(&b, "%s", "abcdefghijklmnop") == -1 &&
	    b.len == 10 && strcmp(b.data, "0123456789") == 0,
	    "one past max fails and leaves what was there, NUL-terminated");
	buf_release(&b);
	buf_init(&b, 1 << 20);
	for (i = 0; i < 100000; i++)
		r |= buf_append(&b, "abcdefghij", 10);
	tap_ok(r == 0 && b.len == 1000000 && b.data[b.len] == '\0',
	    "grows to a million bytes, NUL-terminated");
	tap_ok(memcmp(b.data + 999990, "abcdefghij", 10) == 0,
	    "with the bytes in order");
	buf_release(&b);
	test_encode();
	return tap_done();
}
