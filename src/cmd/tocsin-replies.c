/*
 * tocsin-replies: lists the human replies the inbox kept for a person:
 * when, who, which blast they answer, the subject and the first words;
 * or, with --unattributed, the bounces and complaints that no token of
 * ours verifies for, which changed nobody and wait for a person.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "action.h"
#include "cli.h"
#include "log.h"
#include "out.h"
#include "people.h"
#include "reltime.h"

static const char usage[] =
    "usage: tocsin replies [--all] [--unattributed] [--format tsv|csv|json]\n"
    "       tocsin replies done|unsubscribe|sign ID\n"
    "\n"
    "Lists the open replies tocsin inbox kept for a person to read (they\n"
    "are in the IMAP replies folder), newest first: id, sender, date,\n"
    "blast, subject, and the first words of the text. A person handles\n"
    "one: 'done' closes it; 'unsubscribe' takes its writer off the blast's\n"
    "list, and 'sign' signs the blast's action for them, on that person's\n"
    "word (the reply's token must have named the writer).\n"
    "\n"
    "  --all              handled replies too\n"
    "\n"
    "  --unattributed     instead, the bounces and complaints no token of\n"
    "                     ours verifies for (in the unknown folder): they\n"
    "                     changed nobody; the excerpt names who they name\n"
    "  --format tsv|csv   for scripts, with a header row\n";

static int
list_replies(struct cli *cli, enum out_format format, int unattributed,
    int all)
{
	static const char *headers[] = { "id", "sender", "date", "blast",
	    "subject", "excerpt" };
	static const char *report_headers[] = { "id", "sender", "date", "kind",
	    "subject", "excerpt" };
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT id, sender, "
	    "sent_date, CASE WHEN ?1 THEN kind ELSE coalesce(blast_id, '') "
	    "END, subject, excerpt FROM replies WHERE (kind = 'reply') <> ?1 "
	    "AND (?2 OR handled_at IS NULL) ORDER BY id DESC");
	struct out o;
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, unattributed);
	sqlite3_bind_int(st, 2, all);
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
    int *unattributed, int *all)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "format", required_argument, NULL, 'F' },
	    { "all", no_argument, NULL, 'A' },
	    { "unattributed", no_argument, NULL, 'U' }, { 0, 0, 0, 0 } };
	int ch;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 'U')
			*unattributed = 1;
		else if (ch == 'A')
			*all = 1;
		else if (ch != 'F' || out_format_parse(optarg, format) == -1)
			return cli_usage_error("--format is tsv, csv or json");
	}
	if (optind != argc && optind + 2 != argc)
		return cli_usage_error("replies takes no arguments, or "
		    "done|unsubscribe|sign ID");
	return 0;
}

/* The reply `id`, open or not: who wrote it (0: nobody attributed), the
 * blast's list and action. 1, 0 none (logged, FAIL_DATA), -1. */
struct reply_of {
	sqlite3_int64	subscriber_id;
	sqlite3_int64	list_id;
	sqlite3_int64	action_id;
	sqlite3_int64	blast_id;
	sqlite3_int64	delivery_id;	/* the writer's, of that blast */
	int		handled;
	char		email[256];
};

