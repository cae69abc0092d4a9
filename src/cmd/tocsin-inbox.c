/*
 * tocsin-inbox: reads new mail in the IMAP mailbox and acts on bounces,
 * complaints, and unsubscribe and sign replies; keeps human replies for
 * a person (the engine is src/lib/inbox.c).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fsx.h"
#include "inbox.h"
#include "log.h"
#include "runs.h"

#define POLL_SEC	60

static const char usage[] =
    "usage: tocsin inbox [--once]\n"
    "\n"
    "Reads the new messages of the [imap] mailbox by UID, in batches, and\n"
    "acts on each: a hard bounce marks the subscriber bounced on every\n"
    "list; soft bounces count ([inbox] soft_bounces over soft_bounce_days);\n"
    "a complaint unsubscribes everywhere and suppresses the address; a reply\n"
    "that asks to unsubscribe or signs acts on the blast it answers (with a\n"
    "token that verifies); other replies are kept for tocsin replies.\n"
    "Each change commits before its message is moved to the processed,\n"
    "replies or unknown folder. Mail is never deleted, and running it again\n"
    "changes nothing. Exits 75 when the server is down: run again later.\n"
    "\n"
    "  --once   read the mailbox once and exit (for cron); without it, read\n"
    "           it every minute until SIGTERM\n";

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* The run's summary, two log lines (so they have their time in a cron
 * log); nothing at all when it found nothing to do, so that a run
 * every minute writes no line an idle day. */
static void
print_stats(const struct inbox_stats *st)
{
	if (st->seen == 0 && st->again == 0 && st->moved == 0)
		return;
	log_info("%zu messages: %zu bounces, %zu complaints, %zu "
	    "auto-replies, %zu unsubscribe, %zu sign, %zu replies, %zu "
	    "unknown; %zu seen before", st->seen,
	    st->kinds[CLASSIFY_BOUNCE], st->kinds[CLASSIFY_COMPLAINT],
	    st->kinds[CLASSIFY_AUTOREPLY], st->kinds[CLASSIFY_UNSUBSCRIBE],
	    st->kinds[CLASSIFY_SIGN], st->kinds[CLASSIFY_REPLY],
	    st->kinds[CLASSIFY_UNKNOWN], st->again);
	log_info("%zu bounced, %zu soft bounces, %zu complained, %zu "
	    "unsubscribed, %zu new signatures, %zu unattributed; %zu moved",
	    st->bounced, st->soft, st->complained, st->unsubscribed,
	    st->signed_up, st->unattributed, st->moved);
}

/* One pass: connect, read, log out. 0 or -1 (logged and classed). */
static int
once(struct cli *cli, const struct token_key *key)
{
	struct inbox_stats st;
	struct imap *im = imap_open(&cli->conf);
	int r;

	char summary[160];

	if (im == NULL) {
		(void)runs_record(&cli->db, "inbox", 0, NULL, time(NULL));
		return -1;
	}
	r = inbox_run(&cli->db, &cli->conf, key, im, &st);
	imap_close(im);
	print_stats(&st);
	snprintf(summary, sizeof(summary), "%zu messages: %zu bounced, %zu "
	    "complained, %zu unsubscribed, %zu signed, %zu replies", st.seen,
	    st.bounced, st.complained, st.unsubscribed, st.signed_up,
	    st.kinds[CLASSIFY_REPLY]);
	(void)runs_record(&cli->db, "inbox", r == 0, st.seen > 0 ? summary :
	    NULL, time(NULL));
	return r;
}

static int
run(struct cli *cli, int loop)
{
	struct token_key key;
	char *secret;
	int lock, r;

	if (cli->conf.secret_file == NULL) {
		log_warnx("the config has no [sender] secret_file: tokens "
		    "cannot be checked");
		fail_set(FAIL_CONFIG);
		return -1;
	}
	secret = conf_path(&cli->conf, cli->conf.secret_file);
	r = token_key_load(&key, secret);
	free(secret);
	if (r == -1)
		return -1;
	/* One reader per database, locked on the file as tocsin send is. */
	lock = fsx_lock_job(cli->db.path, FSX_JOB_INBOX);
	if (lock == -1) {
		log_warn("cannot lock '%s'", cli->db.path);
		fail_set(FAIL_TEMP);
	}
	if (lock == -2)
		printf("another tocsin inbox is running on '%s': nothing to "
		    "do\n", cli->db.path);
	if (lock < 0) {
		token_key_release(&key);
		return lock == -2 ? 0 : -1;
	}
	do {
		r = once(cli, &key);
		if (r == -1 || !loop)
			break;
		for (int i = 0; i < POLL_SEC && !stopping; i++)
			sleep(1);
	} while (!stopping);
	close(lock);
	token_key_release(&key);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "once", no_argument, NULL, '1' }, { 0, 0, 0, 0 } };
	struct sigaction sa;
	struct cli cli;
	int ch, loop = 1, code;

	cli_init(&cli, "tocsin-inbox", usage);
	while ((ch = cli_next_option(&cli, argc, argv, CLI_SHORTOPTS,
	    opts)) != -1) {
		if (ch != '1')
			return cli_usage_error("unknown option");
		loop = 0;
	}
	if (optind != argc)
		return cli_usage_error("inbox takes no arguments");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (cli_open(&cli, DB_EXISTING) == 0)
		(void)run(&cli, loop);
	code = fail_exit_code();
	cli_release(&cli);
	if (fflush(stdout) != 0 && code == 0)
		code = EX_IOERR;
	return code;
}
