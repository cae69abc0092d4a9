/*
 * tocsin-report: what came of each blast: how many were sent, and how
 * many of its recipients then bounced, complained, unsubscribed, signed
 * or replied. With a blast id, the people behind those numbers.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "log.h"
#include "out.h"
#include "rates.h"

static const char usage[] =
    "usage: tocsin report [--format tsv|csv|json] [BLAST_ID | --days N]\n"
    "\n"
    "For each blast (not the confirmations of tocsin web): when, its state,\n"
    "list, action and subject, how many were sent, and how many of them\n"
    "bounced, complained, unsubscribed or signed because of it (an event\n"
    "that came back with one of its delivery tokens, or from its own SMTP\n"
    "refusals), each also as a rate of sent, its replies, and a flag when\n"
    "complaints pass Gmail's 0.1% target or 0.3% limit. Then, for each\n"
    "list, the same over the last 30 days. With BLAST_ID: those events\n"
    "(time, what, who, detail, from where).\n"
    "\n"
    "  --days N                only the lists' figures, over N days\n"
    "  --format tsv|csv|json   for scripts (tsv and csv with a header row;\n"
    "                          the lists' figures only with --days)\n";

/* Who an event of `kind` came back for, through this blast's tokens. */
#define OUTCOME(kind) \
    " (SELECT count(DISTINCT e.subscriber_id) FROM events e JOIN" \
    "  deliveries d ON d.id = e.delivery_id WHERE d.blast_id = b.id AND" \
    "  e.kind = '" kind "'),"

static const char summary_sql[] =
    "SELECT b.id, datetime(coalesce(b.started_at, b.created_at),"
    " 'unixepoch', 'localtime'), CASE WHEN b.draft AND b.state ="
    " 'scheduled' THEN 'draft' WHEN"
    " b.state = 'scheduled' AND b.started_at IS NOT NULL THEN 'sending'"
    " ELSE b.state END, l.name, coalesce(a.slug, ''), b.template,"
    " (SELECT count(*) FROM deliveries d WHERE d.blast_id = b.id AND"
    "  d.state = 'sent'),"
    OUTCOME("bounce") OUTCOME("complaint") OUTCOME("unsubscribe")
    OUTCOME("signature")
    " (SELECT count(*) FROM replies r WHERE r.blast_id = b.id)"
    " FROM blasts b JOIN lists l ON l.id = b.list_id"
    " LEFT JOIN actions a ON a.id = b.action_id WHERE b.kind = 'alert'"
    " ORDER BY b.id";

static const char people_sql[] =
    "SELECT datetime(e.created_at, 'unixepoch', 'localtime'), e.kind,"
    " s.email, coalesce(e.detail, ''), e.source FROM events e"
    " JOIN deliveries d ON d.id = e.delivery_id"
    " JOIN subscribers s ON s.id = e.subscriber_id"
    " WHERE d.blast_id = ?1 ORDER BY e.id";

#define OUTCOMES	4	/* bounced, complained, unsubscribed, signed */

