/*
 * tocsin-report: what came of each blast: how many were sent, and how
 * many of its recipients then bounced, complained, unsubscribed, signed
 * or replied. With a blast id, the people behind those numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "out.h"

static const char usage[] =
    "usage: tocsin report [--format tsv|csv] [BLAST_ID]\n"
    "\n"
    "For each blast: recipients sent to, and how many of them are now\n"
    "bounced, complained or unsubscribed on its list, signed its action,\n"
    "or replied. With BLAST_ID: each change the inbox made for that\n"
    "blast's recipients (time, what, who, detail).\n"
    "\n"
    "  --format tsv|csv   for scripts, with a header row\n";

static const char summary_sql[] =
    "SELECT b.id, l.name, coalesce(a.slug, ''),"
    " (SELECT count(*) FROM deliveries d WHERE d.blast_id = b.id AND"
    "  d.state = 'sent'),"
    " (SELECT count(*) FROM deliveries d JOIN memberships m ON"
    "  m.subscriber_id = d.subscriber_id AND m.list_id = b.list_id WHERE"
    "  d.blast_id = b.id AND m.status = 'bounced'),"
    " (SELECT count(*) FROM deliveries d JOIN memberships m ON"
    "  m.subscriber_id = d.subscriber_id AND m.list_id = b.list_id WHERE"
    "  d.blast_id = b.id AND m.status = 'complained'),"
    " (SELECT count(*) FROM deliveries d JOIN memberships m ON"
    "  m.subscriber_id = d.subscriber_id AND m.list_id = b.list_id WHERE"
    "  d.blast_id = b.id AND m.status = 'unsubscribed'),"
    " (SELECT count(*) FROM deliveries d JOIN signatures s ON"
    "  s.subscriber_id = d.subscriber_id AND s.action_id = b.action_id"
    "  WHERE d.blast_id = b.id AND s.signed_at >= b.created_at),"
    " (SELECT count(*) FROM replies r WHERE r.blast_id = b.id)"
    " FROM blasts b JOIN lists l ON l.id = b.list_id"
    " LEFT JOIN actions a ON a.id = b.action_id ORDER BY b.id";

static const char people_sql[] =
    "SELECT datetime(e.created_at, 'unixepoch', 'localtime'), e.kind,"
    " s.email, coalesce(e.detail, '') FROM events e"
    " JOIN subscribers s ON s.id = e.subscriber_id"
    " WHERE e.source IN ('inbox', 'web') AND e.subscriber_id IN"
    " (SELECT subscriber_id FROM deliveries WHERE blast_id = ?1)"
    " ORDER BY e.id";

static int
report(struct cli *cli, enum out_format format, const char *blast)
{
	static const char *sum_headers[] = { "blast", "list", "action",
	    "sent", "bounced", "complained", "unsubscribed", "signed",
	    "replies" };
	static const char *people_headers[] = { "time", "event", "email",
	    "detail" };
	size_t ncols = blast != NULL ? 4 : 9;
	sqlite3_stmt *st = db_prepare(&cli->db, blast != NULL ? people_sql :
	    summary_sql);
	struct out o;
	int r;

	if (st == NULL)
		return -1;
	if (blast != NULL)
		db_bind_text(st, 1, blast);
	out_begin(&o, format, ncols, blast != NULL ? people_headers :
	    sum_headers);
	while ((r = db_step_row(&cli->db, st, "report")) == 1) {
		const char *row[9];
		size_t k;

		for (k = 0; k < ncols; k++)
			row[k] = db_column_text(st, (int)k);
		out_row(&o, row);
	}
	sqlite3_finalize(st);
	return out_end(&o) == -1 || r == -1 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "format", required_argument, NULL, 'f' }, { 0, 0, 0, 0 } };
	enum out_format format = OUT_PLAIN;
	const char *blast = NULL;
	struct cli cli;
	int ch, code;

	cli_init(&cli, "tocsin-report", usage);
	while ((ch = cli_next_option(&cli, argc, argv, CLI_SHORTOPTS,
	    opts)) != -1) {
		if (ch != 'f' || out_format_parse(optarg, &format) == -1)
			return cli_usage_error("unknown option or format");
	}
	if (argc - optind > 1)
		return cli_usage_error("report takes at most one BLAST_ID");
	if (optind < argc) {
		blast = argv[optind];
		if (strspn(blast, "0123456789") != strlen(blast) || *blast == '\0')
			return cli_usage_error("'%s' is not a blast id", blast);
	}
	if (cli_open(&cli, DB_EXISTING) == 0)
		(void)report(&cli, format, blast);
	code = fail_exit_code();
	cli_release(&cli);
	if (fflush(stdout) != 0 && code == 0)
		code = EX_IOERR;
	return code;
}
