/*
 * tocsin-action: petitions and sign-on letters: create them, record
 * signatures one at a time or from a CSV, and show who signed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "action.h"
#include "addr.h"
#include "cli.h"
#include "log.h"
#include "reltime.h"
#include "list.h"

static const char usage[] =
    "usage: tocsin action [-c FILE] [-d DB] COMMAND ...\n"
    "\n"
    "  create SLUG --title TEXT [--kind petition|letter] [--list LIST]\n"
    "         [--goal N] [--text TEXT]\n"
    "          --list: the list tocsin web's confirmations come from and\n"
    "          consenting signers join; --goal: the page's first goal;\n"
    "          --text: the page's text (blank lines make paragraphs)\n"
    "  sign SLUG EMAIL [--name N] [--display-name D] [--org O]\n"
    "         [--comment C]\n"
    "          public: the first word of --name, or all of --display-name\n"
    "          signing twice counts once; an unknown EMAIL becomes a\n"
    "          subscriber, on no list\n"
    "  import SLUG FILE.csv\n"
    "          header row: email, and any of name (or first_name and\n"
    "          last_name), org, comment, signed_at (YYYY-MM-DD HH:MM)\n"
    "  ls [--format tsv|csv]\n"
    "  signers SLUG [--recent N] [--format tsv|csv|json]\n"
    "          newest first: \"Gabrielle signed 9 days ago\"; for a\n"
    "          letter, its organisations as a numbered list\n";

struct action_args {
	const char	*title;
	const char	*kind;
	const char	*name;
	const char	*display_name;
	const char	*org;
	const char	*comment;
	const char	*list;
	const char	*text;
	long		 goal;
	long		 recent;
	enum out_format	 format;
};

static int
check_text(const char *what, const char *s, size_t max)
{
	const char *p;

	if (strlen(s) > max)
		return cli_usage_error("%s is longer than %zu bytes", what,
		    max);
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20)
			return cli_usage_error("%s has a control character",
			    what);
	return 0;
}

static int
set_option(struct action_args *a, int ch, const char *arg)
{
	char *end;

	switch (ch) {
	case 't':
		a->title = arg;
		return 0;
	case 'k':
		if (strcmp(arg, "petition") != 0 && strcmp(arg, "letter") != 0)
			return cli_usage_error("--kind is petition or letter");
		a->kind = arg;
		return 0;
	case 'n':
		a->name = arg;
		return check_text("--name", arg, IMPORT_VALUE_MAX);
	case 'D':
		a->display_name = arg;
		return check_text("--display-name", arg, 64);
	case 'o':
		a->org = arg;
		return check_text("--org", arg, IMPORT_VALUE_MAX);
	case 'C':
		a->comment = arg;
		return check_text("--comment", arg, IMPORT_VALUE_MAX);
	case 'r':
		errno = 0;
		a->recent = strtol(arg, &end, 10);
		if (errno != 0 || *end != '\0' || a->recent < 1)
			return cli_usage_error("--recent takes a count");
		return 0;
	case 'g':
		errno = 0;
		a->goal = strtol(arg, &end, 10);
		if (errno != 0 || *end != '\0' || a->goal < 1)
			return cli_usage_error("--goal takes a count");
		return 0;
	case 'l':
		a->list = arg;
		return 0;
	case 'x':
		a->text = arg;
		return strlen(arg) > ACTION_TEXT_MAX ? cli_usage_error("--text "
		    "is longer than %d bytes", ACTION_TEXT_MAX) : 0;
	case 'F':
		if (out_format_parse(arg, &a->format) == -1)
			return cli_usage_error("--format is tsv or csv");
		return 0;
	}
	return cli_usage_error("unknown option");
}

static int
action_options(struct cli *cli, int argc, char **argv, struct action_args *a,
    const char *allowed, int nargs)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "title", required_argument, NULL, 't' },
	    { "kind", required_argument, NULL, 'k' },
	    { "name", required_argument, NULL, 'n' },
	    { "display-name", required_argument, NULL, 'D' },
	    { "org", required_argument, NULL, 'o' },
	    { "comment", required_argument, NULL, 'C' },
	    { "recent", required_argument, NULL, 'r' },
	    { "goal", required_argument, NULL, 'g' },
	    { "list", required_argument, NULL, 'l' },
	    { "text", required_argument, NULL, 'x' },
	    { "format", required_argument, NULL, 'F' }, { 0, 0, 0, 0 } };
	int ch, r;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == '?' || strchr(allowed, ch) == NULL)
			return cli_usage_error("unknown option for 'action %s'",
			    argv[0]);
		r = set_option(a, ch, optarg);
		if (r != 0)
			return r;
	}
	if (argc - optind != nargs)
		return cli_usage_error("'action %s' takes %d argument%s "
		    "(see --help)", argv[0], nargs, nargs == 1 ? "" : "s");
	return 0;
}

static int
action_create_cmd(struct cli *cli, int argc, char **argv)
{
	struct action_args a = { 0 };
	sqlite3_int64 list = 0;
	const char *why;
	int r;

	r = action_options(cli, argc, argv, &a, "tkglx", 1);
	if (r != 0)
		return r;
	if (a.title == NULL)
		return cli_usage_error("action create needs --title TEXT");
	why = slug_problem(argv[optind]);
	if (why == NULL)
		why = action_title_problem(a.title);
	if (why != NULL) {
		log_warnx("cannot create action '%.64s': %s", argv[optind],
		    why);
		return EX_DATAERR;
	}
	if (cli_open(cli, DB_EXISTING) == -1)
		return fail_exit_code();
	if (a.list != NULL && list_get_id(&cli->db, a.list, &list) != 1)
		return fail_exit_code();
	if (action_create(&cli->db, argv[optind], a.title,
	    a.kind != NULL && strcmp(a.kind, "letter") == 0) == -1 ||
	    action_set_page(&cli->db, argv[optind], list, a.goal,
	    a.text) == -1)
		return fail_exit_code();
	printf("%s '%s' created\n", a.kind != NULL ? a.kind : "petition",
	    argv[optind]);
	return 0;
}

static int
action_sign_cmd(struct cli *cli, int argc, char **argv)
{
	char email[ADDR_MAX_LEN + 1];
	struct action_args a = { 0 };
	struct signature sig;
	struct action act;
	struct people p;
	const char *why;
	int r;

	r = action_options(cli, argc, argv, &a, "nDoC", 2);
	if (r != 0)
		return r;
	if (addr_normalise(argv[optind + 1], strlen(argv[optind + 1]), email,
	    &why) == -1) {
		log_warnx("'%.254s' is not an email address: %s",
		    argv[optind + 1], why);
		return EX_DATAERR;
	}
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    action_find(&cli->db, argv[optind], &act) != 1)
		return fail_exit_code();
	memset(&sig, 0, sizeof(sig));
	sig.email = email;
	sig.name = a.name;
	sig.display_name = a.display_name;
	sig.org = a.org;
	sig.comment = a.comment;
	sig.source = "cli";
	sig.signed_at = time(NULL);
	people_init(&p, &cli->db);
	r = db_begin(&cli->db);
	if (r == 0)
		r = action_sign(&p, &act, &sig);
	if (r == -1 || db_commit(&cli->db) == -1) {
		db_rollback(&cli->db);
		r = -1;
	}
	people_release(&p);
	if (r == 1)
		printf("%s signed '%s'\n", email, act.slug);
	else if (r == 0)
		printf("%s had signed '%s' already: counted once\n", email,
		    act.slug);
	action_release(&act);
	return fail_exit_code();
}

static int
action_import_cmd(struct cli *cli, int argc, char **argv)
{
	struct action_args a = { 0 };
	struct import_counts counts;
	struct action act;
	const char *path;
	FILE *fp;
	int r;

	r = action_options(cli, argc, argv, &a, "", 2);
	if (r != 0)
		return r;
	path = argv[optind + 1];
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    action_find(&cli->db, argv[optind], &act) != 1)
		return fail_exit_code();
	fp = import_open(path);
	if (fp != NULL) {
		r = action_import(&cli->db, &act, fp, path, &counts);
		if (fp != stdin)
			fclose(fp);
		if (r == 0)
			import_print_summary(path, &counts, IMPORT_SIGNATURES);
	}
	action_release(&act);
	return fail_exit_code();
}

static int
action_ls_cmd(struct cli *cli, int argc, char **argv)
{
	struct action_args a = { 0 };
	int r;

	r = action_options(cli, argc, argv, &a, "F", 0);
	if (r != 0)
		return r;
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    action_list(&cli->db, a.format) == -1)
		return fail_exit_code();
	return 0;
}

static int
action_signers_cmd(struct cli *cli, int argc, char **argv)
{
	struct action_args a = { 0 };
	struct action act;
	int r;

	r = action_options(cli, argc, argv, &a, "rF", 1);
	if (r != 0)
		return r;
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    action_find(&cli->db, argv[optind], &act) != 1)
		return fail_exit_code();
	(void)action_print_signers(&cli->db, &act, a.recent, a.format,
	    time(NULL));
	action_release(&act);
	return fail_exit_code();
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "create", action_create_cmd },
		{ "sign", action_sign_cmd },
		{ "import", action_import_cmd },
		{ "ls", action_ls_cmd },
		{ "signers", action_signers_cmd },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-action", usage, commands);
}
