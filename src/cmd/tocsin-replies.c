/*
 * tocsin-replies: lists the human replies the inbox kept for a person:
 * when, who, which blast they answer, the subject and the first words.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "out.h"
#include "reltime.h"

static const char usage[] =
    "usage: tocsin replies [--format tsv|csv]\n"
    "\n"
    "Lists the replies tocsin inbox kept for a person to read (they are in\n"
    "the IMAP replies folder), newest first: id, sender, date, blast,\n"
    "subject, and the first words of the text.\n"
    "\n"
    "  --format tsv|csv   for scripts, with a header row\n";

static int
list_replies(struct cli *cli, enum out_format format)
{
	static const char *headers[] = { "id", "sender", "date", "blast",
	    "subject", "excerpt" };
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT id, sender, "
	    "sent_date, coalesce(blast_id, ''), subject, excerpt FROM replies "
	    "ORDER BY id DESC");
	struct out o;
	int r;

	if (st == NULL)
		return -1;
	out_begin(&o, format, 6, headers);
	while ((r = db_step_row(&cli->db, st, "list replies")) == 1) {
		const char *row[6];
		char excerpt[121];
		size_t i;
		int k;

		for (k = 0; k < 6; k++)
			row[k] = db_column_text(st, k);
		/* One line for people; the whole excerpt for scripts. */
		snprintf(excerpt, sizeof(excerpt), "%s", row[5]);
		for (i = 0; excerpt[i] != '\0'; i++)
			if (excerpt[i] == '\n' || excerpt[i] == '\t')
				excerpt[i] = ' ';
		if (format == OUT_PLAIN)
			row[5] = excerpt;
		out_row(&o, row);
	}
	sqlite3_finalize(st);
	if (out_end(&o) == -1 || r == -1)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	enum out_format format = OUT_PLAIN;
	struct cli cli;
	int code;

	cli_init(&cli, "tocsin-replies", usage);
	code = cli_listing_options(&cli, argc, argv, &format);
	if (code != 0)
		return code;
	if (cli_open(&cli, DB_EXISTING) == 0)
		(void)list_replies(&cli, format);
	code = fail_exit_code();
	cli_release(&cli);
	return code;
}
