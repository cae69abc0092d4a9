/*
 * send: sends due blasts (see tocsin-send(1)). One sender per database,
 * under a lock beside it; the database is the queue (see sendq.h); each
 * message is rendered just before it goes over the SMTP pool (smtp.h).
 */
#ifndef TOCSIN_SEND_H
#define TOCSIN_SEND_H

#include <sqlite3.h>

#include "cli.h"

struct send_opts {
	sqlite3_int64	 only;		/* one blast, or 0 for all due */
	int		 resend_unknown;
	int		 now;		/* `only` before it is due */
	const char	*outbox;	/* a dry run into this Maildir */
};

/*
 * Sends (or, with an outbox, writes) the due blasts, with the config
 * and database `cli` opened. 0 when done, 1 if another sender holds the
 * lock, -1 with the failure class set (FAIL_TEMP when the relay was
 * unavailable or the run was stopped: everything unsent stays queued).
 */
int	send_run(struct cli *cli, const struct send_opts *o);

/*
 * blast test: the blast's exact message, rendered for its first
 * recipient (or for `as`, a subscriber's address), with "[TEST] " before
 * the subject and tokens that act on nobody, sent to each of `to`
 * through the relay of [smtp] url. No delivery changes. 0 when every one
 * was accepted, -1 (logged and classed) otherwise.
 */
int	send_test(struct cli *cli, sqlite3_int64 blast_id, char *const *to,
	    size_t nto, const char *as);

/* Asks a running send to finish the messages in flight and stop. Safe
 * in a signal handler. */
void	send_stop(void);

#endif
