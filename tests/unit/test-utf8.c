/* Unit tests for utf8_tidy: names as pasted from the web, stored clean. */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "utf8.h"

struct tidy_case {
	const char	*in;
	const char	*want;
	const char	*what;
};

static const struct tidy_case tidy_cases[] = {
	{ "Ann Lee", "Ann Lee", "plain text is kept" },
	{ "Jose\xcc\x81 Flores", "Jos\xc3\xa9 Flores",
	    "NFC: e and a combining acute become \xc3\xa9" },
	{ "Nguye\xcc\x82\xcc\x83n", "Nguy\xe1\xbb\x85n",
	    "NFC: two combining marks become one letter" },
	{ "  Ann   Lee  ", "Ann Lee", "ends trimmed, runs of spaces one" },
	{ "Ana\xc2\xa0Mar\xc3\xad" "a", "Ana Mar\xc3\xad" "a",
	    "no-break space" },
	{ "Jos\xc3\xa9\xe2\x80\xaf" "Flores", "Jos\xc3\xa9 Flores",
	    "narrow no-break space" },
	{ "Li\xe2\x80\x8bWei", "LiWei", "zero-width space goes" },
	{ "\xef\xbb\xbfGabrielle", "Gabrielle", "a BOM at the start goes" },
	{ "Rob\xe2\x81\xa0" "ert", "Robert", "word joiner goes" },
	{ "Mo\xc2\xadhammed", "Mohammed", "soft hyphen goes" },
	{ "\xe3\x80\x80\xe7\x94\xb0\xe4\xb8\xad\xe3\x80\x80\xe5\xa4\xaa",
	    "\xe7\x94\xb0\xe4\xb8\xad \xe5\xa4\xaa", "ideographic space" },
	{ "Ann\nLee", "Ann\nLee",
	    "a line break is data, for others to refuse" },
	{ "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb1\xd8\xb6\xd8\xa7",
	    "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb1\xd8\xb6\xd8\xa7",
	    "a Persian name keeps its zero-width non-joiner" },
	{ " \xc2\xa0\xe2\x80\x8b ", "", "only spaces: empty" },
	{ "", "", "empty stays empty" },
};

int
main(void)
{
	char out[64], small[5];
	size_t i, n;

	for (i = 0; i < sizeof(tidy_cases) / sizeof(tidy_cases[0]); i++) {
		n = utf8_tidy(tidy_cases[i].in, out, sizeof(out));
		tap_is(out, tidy_cases[i].want, tidy_cases[i].what);
		tap_ok(n == strlen(out), "the length is returned (%s)",
		    tidy_cases[i].what);
	}
	utf8_tidy("Jos\xc3\xa9 Flores", small, sizeof(small));
	tap_is(small, "Jos", "a short buffer never splits a character");
	tap_ok(utf8_is_valid(small, strlen(small)), "and stays UTF-8");
	return tap_done();
}
