/* cli: the options and set-up every program shares (see cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "xalloc.h"

void
cli_init(struct cli *cli, const char *progname, const char *usage)
{
	memset(cli, 0, sizeof(*cli));
	cli->usage = usage;
	conf_init(&cli->conf);
	log_init(progname, 0);
	umask(077);
}

void
cli_release(struct cli *cli)
{
	if (cli->db.handle != NULL)
		db_close(&cli->db);
	conf_release(&cli->conf);
}

/*
 * Handles a common option from getopt_long. Returns 1 if it was one, 0
 * if not. --help prints the usage and exits 0.
 */
static int
cli_option(struct cli *cli, int ch, const char *arg)
{
	switch (ch) {
	case 'c':
		cli->config_arg = arg;
		return 1;
	case 'd':
		cli->db_arg = arg;
		return 1;
	case 'v':
		cli->verbose = 1;
		log_init(log_progname(), 1);
		return 1;
	case 'h':
		fputs(cli->usage, stdout);
		if (fflush(stdout) != 0)
			exit(EX_IOERR);
		exit(EX_OK);
	}
	return 0;
}

int
cli_next_option(struct cli *cli, int argc, char **argv, const char *shortopts,
    const struct option *opts)
{
	int ch;

	while ((ch = getopt_long(argc, argv, shortopts, opts, NULL)) != -1)
		if (!cli_option(cli, ch, optarg))
			return ch;
	return -1;
}

int
cli_usage_error(const char *fmt, ...)
{
	const char *name;
	va_list ap;

	fprintf(stderr, "%s: ", log_progname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* as the person typed it: "tocsin sub", not "tocsin-sub" */
	name = log_progname();
	if (strncmp(name, "tocsin-", 7) == 0)
		fprintf(stderr, "\nTry 'tocsin %s --help'.\n", name + 7);
	else
		fprintf(stderr, "\nTry '%s --help'.\n", name);
	return EX_USAGE;
}

static const char *
config_file(const struct cli *cli)
{
	const char *env = getenv("TOCSIN_CONFIG");

	if (cli->config_arg != NULL)
		return cli->config_arg;
	if (env != NULL && *env != '\0')
		return env;
	if (access("tocsin.conf", F_OK) == 0)
		return "tocsin.conf";
	return NULL;
}

/*
 * [blast] timezone: the group's zone, for every local time read (--at)
 * and shown. It must name a zone of the system's database, or a typo
 * would silently mean UTC.
 */
static int
use_timezone(const struct conf *c)
{
	const char *tz = c->blast_timezone;
	char path[512];
	struct stat sb;

	if (tz == NULL)
		return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	if (strspn(tz, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_+-/") != strlen(tz) || strstr(tz, "..") != NULL ||
	    tz[0] == '/' || strlen(tz) > 200 || stat(path, &sb) == -1 ||
	    !S_ISREG(sb.st_mode)) {
		log_warnx("%s: [blast] timezone '%.64s' is not a zone of "
		    "/usr/share/zoneinfo (say Europe/Paris, America/La_Paz "
		    "or UTC)", c->path != NULL ? c->path : "the config", tz);
		fail_set(FAIL_CONFIG);
		return -1;
	}
	if (setenv("TZ", tz, 1) == -1)
		fatal("cannot set TZ");
	tzset();
	return 0;
}

int
cli_load_config(struct cli *cli)
{
	const char *config = config_file(cli);

	if (config != NULL && conf_load(&cli->conf, config) == -1)
		return -1;
	if (cli->conf.log_syslog)
		log_use_syslog();
	return use_timezone(&cli->conf);
}

int
cli_open(struct cli *cli, enum db_open_mode mode)
{
	const char *env = getenv("TOCSIN_DB");
	char *path;
	int r;

	if (cli_load_config(cli) == -1)
		return -1;
	if (cli->db_arg != NULL)
		path = xstrdup(cli->db_arg);
	else if (env != NULL && *env != '\0')
		path = xstrdup(env);
	else if (cli->conf.db_path != NULL)
		path = conf_path(&cli->conf, cli->conf.db_path);
	else
		path = xstrdup("tocsin.db");
	r = db_open(&cli->db, path, mode);
	free(path);
	return r;
}

/*
 * Parses the common options before the command word, then runs the
 * command with argv[0] being its name and getopt reset for it. Returns
 * the exit code.
 */
static int
cli_dispatch(struct cli *cli, int argc, char **argv,
    const struct cli_command *commands)
{
	static const struct option opts[] = { CLI_LONGOPTS, { 0, 0, 0, 0 } };
	const struct cli_command *c;

	if (cli_next_option(cli, argc, argv, CLI_SHORTOPTS, opts) != -1)
		return cli_usage_error("unknown option");
	if (optind >= argc)
		return cli_usage_error("which command?");
	for (c = commands; c->name != NULL; c++) {
		if (strcmp(c->name, argv[optind]) != 0)
			continue;
		argc -= optind;
		argv += optind;
		/* 0, not 1: glibc then starts afresh for the new argv. */
		optind = 0;
		return c->run(cli, argc, argv);
	}
	return cli_usage_error("unknown command '%.40s'", argv[optind]);
}

int
cli_main(int argc, char **argv, const char *progname, const char *usage,
    const struct cli_command *commands)
{
	struct cli cli;
	int code;

	cli_init(&cli, progname, usage);
	code = cli_dispatch(&cli, argc, argv, commands);
	cli_release(&cli);
	if (fflush(stdout) != 0 && code == 0) {
		log_warn("cannot write to stdout");
		code = EX_IOERR;
	}
	return code;
}

int
cli_listing_options(struct cli *cli, int argc, char **argv,
    enum out_format *format)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "format", required_argument, NULL, 'F' }, { 0, 0, 0, 0 } };
	int ch;

	*format = OUT_PLAIN;
	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch != 'F' || out_format_parse(optarg, format) == -1)
			return cli_usage_error("--format is tsv or csv");
	}
	if (optind != argc)
		return cli_usage_error("'%s' takes no arguments", argv[0]);
	return 0;
}
