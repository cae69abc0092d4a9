/*
 * tocsin-web: the web side of tocsin, one small daemon: the one-click
 * unsubscribe every message advertises (RFC 8058), the unsubscribe page,
 * and the petition pages (the engine is src/lib/web.c and webapp.c).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "web.h"
#include "webapp.h"

static const char usage[] =
    "usage: tocsin web [--listen ADDRESS:PORT]\n"
    "\n"
    "Serves the List-Unsubscribe URL of every message (a POST with\n"
    "List-Unsubscribe=One-Click unsubscribes at once; a GET shows a page\n"
    "with a button and changes nothing), and the petition page of each\n"
    "action at /a/SLUG, with its signing form, until SIGTERM. It listens\n"
    "on [web] listen (127.0.0.1:8080 by default): put it behind nginx or\n"
    "another proxy that does TLS (etc/nginx-tocsin.conf). One line a\n"
    "request on stderr, never with a token or an address.\n"
    "\n"
    "  --listen ADDRESS:PORT   instead of [web] listen\n";

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "listen", required_argument, NULL, 'L' }, { 0, 0, 0, 0 } };
	const char *listen = NULL;
	struct sigaction sa;
	struct webapp app;
	struct cli cli;
	int ch, code;

	cli_init(&cli, "tocsin-web", usage);
	while ((ch = cli_next_option(&cli, argc, argv, CLI_SHORTOPTS,
	    opts)) != -1) {
		if (ch != 'L')
			return cli_usage_error("unknown option");
		listen = optarg;
	}
	if (optind != argc)
		return cli_usage_error("web takes no arguments");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (cli_open(&cli, DB_EXISTING) == 0 &&
	    webapp_init(&app, &cli.db, &cli.conf) == 0) {
		if (listen == NULL)
			listen = conf_or(cli.conf.web_listen, "127.0.0.1:8080");
		(void)web_serve(listen, webapp_handle, &app, &stopping);
		webapp_release(&app);
	}
	code = fail_exit_code();
	cli_release(&cli);
	if (fflush(stdout) != 0 && code == 0)
		code = EX_IOERR;
	return code;
}
