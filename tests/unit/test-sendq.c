/* Unit tests for the reply check that turns a refusal into a bounce. */
#include "sendq.h"
#include "tap.h"

struct reply_case {
	const char	*reply;
	int		 bad_address;
};

static const struct reply_case cases[] = {
	{ "550 5.1.1 <ann@example.org>: Recipient address rejected", 1 },
	{ "550-5.1.1 The email account that you tried to reach does not exist", 1 },
	{ "553 5.1.3 Bad recipient address syntax", 1 },
	{ "550 5.1.10 RESOLVER.ADR.RecipientNotFound", 1 },
	{ "500 5.3.0 Error: command failed", 0 },
	{ "550 5.7.1 Message rejected as spam", 0 },
	{ "554 5.2.2 mailbox full", 0 },
	{ "550 Requested action not taken: mailbox unavailable", 0 },
	{ "451 4.1.1 Temporary lookup failure", 0 },
	{ "", 0 },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tap_ok(sendq_is_bad_address(cases[i].reply) ==
		    cases[i].bad_address, "%s: '%s'", cases[i].bad_address ?
		    "a bad address" : "not a bad address", cases[i].reply);
	return tap_done();
}
