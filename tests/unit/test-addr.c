/* Unit tests for addr: which addresses a list accepts, and why not. */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "tap.h"

struct good_case {
	const char	*in;
	const char	*want;
};

struct bad_case {
	const char	*in;
	const char	*why;
};

static const struct good_case good[] = {
	{ "ann@example.org", "ann@example.org" },
	{ "  Ann.Lee+news@Example.ORG \t", "Ann.Lee+news@example.org" },
	{ "o'brien@mail.example.ie", "o'brien@mail.example.ie" },
	{ "x@a.co", "x@a.co" },
	{ "first_last-1@sub.domain.co.uk", "first_last-1@sub.domain.co.uk" },
	{ "j\xc3\xbcrgen@b\xc3\xbc" "cher.de",
	    "j\xc3\xbcrgen@b\xc3\xbc" "cher.de" },
	{ "!#$%&'*+-/=?^_`{|}~@x.org", "!#$%&'*+-/=?^_`{|}~@x.org" },
	{ "ann@x1.example", "ann@x1.example" },
	/* UTF-8: NFC (an e and a combining acute are one é), and the
	 * domain in its canonical U-label form, lower case. */
	{ "Jose\xcc\x81@example.bo", "Jos\xc3\xa9@example.bo" },
	{ "rosa@EX\xc3\x84MPLE.bo", "rosa@ex\xc3\xa4mple.bo" },
	{ "rosa@ex\xc3\xa4mple.bo", "rosa@ex\xc3\xa4mple.bo" },
};

static const struct bad_case bad[] = {
	{ "", "empty" },
	{ "   ", "empty" },
	{ "ann", "no '@'" },
	{ "ann@", "nothing after the '@'" },
	{ "@example.org", "nothing before the '@'" },
	{ "ann@@example.org", "more than one '@'" },
	{ "ann@b@example.org", "more than one '@'" },
	{ "ann@localhost", "the domain has no dot" },
	{ "ann lee@example.org", "contains a space" },
	{ "ann@example..org", "an empty part in the domain" },
	{ "ann@.example.org", "an empty part in the domain" },
	{ "ann@example.org.", "an empty part in the domain" },
	{ ".ann@example.org", "the part before the '@' starts or ends with "
	    "a dot" },
	{ "ann.@example.org", "the part before the '@' starts or ends with "
	    "a dot" },
	{ "a..nn@example.org", "two dots in a row" },
	{ "ann@-example.org", "a part of the domain starts or ends with '-'" },
	{ "ann@example-.org", "a part of the domain starts or ends with '-'" },
	{ "ann@example.123", "the domain ends in a number" },
	{ "ann@[192.0.2.1]", "address literals are not accepted" },
	{ "ann\x01@example.org", "contains a control character" },
	{ "ann@\xe2\x98\x83.example",
	    "the domain is not a valid internationalised domain "
	    "name (IDNA2008)" },
	{ "ann@exa\rmple.org", "contains a control character" },
	{ "\xff" "ann@example.org", "is not valid UTF-8" },
	{ "\xc0\xaf@example.org", "is not valid UTF-8" },
	{ "<ann@example.org>", "a character not allowed before the '@'" },
	{ "ann@example.org>", "a character not allowed in the domain" },
	{ "ann@exa_mple.org", "a character not allowed in the domain" },
	{ "\"ann\"@example.org", "a character not allowed before the '@'" },
	{ "ann,bob@example.org", "a character not allowed before the '@'" },
};

static void
check_lengths(void)
{
	char in[400], out[ADDR_MAX_LEN + 1];
	const char *why;

	memset(in, 'a', 64);
	snprintf(in + 64, sizeof(in) - 64, "@example.org");
	tap_ok(addr_normalise(in, strlen(in), out, &why) == 0,
	    "a 64-byte local part is accepted");
	memset(in, 'a', 65);
	snprintf(in + 65, sizeof(in) - 65, "@example.org");
	tap_ok(addr_normalise(in, strlen(in), out, &why) == -1 &&
	    strstr(why, "64") != NULL, "a 65-byte local part is refused");
	snprintf(in, sizeof(in), "a@%.*s.org", 64,
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	tap_ok(addr_normalise(in, strlen(in), out, &why) == -1 &&
	    strstr(why, "63") != NULL, "a 64-byte domain label is refused");
	memset(in, 'a', 255);
	memcpy(in + 40, "@", 1);
	memcpy(in + 100, ".", 1);
	memcpy(in + 160, ".", 1);
	memcpy(in + 220, ".", 1);
	in[255] = '\0';
	tap_ok(addr_normalise(in, strlen(in), out, &why) == -1 &&
	    strcmp(why, "longer than 254 bytes") == 0,
	    "a 255-byte address is refused");
	tap_ok(addr_normalise("a@b.org\0x", 9, out, &why) == -1 &&
	    strcmp(why, "contains a NUL byte") == 0,
	    "a NUL byte inside the length is refused");
}

int
main(void)
{
	char out[ADDR_MAX_LEN + 1];
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		out[0] = '\0';
		if (tap_ok(addr_normalise(good[i].in, strlen(good[i].in), out,
		    &why) == 0, "accepts '%s'", good[i].in))
			tap_is(out, good[i].want, "normalises it");
		else
			tap_diag("why: %s", why);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		tap_ok(addr_normalise(bad[i].in, strlen(bad[i].in), out,
		    &why) == -1, "refuses case %zu", i);
		tap_is(why, bad[i].why, "with the reason");
	}
	check_lengths();
	tap_is(addr_domain("Ann@example.org"), "example.org", "addr_domain");
	tap_ok(addr_ascii_domain("rosa@ex\xc3\xa4mple.bo", out, &why) == 0,
	    "addr_ascii_domain takes a U-label");
	tap_is(out, "rosa@xn--exmple-cua.bo", "and writes its A-label");
	tap_ok(addr_ascii_domain("ann@example.org", out, &why) == 0 &&
	    strcmp(out, "ann@example.org") == 0, "an ASCII domain stays");
	tap_ok(addr_local_is_ascii("rosa@ex\xc3\xa4mple.bo"),
	    "a local part of ASCII is ASCII, whatever the domain");
	tap_ok(!addr_local_is_ascii("Jos\xc3\xa9@example.bo"),
	    "Jos\xc3\xa9 is not");
	return tap_done();
}