/* The Subject line of a template, as written ({{...}} and all). */
static void
subject_of(const char *template, char *out, size_t outsize)
{
	const char *p = template, *nl;

	out[0] = '\0';
	while (*p != '\0' && *p != '\n') {
		nl = strchr(p, '\n');
		if (strncasecmp(p, "Subject:", 8) == 0) {
			p += 8 + strspn(p + 8, " \t");
			snprintf(out, outsize, "%.*s", (int)(nl != NULL ?
			    nl - p : (ptrdiff_t)strlen(p)), p);
			out[strcspn(out, "\r")] = '\0';
			return;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/* One blast's line: for people, each outcome with its rate beside it. */
static void
summary_row(struct out *o, enum out_format format, sqlite3_stmt *st)
{
	char subject[256], cells[OUTCOMES][32], rates[OUTCOMES][16];
	const char *row[17];
	long long sent = sqlite3_column_int64(st, 6);
	size_t k, n = 0;

	subject_of(db_column_text(st, 5), subject, sizeof(subject));
	for (k = 0; k < 5; k++)
		row[n++] = db_column_text(st, (int)k);
	row[n++] = subject;
	row[n++] = db_column_text(st, 6);
	for (k = 0; k < OUTCOMES; k++) {
		long long v = sqlite3_column_int64(st, 7 + (int)k);
		double pct = sent > 0 ? 100.0 * (double)v / (double)sent : 0;

		snprintf(rates[k], sizeof(rates[k]), "%.1f", pct);
		if (format == OUT_PLAIN) {
			snprintf(cells[k], sizeof(cells[k]), sent > 0 ?
			    "%lld (%.1f%%)" : "%lld", v, pct);
			row[n++] = cells[k];
		} else {
			row[n++] = db_column_text(st, 7 + (int)k);
			row[n++] = rates[k];
		}
	}
	row[n++] = db_column_text(st, 11);
	row[n++] = rates_complaint_flag(sqlite3_column_int64(st, 8), sent);
	out_row(o, row);
}

/* One list's line over the window: sent, then each outcome and rate. */
static void
list_row(struct out *o, enum out_format format, const char *name,
    const struct rates *r)
{
	long long v[3] = { r->bounced, r->complained, r->unsubscribed };
	char sent[24], cells[3][32], counts[3][24], pcts[3][16];
	const char *row[10];
	size_t k, n = 0;

	snprintf(sent, sizeof(sent), "%lld", r->sent);
	row[n++] = name;
	row[n++] = sent;
	for (k = 0; k < 3; k++) {
		double pct = rates_pct(v[k], r->sent);

		snprintf(counts[k], sizeof(counts[k]), "%lld", v[k]);
		snprintf(pcts[k], sizeof(pcts[k]), "%.2f", pct);
		if (format == OUT_PLAIN) {
			snprintf(cells[k], sizeof(cells[k]), r->sent > 0 ?
			    "%lld (%.2f%%)" : "%lld", v[k], pct);
			row[n++] = cells[k];
		} else {
			row[n++] = counts[k];
			row[n++] = pcts[k];
		}
	}
	row[n++] = rates_complaint_flag(r->complained, r->sent);
	out_row(o, row);
}

/* Every list's figures over the last `days` days. */
static int
lists_report(struct cli *cli, enum out_format format, long days)
{
	static const char *plain_headers[] = { "list", "sent", "bounced",
	    "complained", "unsubscribed", "flag" };
	static const char *data_headers[] = { "list", "sent", "bounced",
	    "bounced_pct", "complained", "complained_pct", "unsubscribed",
	    "unsubscribed_pct", "flag" };
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT id, name FROM lists "
	    "WHERE removed_at IS NULL ORDER BY name");
	time_t since = time(NULL) - days * 86400L;
	struct rates rt;
	struct out o;
	int r;

	if (format == OUT_PLAIN)
		out_begin(&o, format, 6, plain_headers);
	else
		out_begin(&o, format, 9, data_headers);
	while ((r = db_step_row(&cli->db, st, "report")) == 1) {
		if (rates_list(&cli->db, sqlite3_column_int64(st, 0), since,
		    &rt) == -1) {
			r = -1;
			break;
		}
		list_row(&o, format, db_column_text(st, 1), &rt);
	}
	sqlite3_finalize(st);
	return out_end(&o) == -1 || r == -1 ? -1 : 0;
}

static int
report(struct cli *cli, enum out_format format, const char *blast)
{
	static const char *plain_headers[] = { "blast", "date", "state",
	    "list", "action", "subject", "sent", "bounced", "complained",
	    "unsubscribed", "signed", "replies", "flag" };
	static const char *data_headers[] = { "blast", "date", "state", "list",
	    "action", "subject", "sent", "bounced", "bounced_pct",
	    "complained", "complained_pct", "unsubscribed", "unsubscribed_pct",
	    "signed", "signed_pct", "replies", "flag" };
	static const char *people_headers[] = { "time", "event", "email",
	    "detail", "source" };
	sqlite3_stmt *st = db_prepare(&cli->db, blast != NULL ? people_sql :
	    summary_sql);
	struct out o;
	int r;

	if (blast != NULL) {
		db_bind_text(st, 1, blast);
		out_begin(&o, format, 5, people_headers);
	} else if (format == OUT_PLAIN)
		out_begin(&o, format, 13, plain_headers);
	else
		out_begin(&o, format, 17, data_headers);
	while ((r = db_step_row(&cli->db, st, "report")) == 1) {
		const char *row[5];
		size_t k;

		if (blast == NULL) {
			summary_row(&o, format, st);
			continue;
		}
		for (k = 0; k < 5; k++)
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
	    { "format", required_argument, NULL, 'f' },
	    { "days", required_argument, NULL, 'D' }, { 0, 0, 0, 0 } };
	enum out_format format = OUT_PLAIN;
	const char *blast = NULL;
	struct cli cli;
	long days = 0;
	char *end;
	int ch, code;

	cli_init(&cli, "tocsin-report", usage);
	while ((ch = cli_next_option(&cli, argc, argv, CLI_SHORTOPTS,
	    opts)) != -1) {
		if (ch == 'D') {
			days = strtol(optarg, &end, 10);
			if (*end != '\0' || days < 1 || days > 3660)
				return cli_usage_error("--days is a number of "
				    "days from 1 to 3660");
		} else if (ch != 'f' || out_format_parse(optarg, &format) == -1)
			return cli_usage_error("unknown option or format");
	}
	if (argc - optind > (days > 0 ? 0 : 1))
		return cli_usage_error("report takes at most one BLAST_ID, "
		    "and none with --days");
	if (optind < argc) {
		blast = argv[optind];
		if (strspn(blast, "0123456789") != strlen(blast) ||
		    *blast == '\0')
			return cli_usage_error("'%s' is not a blast id", blast);
	}
	if (cli_open(&cli, DB_EXISTING) == 0) {
		if (days > 0)
			(void)lists_report(&cli, format, days);
		else if (report(&cli, format, blast) == 0 && blast == NULL &&
		    format == OUT_PLAIN) {
			printf("\nThe last %d days, by list:\n",
			    RATES_WINDOW_DAYS);
			(void)lists_report(&cli, format, RATES_WINDOW_DAYS);
		}
	}
	code = fail_exit_code();
	cli_release(&cli);
	if (fflush(stdout) != 0 && code == 0)
		code = EX_IOERR;
	return code;
}