static int
find_reply(struct cli *cli, sqlite3_int64 id, struct reply_of *ro)
{
	sqlite3_stmt *st = db_prepare(&cli->db,
	    "SELECT coalesce(r.subscriber_id, 0), coalesce(b.list_id, 0), "
	    "coalesce(b.action_id, 0), coalesce(r.blast_id, 0), r.handled_at "
	    "IS NOT NULL, coalesce(s.email, ''), coalesce((SELECT d.id FROM "
	    "deliveries d WHERE d.blast_id = r.blast_id AND d.subscriber_id = "
	    "r.subscriber_id), 0) FROM replies r LEFT JOIN blasts b ON b.id = "
	    "r.blast_id LEFT JOIN subscribers s ON s.id = r.subscriber_id "
	    "WHERE r.id = ?1");
	int r;

	memset(ro, 0, sizeof(*ro));
	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(&cli->db, st, "find a reply");
	if (r == 1) {
		ro->subscriber_id = sqlite3_column_int64(st, 0);
		ro->list_id = sqlite3_column_int64(st, 1);
		ro->action_id = sqlite3_column_int64(st, 2);
		ro->blast_id = sqlite3_column_int64(st, 3);
		ro->handled = sqlite3_column_int(st, 4);
		snprintf(ro->email, sizeof(ro->email), "%s",
		    db_column_text(st, 5));
		ro->delivery_id = sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	if (r == 0) {
		log_warnx("no reply %lld (see 'tocsin replies --all')",
		    (long long)id);
		fail_set(FAIL_DATA);
	}
	return r;
}

/* A signature event naming the delivery, so report counts it. */
static int
signature_event(struct cli *cli, const struct reply_of *ro, time_t now)
{
	sqlite3_stmt *st = db_prepare(&cli->db, "INSERT INTO events (kind, "
	    "subscriber_id, list_id, detail, source, created_at, delivery_id) "
	    "VALUES ('signature', ?1, ?2, 'reply, read by a person', "
	    "'cli', ?3, ?4)");
	int r;

	sqlite3_bind_int64(st, 1, ro->subscriber_id);
	sqlite3_bind_int64(st, 2, ro->list_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	db_bind_positive(st, 4, ro->delivery_id);
	r = db_step_done(&cli->db, st, "record a signature");
	sqlite3_finalize(st);
	return r;
}

/* The person's deed: what the reply asked, on the operator's word. */
static int
deed(struct cli *cli, const char *how, const struct reply_of *ro,
    sqlite3_int64 id, time_t now)
{
	struct people p;
	char status[16];
	int r = 0;

	(void)id;
	people_init(&p, &cli->db);
	if (strcmp(how, "unsubscribe") == 0)
		r = people_unsubscribe(&p, ro->list_id, ro->email, "cli",
		    ro->delivery_id, now, status, sizeof(status)) == -1 ? -1 :
		    0;
	else if (strcmp(how, "sign") == 0) {
		struct action act;
		struct signature sig;

		memset(&sig, 0, sizeof(sig));
		sig.email = ro->email;
		sig.source = "reply, read by a person";
		sig.signed_at = now;
		r = action_find_id(&cli->db, ro->action_id, &act) == 1 ?
		    action_sign(&p, &act, &sig) : -1;
		action_release(&act);
		if (r == 1)
			r = signature_event(cli, ro, now);
		r = r == -1 ? -1 : 0;
	}
	people_release(&p);
	return r;
}

static int
handle(struct cli *cli, const char *how, const char *arg)
{
	struct reply_of ro;
	sqlite3_stmt *st;
	sqlite3_int64 id;
	time_t now = time(NULL);
	char *end;
	int r;

	if (strcmp(how, "done") != 0 && strcmp(how, "unsubscribe") != 0 &&
	    strcmp(how, "sign") != 0)
		return cli_usage_error("replies takes done, unsubscribe "
		    "or sign");
	id = strtoll(arg, &end, 10);
	if (*arg == '\0' || *end != '\0' || id < 1)
		return cli_usage_error("'%.20s' is not a reply ID", arg);
	if (cli_open(cli, DB_EXISTING) == -1 || find_reply(cli, id, &ro) != 1)
		return fail_exit_code();
	if (strcmp(how, "done") != 0 && (ro.subscriber_id == 0 ||
	    ro.list_id == 0)) {
		log_warnx("reply %lld names nobody we know (no token of ours "
		    "verified): unsubscribe or sign them by address with "
		    "tocsin sub rm or tocsin action sign", (long long)id);
		return EX_DATAERR;
	}
	if (strcmp(how, "sign") == 0 && ro.action_id == 0) {
		log_warnx("reply %lld answers a blast with no action to sign",
		    (long long)id);
		return EX_DATAERR;
	}
	if (db_begin(&cli->db) == -1)
		return fail_exit_code();
	r = deed(cli, how, &ro, id, now);
	st = db_prepare(&cli->db, "UPDATE replies SET handled_at = ?2, "
	    "handled_how = ?3 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	db_bind_text(st, 3, how);
	if (r == 0)
		r = db_step_done(&cli->db, st, "mark a reply handled");
	sqlite3_finalize(st);
	if (r == -1 || db_commit(&cli->db) == -1) {
		db_rollback(&cli->db);
		return fail_exit_code();
	}
	printf("reply %lld: %s%s%s\n", (long long)id, strcmp(how, "done") == 0 ?
	    "done" : how, strcmp(how, "done") == 0 ? "" : " ", strcmp(how,
	    "done") == 0 ? "" : ro.email);
	return 0;
}

int
main(int argc, char **argv)
{
	enum out_format format = OUT_PLAIN;
	struct cli cli;
	int code, unattributed = 0, all = 0;

	cli_init(&cli, "tocsin-replies", usage);
	code = options(&cli, argc, argv, &format, &unattributed, &all);
	if (code != 0)
		return code;
	if (optind + 2 == argc) {
		code = handle(&cli, argv[optind], argv[optind + 1]);
		cli_release(&cli);
		return code;
	}
	if (cli_open(&cli, DB_EXISTING) == 0)
		(void)list_replies(&cli, format, unattributed, all);
	code = fail_exit_code();
	cli_release(&cli);
	return code;
}
