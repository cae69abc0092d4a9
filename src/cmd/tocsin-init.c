/*
 * tocsin-init: creates the database, or brings its schema up to date.
 * Running it again on an up-to-date database changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "migrate.h"

static const char usage[] =
    "usage: tocsin init [-c FILE] [-d DB] [-v] [--to VERSION]\n"
    "\n"
    "Creates the database, or applies the schema migrations it lacks,\n"
    "each in its own transaction. Safe to run again: an up-to-date\n"
    "database is left as it is.\n"
    "\n"
    "  --to VERSION  stop at this schema version (for staged upgrades)\n";

int
main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "to", required_argument, NULL, 't' }, { 0, 0, 0, 0 } };
	struct cli cli;
	long target;
	char *end;
	int ch, before, applied, after;

	cli_init(&cli, "tocsin-init", usage);
	target = migrate_latest();
	while ((ch = cli_next_option(&cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch != 't')
			return cli_usage_error("unknown option");
		errno = 0;
		target = strtol(optarg, &end, 10);
		if (errno != 0 || *end != '\0' || target < 1 ||
		    target > migrate_latest())
			return cli_usage_error("--to takes a version from "
			    "1 to %d", migrate_latest());
	}
	if (optind != argc)
		return cli_usage_error("init takes no arguments");
	if (cli_open(&cli, DB_CREATE) == -1 ||
	    migrate_current(&cli.db, &before) == -1)
		goto done;
	if (before > migrate_latest()) {
		log_warnx("database '%s' has schema version %d, made by a "
		    "newer tocsin; this one knows up to %d", cli.db.path,
		    before, migrate_latest());
		fail_set(FAIL_CONFIG);
		goto done;
	}
	applied = migrate_to(&cli.db, (int)target);
	if (applied == -1 || migrate_current(&cli.db, &after) == -1)
		goto done;
	if (applied == 0)
		printf("database '%s' is up to date (schema version %d)\n",
		    cli.db.path, after);
	else if (before == 0)
		printf("database '%s' created (schema version %d)\n",
		    cli.db.path, after);
	else
		printf("database '%s' upgraded from schema version %d to %d\n",
		    cli.db.path, before, after);
done:
	cli_release(&cli);
	if (fflush(stdout) != 0)
		return EX_IOERR;
	return fail_exit_code();
}
