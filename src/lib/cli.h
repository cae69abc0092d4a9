/*
 * cli: what every program shares on its command line: -c FILE, -d DB,
 * -v and --help; finding the config ($TOCSIN_CONFIG, ./tocsin.conf) and
 * the database ($TOCSIN_DB, the config's [database] path, ./tocsin.db);
 * and --format for listings.
 */
#ifndef TOCSIN_CLI_H
#define TOCSIN_CLI_H

#include <getopt.h>

#include "conf.h"
#include "db.h"
#include "out.h"

/* The common options, to put first in every program's option table. */
#define CLI_SHORTOPTS "+c:d:vh"
#define CLI_LONGOPTS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "db", required_argument, NULL, 'd' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "help", no_argument, NULL, 'h' }

struct cli {
	const char	*usage;		/* the --help text */
	const char	*config_arg;	/* -c */
	const char	*db_arg;	/* -d */
	int		 verbose;
	struct conf	 conf;
	struct db	 db;
};

/* Sets the log name and umask 077: what tocsin writes is private. */
void	cli_init(struct cli *cli, const char *progname, const char *usage);
void	cli_release(struct cli *cli);

/*
 * getopt_long over the program's options, the common ones handled on
 * the way (--help, -c, -d, -v): the next option of the program's own,
 * or -1 when there are no more.
 */
int	cli_next_option(struct cli *cli, int argc, char **argv,
	    const char *shortopts, const struct option *opts);
/* Prints "try --help" for a usage error and returns 64. */
int	cli_usage_error(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* One word of a program with several ("tocsin sub add ..."). */
struct cli_command {
	const char	*name;
	int		(*run)(struct cli *cli, int argc, char **argv);
};

/*
 * The whole main() of a program of several commands: set-up, dispatch,
 * release, and stdout flushed. Returns the exit code.
 */
int	cli_main(int argc, char **argv, const char *progname,
	    const char *usage, const struct cli_command *commands);

/*
 * Parses the options of a listing that takes only --format tsv|csv and
 * no arguments. 0, or the exit code of a usage error.
 */
int	cli_listing_options(struct cli *cli, int argc, char **argv,
	    enum out_format *format);

/* Reads the config, if there is one. 0 or -1. */
int	cli_load_config(struct cli *cli);
/* Reads the config (if any) and opens the database. 0 or -1. */
int	cli_open(struct cli *cli, enum db_open_mode mode);

#endif
