/*
 * tocsin-suppress: the global suppression list, addresses that no list
 * mails whatever their memberships say: add, rm (with a reason), ls,
 * import and export.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "addr.h"
#include "cli.h"
#include "log.h"
#include "suppress.h"

static const char usage[] =
    "usage: tocsin suppress [-c FILE] [-d DB] COMMAND ...\n"
    "\n"
    "  add EMAIL... [--reason TEXT]   no list mails them (reason: manual)\n"
    "  rm EMAIL --reason TEXT         lift it; the reason is recorded (it\n"
    "                  resubscribes nobody: see sub add --resubscribe)\n"
    "  ls [--format tsv|csv|json]     email, reason, since; newest first\n"
    "  import FILE.csv [--reason TEXT]\n"
    "                  an email column, and reason and since if any;\n"
    "                  FILE '-' reads stdin\n"
    "  export          CSV that import reads back\n";

/* --reason, the one option besides the common ones. 0 or an exit code. */
static int
reason_option(struct cli *cli, int argc, char **argv, const char **reason)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "reason", required_argument, NULL, 'r' }, { 0, 0, 0, 0 } };
	const char *problem;
	int ch;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch != 'r')
			return cli_usage_error("unknown option for "
			    "'suppress %s'", argv[0]);
		problem = suppress_reason_problem(optarg);
		if (problem != NULL)
			return cli_usage_error("--reason: %s", problem);
		*reason = optarg;
	}
	return 0;
}

static int
normalised(const char *arg, char *email)
{
	const char *why;

	if (addr_normalise(arg, strlen(arg), email, &why) == 0)
		return 0;
	log_warnx("'%.254s' is not an email address: %s", arg, why);
	fail_set(FAIL_DATA);
	return -1;
}

static int
suppress_add_cmd(struct cli *cli, int argc, char **argv)
{
	char email[ADDR_MAX_LEN + 1];
	const char *reason = "manual";
	int i, r;

	r = reason_option(cli, argc, argv, &reason);
	if (r != 0)
		return r;
	if (optind == argc)
		return cli_usage_error("usage: suppress add EMAIL... "
		    "[--reason TEXT]");
	if (cli_open(cli, DB_EXISTING) == -1 || db_begin(&cli->db) == -1)
		return fail_exit_code();
	for (i = optind; i < argc && r != -1; i++) {
		if (normalised(argv[i], email) == -1)
			continue;
		r = suppress_add(&cli->db, email, reason, "cli", time(NULL));
		if (r == 1)
			printf("suppressed %s: no list mails them\n", email);
		else if (r == 0)
			printf("%s is suppressed already\n", email);
	}
	/* One transaction: each address with its event, or none of them. */
	if (r == -1 || db_commit(&cli->db) == -1)
		db_rollback(&cli->db);
	return fail_exit_code();
}

static int
suppress_rm_cmd(struct cli *cli, int argc, char **argv)
{
	char email[ADDR_MAX_LEN + 1];
	const char *reason = NULL;
	int r;

	r = reason_option(cli, argc, argv, &reason);
	if (r != 0)
		return r;
	if (optind + 1 != argc || reason == NULL)
		return cli_usage_error("usage: suppress rm EMAIL --reason TEXT "
		    "(why they may be mailed again)");
	if (normalised(argv[optind], email) == -1 ||
	    cli_open(cli, DB_EXISTING) == -1 || db_begin(&cli->db) == -1)
		return fail_exit_code();
	r = suppress_remove(&cli->db, email, reason);
	if (r == -1 || db_commit(&cli->db) == -1) {
		db_rollback(&cli->db);
		r = -1;
	}
	if (r == 1)
		printf("%s is no longer suppressed; lists they left still "
		    "leave them alone\n", email);
	else if (r == 0) {
		log_warnx("%s is not suppressed", email);
		fail_set(FAIL_DATA);
	}
	return fail_exit_code();
}

static int
suppress_ls_cmd(struct cli *cli, int argc, char **argv)
{
	enum out_format format;
	int r = cli_listing_options(cli, argc, argv, &format);

	if (r != 0)
		return r;
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    suppress_print(&cli->db, format) == -1)
		return fail_exit_code();
	return 0;
}

static int
suppress_import_cmd(struct cli *cli, int argc, char **argv)
{
	struct import_counts counts;
	const char *reason = "imported", *path;
	FILE *fp;
	int r;

	r = reason_option(cli, argc, argv, &reason);
	if (r != 0)
		return r;
	if (optind + 1 != argc)
		return cli_usage_error("usage: suppress import FILE.csv "
		    "[--reason TEXT]");
	path = argv[optind];
	if (cli_open(cli, DB_EXISTING) == -1)
		return fail_exit_code();
	fp = import_open(path);
	if (fp == NULL)
		return fail_exit_code();
	r = suppress_import(&cli->db, fp, path, reason, &counts);
	if (fp != stdin)
		fclose(fp);
	if (r == 0)
		import_print_summary(path, &counts, IMPORT_SUPPRESSIONS);
	return r == 0 ? 0 : fail_exit_code();
}

static int
suppress_export_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS, { 0, 0, 0, 0 } };

	if (cli_next_option(cli, argc, argv, "c:d:vh", opts) != -1)
		return cli_usage_error("unknown option for 'suppress export'");
	if (optind != argc)
		return cli_usage_error("suppress export takes no arguments");
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    suppress_export(&cli->db) == -1)
		return fail_exit_code();
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "add", suppress_add_cmd },
		{ "rm", suppress_rm_cmd },
		{ "ls", suppress_ls_cmd },
		{ "import", suppress_import_cmd },
		{ "export", suppress_export_cmd },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-suppress", usage, commands);
}
