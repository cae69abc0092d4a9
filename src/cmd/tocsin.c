/*
 * tocsin: the front. `tocsin COMMAND ARGS` runs tocsin-COMMAND with ARGS,
 * found beside this program (the build tree, or one bin directory), then
 * in ../libexec/tocsin relative to it, then in LIBEXECDIR. Options before
 * COMMAND (-c, -d, -v) are handed on. No shell is involved.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

#ifndef LIBEXECDIR
#define LIBEXECDIR "/usr/local/libexec/tocsin"
#endif

#define TOCSIN_VERSION "0.1"

struct command {
	const char	*name;
	const char	*summary;
};

static const struct command commands[] = {
	{ "init", "create the database, or bring its schema up to date" },
	{ "list", "create lists and show them" },
	{ "sub", "import, add, remove, show and export subscribers" },
	{ "suppress", "addresses no list mails: add, rm, ls, import, export" },
	{ "person", "what is held about one person: show, export, forget" },
	{ "action", "petitions and sign-on letters: create, sign, signers" },
	{ "merge", "render a Mustache file with JSON data to stdout" },
	{ "template", "check an alert template: syntax and unknown variables" },
	{ "render", "print the message a subscriber would be sent" },
	{ "blast", "create blasts to a segment of a list; show, "
	    "pause, cancel" },
	{ "segment", "count who a segment of a list is, before a blast" },
	{ "send", "send due blasts over SMTP (cron: tocsin send --due)" },
	{ "inbox", "act on bounces, complaints and replies (cron: tocsin "
	    "inbox --once)" },
	{ "replies", "list the human replies kept for a person" },
	{ "classify", "say what message files are: bounce, "
	    "complaint, reply..." },
	{ "report", "who bounced, unsubscribed, complained and signed, "
	    "by blast" },
	{ "web", "serve one-click unsubscribe and the petition pages" },
	{ "dkim", "the keys messages are signed with: keygen, show" },
	{ "dns", "the DNS records to publish (SPF, DKIM, DMARC, MX); --check" },
	{ "status", "what is stuck or wrong, for a person or a monitor" },
	{ NULL, NULL },
};

static void
usage(FILE *fp)
{
	const struct command *c;

	fprintf(fp, "usage: tocsin [-c FILE] [-d DB] [-v] COMMAND [ARGS]\n"
	    "       tocsin COMMAND --help\n\n"
	    "tocsin keeps supporter lists, sends action alerts and reads "
	    "the replies.\n\nCommands:\n");
	for (c = commands; c->name != NULL; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
	fprintf(fp, "\nOptions:\n"
	    "  -c FILE   config file (else $TOCSIN_CONFIG, else "
	    "./tocsin.conf)\n"
	    "  -d DB     database (else $TOCSIN_DB, the config's [database]\n"
	    "            path, else ./tocsin.db)\n"
	    "  -v        say more about what is done\n"
	    "  --version print the version\n\n"
	    "Each command has a manual page: man tocsin-COMMAND.\n");
}

static const struct command *
find_command(const char *name)
{
	const struct command *c;

	for (c = commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Tries to run dir/tocsin-NAME; returns only if it could not. */
static void
try_exec(const char *dir, const char *name, char **argv)
{
	char path[PATH_MAX];
	int n;

	n = snprintf(path, sizeof(path), "%s/tocsin-%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return;
	if (access(path, X_OK) == -1)
		return;
	argv[0] = path;
	execv(path, argv);
	log_warn("cannot run '%s'", path);
	exit(EX_OSERR);
}

static void
run(const char *name, char **argv)
{
	char self[PATH_MAX], libexec[PATH_MAX + 32];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			try_exec(self, name, argv);
			snprintf(libexec, sizeof(libexec),
			    "%s/../libexec/tocsin", self);
			try_exec(libexec, name, argv);
		}
	}
	try_exec(LIBEXECDIR, name, argv);
	log_warnx("cannot find the program 'tocsin-%s' (looked beside "
	    "tocsin and in %s)", name, LIBEXECDIR);
	exit(EX_UNAVAILABLE);
}

int
main(int argc, char **argv)
{
	char **child;
	int i, first;

	log_init("tocsin", 0);
	/* Options before the command: -c X, -d X, -v. */
	for (first = 1; first < argc; first++) {
		const char *a = argv[first];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
		}
		if (strcmp(a, "--version") == 0) {
			printf("tocsin %s\n", TOCSIN_VERSION);
			return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
		}
		if (strcmp(a, "-v") == 0)
			continue;
		if (strcmp(a, "-c") == 0 || strcmp(a, "-d") == 0) {
			if (++first == argc) {
				log_warnx("option '%s' needs a value", a);
				return EX_USAGE;
			}
			continue;
		}
		if (a[0] == '-') {
			log_warnx("unknown option '%.40s'", a);
			usage(stderr);
			return EX_USAGE;
		}
		break;
	}
	if (first == argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (find_command(argv[first]) == NULL) {
		log_warnx("unknown command '%.40s' (see 'tocsin --help')",
		    argv[first]);
		return EX_USAGE;
	}
	/* tocsin-NAME [options before the command] ARGS... */
	child = xcalloc((size_t)argc + 1, sizeof(char *));
	for (i = 1; i < first; i++)
		child[i] = argv[i];
	for (i = first + 1; i < argc; i++)
		child[i - 1] = argv[i];
	run(argv[first], child);
}
