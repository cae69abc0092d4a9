/*
 * Unit test for the reply reader: the table of replies in
 * tests/unit/intent-replies.tsv (kind, tab, text), each read as the
 * body of a reply. It prints the count of wrong actions (an unsubscribe
 * or a signature the writer did not ask for) and of requests acted on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intent.h"
#include "tap.h"

#define TABLE	"tests/unit/intent-replies.tsv"
#define LINE_MAX_BYTES 4096

/* "\n" in the table is a line break. */
static size_t
unescape(char *s)
{
	char *w = s, *r;

	for (r = s; *r != '\0'; r++) {
		if (r[0] == '\\' && r[1] == 'n') {
			*w++ = '\n';
			r++;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* The text on one line, for the name of its test. */
static const char *
one_line(const char *text)
{
	static char buf[LINE_MAX_BYTES];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", text);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = ' ';
	return buf;
}

static int
is_action(enum intent i)
{
	return i == INTENT_UNSUBSCRIBE || i == INTENT_SIGN;
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : TABLE;
	char line[LINE_MAX_BYTES];
	FILE *f = fopen(path, "r");
	int n = 0, wrong = 0, requests = 0, acted = 0, kept = 0;

	if (f == NULL) {
		printf("Bail out! cannot open %s\n", path);
		return 1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tab = strchr(line, '\t'), *text;
		enum intent want = INTENT_OTHER, got;
		size_t len;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0' || tab == NULL)
			continue;
		*tab = '\0';
		text = tab + 1;
		for (want = INTENT_OTHER; want <= INTENT_CONTRARY; want++)
			if (strcmp(line, intent_name(want)) == 0)
				break;
		if (want > INTENT_CONTRARY) {
			printf("Bail out! %s: unknown kind '%s'\n", path, line);
			return 1;
		}
		len = unescape(text);
		got = intent_of(text, len, NULL);
		n++;
		requests += is_action(want);
		acted += is_action(want) && got == want;
		kept += !is_action(want) && !is_action(got);
		wrong += is_action(got) && got != want;
		tap_ok(got == want, "%s (got %s): %.60s", intent_name(want),
		    intent_name(got), one_line(text));
	}
	fclose(f);
	tap_diag("%d replies: %d wrong actions (unsubscribed or signed "
	    "against the writer's words), %d of %d requests acted on, %d of "
	    "%d others kept for a person", n, wrong, acted, requests, kept,
	    n - requests);
	tap_ok(n >= 150, "the table has at least 150 replies (%d)", n);
	return tap_done();
}
