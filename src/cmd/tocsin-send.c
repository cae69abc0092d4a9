/*
 * tocsin-send: sends due blasts over SMTP, never twice (the engine is
 * src/lib/send.c).
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "send.h"

static const char usage[] =
    "usage: tocsin send [--due | [--now] BLAST_ID] [--resend-unknown]\n"
    "       tocsin send --dry-run --outbox MAILDIR [--due | BLAST_ID]\n"
    "\n"
    "Sends every due blast (--due, for cron), or one blast when it is due\n"
    "(--now: before its time). Drafts are never sent: tocsin blast\n"
    "schedule makes them due; a dry run shows one. One sender\n"
    "runs per database; a second says so and exits 0. SIGTERM finishes\n"
    "the messages in flight and exits 75; run again to go on.\n"
    "\n"
    "  --resend-unknown   resend deliveries whose fate is unknown (in\n"
    "                     flight when a sender died): they may arrive twice\n"
    "  --dry-run --outbox DIR\n"
    "                     write every message into a Maildir instead, and\n"
    "                     change no delivery\n";

static void
on_signal(int sig)
{
	(void)sig;
	send_stop();
}

struct send_args {
	int		 due;
	int		 dry_run;
	struct send_opts opts;
};

static int
parse(struct cli *cli, int argc, char **argv, struct send_args *a)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "due", no_argument, NULL, 'D' },
	    { "now", no_argument, NULL, 'N' },
	    { "resend-unknown", no_argument, NULL, 'R' },
	    { "dry-run", no_argument, NULL, 'n' },
	    { "outbox", required_argument, NULL, 'o' }, { 0, 0, 0, 0 } };
	char *end;
	int ch;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 'D')
			a->due = 1;
		else if (ch == 'N')
			a->opts.now = 1;
		else if (ch == 'R')
			a->opts.resend_unknown = 1;
		else if (ch == 'n')
			a->dry_run = 1;
		else if (ch == 'o')
			a->opts.outbox = optarg;
		else
			return cli_usage_error("unknown option");
	}
	if (optind < argc) {
		errno = 0;
		a->opts.only = strtoll(argv[optind], &end, 10);
		if (errno != 0 || *end != '\0' || a->opts.only < 1 ||
		    optind + 1 != argc)
			return cli_usage_error("send takes --due or "
			    "one BLAST_ID");
	}
	if (a->due == (a->opts.only > 0))
		return cli_usage_error("send takes --due or one BLAST_ID");
	if (a->opts.now && a->opts.only == 0)
		return cli_usage_error("--now takes one BLAST_ID");
	if (a->dry_run != (a->opts.outbox != NULL))
		return cli_usage_error("--dry-run and --outbox DIR "
		    "go together");
	return 0;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char **argv)
{
	struct send_args a;
	struct cli cli;
	int code, r;

	/* Keep freed memory rather than give it back and ask again: libcurl
	 * and SQLite free and take the same blocks for every message, and
	 * each trim and growth of the heap is a system call. */
	(void)mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	(void)mallopt(M_TOP_PAD, 4 * 1024 * 1024);
	memset(&a, 0, sizeof(a));
	cli_init(&cli, "tocsin-send", usage);
	code = parse(&cli, argc, argv, &a);
	if (code != 0)
		return code;
	if (cli_open(&cli, DB_EXISTING) == 0) {
		catch_signals();
		r = send_run(&cli, &a.opts);
		if (r == 1)
			printf("another tocsin send is running on '%s': "
			    "nothing to do\n", cli.db.path);
	}
	code = fail_exit_code();
	cli_release(&cli);
	if (fflush(stdout) != 0 && code == 0)
		code = EX_IOERR;
	return code;
}
