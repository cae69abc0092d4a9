/*
 * smtpconn: one SMTP connection in the clear to a relay on this machine
 * (a loopback address, starttls = no, no login), carrying one message
 * at a time with PIPELINING (RFC 2920) when the relay offers it: MAIL,
 * RCPT and DATA go in one write and the message costs two round trips,
 * where libcurl, which waits for the reply to each command, takes four.
 * TLS and AUTH stay with libcurl (smtp.c). Non-blocking: the pool polls
 * the descriptor and hands what it saw to smtpconn_run.
 */
#ifndef TOCSIN_SMTPCONN_H
#define TOCSIN_SMTPCONN_H

#include <stddef.h>
#include <time.h>

#include "smtp.h"

struct smtpconn;

/* A session to host:port saying EHLO helo; it connects when first used. */
struct smtpconn *smtpconn_new(const char *host, const char *port,
		    const char *helo);
/* Says QUIT if it can without waiting, and closes. */
void	smtpconn_free(struct smtpconn *c);

/*
 * Starts `len` bytes of `msg` (borrowed until its result) from `from`
 * to `to`; with `held`, as smtp_send says, all but the end of data.
 */
void	smtpconn_send(struct smtpconn *c, const char *from, const char *to,
	    const char *msg, size_t len, int held, time_t now);
void	smtpconn_release(struct smtpconn *c);

/* The descriptor to poll and the events it waits for; -1 if none. */
int	smtpconn_fd(const struct smtpconn *c, short *events);
/*
 * Reads and writes what `revents` allows and checks the timeouts: 1
 * when the message ended (*r filled but for r->user), 0 if not yet.
 */
int	smtpconn_run(struct smtpconn *c, short revents, time_t now,
	    struct smtp_result *r);
/* What the last EHLO said of SMTPUTF8. */
enum smtp_utf8 smtpconn_utf8(const struct smtpconn *c);

#endif
