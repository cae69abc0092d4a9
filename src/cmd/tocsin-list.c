/* tocsin-list: creates mailing lists and shows them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "footer.h"
#include "fsx.h"
#include "log.h"
#include "list.h"

static const char usage[] =
    "usage: tocsin list [-c FILE] [-d DB] COMMAND ...\n"
    "\n"
    "  create NAME --from \"Name <addr>\" [--reply-to ADDR] [--title TEXT]\n"
    "         [--address TEXT] [--footer FILE]\n"
    "                  create a list; NAME is a-z, 0-9, '-', '_', '.'\n"
    "  set NAME [--from ...] [--reply-to ADDR|''] [--title TEXT]\n"
    "         [--address TEXT] [--footer FILE | --default-footer]\n"
    "                  change a list: --title is what messages call it,\n"
    "                  --address its postal address (every message shows\n"
    "                  it), --footer a Mustache file that shows\n"
    "                  {{unsubscribe_url}} and {{list.address}}\n"
    "  show NAME       its settings and the footer its messages end with\n"
    "  rm NAME         remove it (refused while a blast of it may send)\n"
    "  ls [--format tsv|csv]\n"
    "                  show lists with their subscriber counts\n";

/* Reads --footer FILE for the settings; the caller frees *source. */
static int
read_footer(const char *path, char **source)
{
	size_t len;

	*source = fsx_read(path, FOOTER_MAX, &len);
	if (*source == NULL) {
		log_warn("--footer %s", path);
		fail_set(FAIL_NOINPUT);
		return -1;
	}
	if (strlen(*source) != len) {
		log_warnx("--footer %s: a NUL byte in the file", path);
		fail_set(FAIL_DATA);
		free(*source);
		*source = NULL;
		return -1;
	}
	return 0;
}

/* The options of list create and list set into `s`. 0, or an exit. */
static int
settings_options(struct cli *cli, int argc, char **argv,
    struct list_settings *s, char **footer)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "from", required_argument, NULL, 'f' },
	    { "reply-to", required_argument, NULL, 'r' },
	    { "title", required_argument, NULL, 't' },
	    { "address", required_argument, NULL, 'a' },
	    { "footer", required_argument, NULL, 'F' },
	    { "default-footer", no_argument, NULL, 'D' }, { 0, 0, 0, 0 } };
	const char *footer_path = NULL;
	int ch;

	memset(s, 0, sizeof(*s));
	*footer = NULL;
	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 'f')
			s->from = optarg;
		else if (ch == 'r')
			s->reply_to = optarg;
		else if (ch == 't')
			s->title = optarg;
		else if (ch == 'a')
			s->address = optarg;
		else if (ch == 'F')
			footer_path = optarg;
		else if (ch == 'D')
			s->default_footer = 1;
		else
			return cli_usage_error("unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage_error("give one list NAME");
	if (footer_path != NULL && s->default_footer)
		return cli_usage_error("--footer or --default-footer, "
		    "not both");
	if (footer_path != NULL && read_footer(footer_path, footer) == -1)
		return fail_exit_code();
	s->footer = *footer;
	return 0;
}

static int
cmd_create(struct cli *cli, int argc, char **argv)
{
	struct list_settings s;
	char *footer;
	int r = settings_options(cli, argc, argv, &s, &footer);

	if (r != 0)
		return r;
	if (s.from == NULL)
		r = cli_usage_error("list create needs --from \"Name "
		    "<addr>\"");
	else if (cli_open(cli, DB_EXISTING) == -1 ||
	    list_create(&cli->db, argv[optind], &s) == -1)
		r = fail_exit_code();
	else {
		printf("list '%s' created\n", argv[optind]);
		if (s.address == NULL)
			printf("note: give it a postal address before its "
			    "first blast: tocsin list set %s --address "
			    "TEXT\n", argv[optind]);
	}
	free(footer);
	return r;
}

static int
cmd_set(struct cli *cli, int argc, char **argv)
{
	struct list_settings s;
	char *footer;
	int r = settings_options(cli, argc, argv, &s, &footer);

	if (r != 0)
		return r;
	if (s.from == NULL && s.reply_to == NULL && s.title == NULL &&
	    s.address == NULL && s.footer == NULL && !s.default_footer)
		r = cli_usage_error("list set: nothing to change");
	else if (cli_open(cli, DB_EXISTING) == -1 ||
	    list_set(&cli->db, argv[optind], &s) == -1)
		r = fail_exit_code();
	else
		printf("list '%s' changed\n", argv[optind]);
	free(footer);
	return r;
}

/* list show and list rm: one NAME, no options. */
static int
one_name(struct cli *cli, int argc, char **argv, const char *what)
{
	static const struct option opts[] = { CLI_LONGOPTS, { 0, 0, 0, 0 } };

	if (cli_next_option(cli, argc, argv, "c:d:vh", opts) != -1)
		return cli_usage_error("unknown option");
	if (optind + 1 != argc)
		return cli_usage_error("list %s takes one NAME", what);
	return cli_open(cli, DB_EXISTING) == -1 ? fail_exit_code() : 0;
}

static int
cmd_show(struct cli *cli, int argc, char **argv)
{
	int r = one_name(cli, argc, argv, "show");

	if (r != 0)
		return r;
	return list_show(&cli->db, argv[optind]) == -1 ?
	    fail_exit_code() : 0;
}

static int
cmd_rm(struct cli *cli, int argc, char **argv)
{
	int r = one_name(cli, argc, argv, "rm");

	if (r != 0)
		return r;
	if (list_remove(&cli->db, argv[optind]) == -1)
		return fail_exit_code();
	printf("list '%s' removed; its blasts and who left it stay as "
	    "history\n", argv[optind]);
	return 0;
}

static int
cmd_ls(struct cli *cli, int argc, char **argv)
{
	enum out_format format;
	int r = cli_listing_options(cli, argc, argv, &format);

	if (r != 0)
		return r;
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    lists_print(&cli->db, format) == -1)
		return fail_exit_code();
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "create", cmd_create },
		{ "set", cmd_set },
		{ "show", cmd_show },
		{ "rm", cmd_rm },
		{ "ls", cmd_ls },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-list", usage, commands);
}
