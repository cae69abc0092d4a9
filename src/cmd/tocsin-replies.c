/*
 * tocsin-replies: lists the human replies the inbox kept for a person:
 * when, who, which blast they answer, the subject and the first words;
 * or, with --unattributed, the bounces and complaints that no token of
 * ours verifies for, which changed nobody and wait for a person.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "out.h"
#include "reltime.h"

static const char usage[] =
    "usage: tocsin replies [--unattributed] [--format tsv|csv]\n"
    "\n"
    "Lists the replies tocsin inbox kept for a person to read (they are in\n"
    "the IMAP replies folder), newest first: id, sender, date, blast,\n"
    "subject, and the first words of the text.\n"
    "\n"
    "  --unattributed     instead, the bounces and complaints no token of\n"
    "                     ours verifies for (in the unknown folder): they\n"
    "                     changed nobody; the excerpt names who they name\n"
    "  --format tsv|csv   for scripts, with a header row\n";

static int
list_replies(struct cli *cli, enum out_format format, int unattributed)
{
	static const char *headers[] = { "id", "sender", "date", "blast",
	    "subject", "excerpt" };
	static const char *report_headers[] = { "id", "sender", "date", "kind",
	    "subject", "excerpt" };
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT id, sender, "
	    "sent_date, CASE WHEN ?1 THEN kind ELSE coalesce(blast_id, '') END, "
	    "subject, excerpt FROM replies WHERE (kind = 'reply') <> ?1 "
	    "ORDER BY id DESC");
	struct out o;
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, unattributed);
	out_begin(&o, format, 6, unattributed ? report_headers : headers);
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

static int
options(struct cli *cli, int argc, char **argv, enum out_format *format,
    int *unattributed)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "format", required_argument, NULL, 'F' },
	    { "unattributed", no_argument, NULL, 'U' }, { 0, 0, 0, 0 } };
	int ch;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 'U')
			*unattributed = 1;
		else if (ch != 'F' || out_format_parse(optarg, format) == -1)
			return cli_usage_error("--format is tsv or csv");
	}
	if (optind != argc)
		return cli_usage_error("'%s' takes no arguments", argv[0]);
	return 0;
}

int
main(int argc, char **argv)
{
	enum out_format format = OUT_PLAIN;
	struct cli cli;
	int code, unattributed = 0;

	cli_init(&cli, "tocsin-replies", usage);
	code = options(&cli, argc, argv, &format, &unattributed);
	if (code != 0)
		return code;
	if (cli_open(&cli, DB_EXISTING) == 0)
		(void)list_replies(&cli, format, unattributed);
	code = fail_exit_code();
	cli_release(&cli);
	return code;
}
