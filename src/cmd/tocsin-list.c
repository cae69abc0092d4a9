/* tocsin-list: creates mailing lists and shows them. */
#include <stdio.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "roster.h"

static const char usage[] =
    "usage: tocsin list [-c FILE] [-d DB] COMMAND ...\n"
    "\n"
    "  create NAME --from \"Name <addr>\" [--reply-to ADDR]\n"
    "                  create a list; NAME is a-z, 0-9, '-', '_', '.'\n"
    "  ls [--format tsv|csv]\n"
    "                  show lists with their subscriber counts\n";

static int
list_create(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "from", required_argument, NULL, 'f' },
	    { "reply-to", required_argument, NULL, 'r' }, { 0, 0, 0, 0 } };
	const char *from = NULL, *reply_to = NULL;
	int ch;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vhf:r:",
	    opts)) != -1) {
		if (ch == 'f')
			from = optarg;
		else if (ch == 'r')
			reply_to = optarg;
		else
			return cli_usage_error("unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage_error("list create takes one NAME");
	if (from == NULL)
		return cli_usage_error("list create needs --from \"Name "
		    "<addr>\"");
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    roster_list_create(&cli->db, argv[optind], from, reply_to) == -1)
		return fail_exit_code();
	printf("list '%s' created\n", argv[optind]);
	return 0;
}

static int
list_ls(struct cli *cli, int argc, char **argv)
{
	enum out_format format;
	int r = cli_listing_options(cli, argc, argv, &format);

	if (r != 0)
		return r;
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    roster_lists_print(&cli->db, format) == -1)
		return fail_exit_code();
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "create", list_create },
		{ "ls", list_ls },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-list", usage, commands);
}
