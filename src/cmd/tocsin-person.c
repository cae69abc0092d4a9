/*
 * tocsin-person: everything held about one person, for their request to
 * see it (show, export as JSON) or to be forgotten (forget).
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "addr.h"
#include "cli.h"
#include "log.h"
#include "person.h"

static const char usage[] =
    "usage: tocsin person [-c FILE] [-d DB] COMMAND EMAIL\n"
    "\n"
    "  show EMAIL      every list, signature, delivery, event and reply\n"
    "                  held about them\n"
    "  export EMAIL    the same as JSON, to give them\n"
    "  forget EMAIL --yes\n"
    "                  delete their personal data everywhere; a salted\n"
    "                  hash stays in the suppression list so no import\n"
    "                  adds them back (without --yes: what would go)\n";

/* One EMAIL, and --yes for forget. 0, or an exit code. */
static int
parse(struct cli *cli, int argc, char **argv, char *email, int *yes)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "yes", no_argument, NULL, 'y' }, { 0, 0, 0, 0 } };
	const char *why;
	int ch;

	*yes = 0;
	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 'y' && strcmp(argv[0], "forget") == 0)
			*yes = 1;
		else
			return cli_usage_error("unknown option for "
			    "'person %s'", argv[0]);
	}
	if (optind + 1 != argc)
		return cli_usage_error("person %s takes one EMAIL", argv[0]);
	if (addr_normalise(argv[optind], strlen(argv[optind]), email,
	    &why) == -1) {
		log_warnx("'%.254s' is not an email address: %s",
		    argv[optind], why);
		return EX_DATAERR;
	}
	return cli_open(cli, DB_EXISTING) == -1 ? fail_exit_code() : 0;
}

static int
show(struct cli *cli, int argc, char **argv)
{
	char email[ADDR_MAX_LEN + 1];
	int yes, r = parse(cli, argc, argv, email, &yes);

	if (r != 0)
		return r;
	return person_show(&cli->db, email) == -1 ? fail_exit_code() : 0;
}

static int
export(struct cli *cli, int argc, char **argv)
{
	char email[ADDR_MAX_LEN + 1];
	int yes, r = parse(cli, argc, argv, email, &yes);

	if (r != 0)
		return r;
	return person_export(&cli->db, email) == -1 ? fail_exit_code() : 0;
}

static int
forget(struct cli *cli, int argc, char **argv)
{
	char email[ADDR_MAX_LEN + 1];
	struct person_forgotten f;
	int yes, r = parse(cli, argc, argv, email, &yes);

	if (r != 0)
		return r;
	if (person_forget(&cli->db, email, yes, &f) == -1)
		return fail_exit_code();
	printf("%s %s: %lld list membership%s, %lld signature%s, %lld "
	    "event%s and %lld repl%s deleted; %lld deliver%s kept without "
	    "them, for the blasts' figures\n", yes ? "forgot" :
	    "would forget", email, f.lists, f.lists == 1 ? "" : "s",
	    f.signatures, f.signatures == 1 ? "" : "s", f.events,
	    f.events == 1 ? "" : "s", f.replies, f.replies == 1 ? "y" : "ies",
	    f.deliveries, f.deliveries == 1 ? "y" : "ies");
	if (!yes) {
		printf("nothing changed: add --yes to forget them\n");
		return EX_USAGE;
	}
	printf("a salted hash of the address stays in the suppression list: "
	    "no import, sub add or form can add them back ('tocsin suppress "
	    "rm %s --reason TEXT' lifts it if they return)\n", email);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "show", show },
		{ "export", export },
		{ "forget", forget },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-person", usage, commands);
}
