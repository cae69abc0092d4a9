/* Unit tests for buf: growth, the ceiling, and the NUL terminator. */
#include <string.h>

#include "buf.h"
#include "tap.h"

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
	buf_init(&b, 1 << 20);
	for (i = 0; i < 100000; i++)
		r |= buf_append(&b, "abcdefghij", 10);
	tap_ok(r == 0 && b.len == 1000000 && b.data[b.len] == '\0',
	    "grows to a million bytes, NUL-terminated");
	tap_ok(memcmp(b.data + 999990, "abcdefghij", 10) == 0,
	    "with the bytes in order");
	buf_release(&b);
	return tap_done();
}
