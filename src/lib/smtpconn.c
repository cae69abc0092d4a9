/* smtpconn: one pipelined SMTP connection in the clear (see smtpconn.h). */
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "smtpconn.h"
#include "xalloc.h"

#define LINE_MAX_LEN	4096	/* the longest reply line we read */
#define EXPECT_MAX	8	/* replies awaited at once */
#define ADDR_CMD_MAX	512	/* "<address>" with room to spare */
/* a message of smtp_send's largest, every line dot-stuffed */
#define OUT_MAX		(64 * 1024 * 1024)

enum conn_state {
	CONN_CLOSED,
	CONN_CONNECTING,	/* connect() under way */
	CONN_OPENING,		/* the greeting, EHLO */
	CONN_READY,
};

struct smtpconn {
	char			*host;
	char			*port;
	char			*helo;
	int			 fd;
	enum conn_state		 state;
	int			 pipelining;	/* the last EHLO offered it */
	enum smtp_utf8		 utf8;
	int			 helo_sent;	/* EHLO refused: HELO */
	/* what the EHLO being read offers */
	int			 offers_pipelining;
	int			 offers_utf8;
	int			 lines;		/* of the reply being read */
	char			 in[LINE_MAX_LEN];
	size_t			 inlen;
	struct buf		 out;
	size_t			 outpos;	/* written of out */
	/* the replies awaited, oldest first (SMTP_AT_OTHER: RSET) */
	enum smtp_command	 expect[EXPECT_MAX];
	size_t			 nexpect;
	char			 reply[SMTP_REPLY_MAX];	/* the last line */

	/* the message */
	int			 busy;
	const char		*msg;
	size_t			 len;
	char			 from[ADDR_CMD_MAX];
	char			 to[ADDR_CMD_MAX];
	int			 held;
	int			 envelope;	/* its MAIL went */
	int			 body_queued;	/* the 354 came */
	int			 end_queued;	/* its end of data is in out */
	int			 end_written;	/* and went */
	int			 replied;	/* a reply of its own came */
	int			 reused;	/* on an older connection */
	int			 retried;
	long			 error_code;	/* the first refusal */
	enum smtp_command	 error_at;
	char			 error[SMTP_REPLY_MAX];
	time_t			 started;
	time_t			 progress;	/* a byte either way */
	int			 finished;
	struct smtp_result	 result;
};

static void	drop(struct smtpconn *, const char *);

struct smtpconn *
smtpconn_new(const char *host, const char *port, const char *helo)
{
	struct smtpconn *c = xcalloc(1, sizeof(*c));

	c->host = xstrdup(host);
	c->port = xstrdup(port);
	c->helo = xstrdup(helo);
	c->fd = -1;
	buf_init(&c->out, OUT_MAX);
	return c;
}

static void
close_connection(struct smtpconn *c)
{
	if (c->fd != -1)
		(void)close(c->fd);
	c->fd = -1;
	c->state = CONN_CLOSED;
	c->nexpect = 0;
	c->inlen = 0;
	c->lines = 0;
	buf_reset(&c->out);
	c->outpos = 0;
}

void
smtpconn_free(struct smtpconn *c)
{
	if (c == NULL)
		return;
	/* A goodbye if nothing is under way; the relay minds no other. */
	if (c->state == CONN_READY && c->nexpect == 0 &&
	    c->outpos == c->out.len)
		(void)send(c->fd, "QUIT\r\n", 6, MSG_NOSIGNAL | MSG_DONTWAIT);
	close_connection(c);
	buf_release(&c->out);
	free(c->host);
	free(c->port);
	free(c->helo);
	free(c);
}

static void
finish(struct smtpconn *c, enum smtp_outcome outcome, long code,
    enum smtp_command at, const char *reply)
{
	if (!c->busy)
		return;
	c->busy = 0;
	c->msg = NULL;
	c->finished = 1;
	c->result.outcome = outcome;
	c->result.code = code;
	c->result.at = at;
	snprintf(c->result.reply, sizeof(c->result.reply), "%s", reply);
}

static void
expect(struct smtpconn *c, enum smtp_command at)
{
	if (c->nexpect == EXPECT_MAX)
		BUG("too many SMTP replies awaited");
	c->expect[c->nexpect++] = at;
}

/* One command line, and the reply it will have. */
static void
command(struct smtpconn *c, enum smtp_command at, const char *verb,
    const char *arg)
{
	/* a line break would end the command and start another */
	if (strpbrk(arg, "\r\n") != NULL)
		BUG("a line break in an SMTP command");
	if (buf_printf(&c->out, "%s%s\r\n", verb, arg) == -1)
		BUG("an SMTP command past the connection's buffer");
	expect(c, at);
}

/* The first connection that takes; -1 with the reason in c->reply. */
static int
open_connection(struct smtpconn *c)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1, e, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	e = getaddrinfo(c->host, c->port, &hints, &res);
	if (e != 0) {
		snprintf(c->reply, sizeof(c->reply), "cannot resolve %s: %s",
		    c->host, gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1)
			continue;
		/* each command is a write the relay waits for */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS)
			break;
		e = errno;
		(void)close(fd);
		fd = -1;
		errno = e;
	}
	if (fd == -1)
		snprintf(c->reply, sizeof(c->reply), "cannot connect to "
		    "%s:%s: %s", c->host, c->port, strerror(errno));
	freeaddrinfo(res);
	if (fd == -1)
		return -1;
	c->fd = fd;
	c->state = CONN_CONNECTING;
	c->helo_sent = 0;
	c->reply[0] = '\0';
	expect(c, SMTP_AT_CONNECT);
	return 0;
}

/* MAIL, and with PIPELINING RCPT and DATA behind it in the same write. */
static void
begin_envelope(struct smtpconn *c)
{
	char mail[ADDR_CMD_MAX + 16];
	const char *utf8 = "";
	const char *p;

	/* As libcurl does: SMTPUTF8 when offered and an address needs it. */
	for (p = c->from; c->utf8 == SMTP_UTF8_OFFERED && *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			utf8 = " SMTPUTF8";
	for (p = c->to; c->utf8 == SMTP_UTF8_OFFERED && *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			utf8 = " SMTPUTF8";
	c->envelope = 1;
	snprintf(mail, sizeof(mail), "%s%s", c->from, utf8);
	command(c, SMTP_AT_MAIL, "MAIL FROM:", mail);
	if (c->pipelining) {
		command(c, SMTP_AT_RCPT, "RCPT TO:", c->to);
		command(c, SMTP_AT_DATA, "DATA", "");
	}
}

/*
 * The message dot-stuffed (RFC 5321 4.5.2), and its end of data unless
 * it is held. A message that does not end its last line gets one.
 */
static void
queue_body(struct smtpconn *c)
{
	const char *p = c->msg, *end = c->msg + c->len, *dot;

	c->body_queued = 1;
	/* Whole runs up to the next line that starts with a dot (in a
	 * quoted-printable body, none: mime writes a leading dot as =2E). */
	while (p < end) {
		if (*p == '.')
			(void)buf_putc(&c->out, '.');
		dot = memmem(p + 1, (size_t)(end - p - 1), "\n.", 2);
		dot = dot == NULL ? end : dot + 1;
		(void)buf_append(&c->out, p, (size_t)(dot - p));
		p = dot;
	}
	if (c->len > 0 && c->msg[c->len - 1] != '\n')
		(void)buf_puts(&c->out, "\r\n");
	if (!c->held) {
		(void)buf_puts(&c->out, ".\r\n");
		c->end_queued = 1;
		expect(c, SMTP_AT_BODY);
	}
	if (c->out.failed)
		drop(c, "the message is too large to send");
}

static void
note_refusal(struct smtpconn *c, enum smtp_command at, long code)
{
	if (c->error_code != 0)
		return;
	c->error_code = code;
	c->error_at = at;
	memcpy(c->error, c->reply, sizeof(c->error));
}

/* The envelope was refused: the message ends, the connection resets. */
static void
end_refused(struct smtpconn *c)
{
	finish(c, smtp_refusal_outcome(c->error_code), c->error_code,
	    c->error_at, c->error);
	command(c, SMTP_AT_OTHER, "RSET", "");
}

/* The relay will not talk to us: as if it could not be reached. */
static void
refuse_session(struct smtpconn *c, long code)
{
	finish(c, SMTP_UNAVAILABLE, code, SMTP_AT_CONNECT, c->reply);
	close_connection(c);
}

static void
session_reply(struct smtpconn *c, enum smtp_command at, long code)
{
	if (at == SMTP_AT_CONNECT && code / 100 == 2) {
		c->offers_pipelining = c->offers_utf8 = 0;
		command(c, SMTP_AT_EHLO, "EHLO ", c->helo);
	} else if (at == SMTP_AT_EHLO && code / 100 == 2) {
		c->state = CONN_READY;
		c->pipelining = !c->helo_sent && c->offers_pipelining;
		c->utf8 = !c->helo_sent && c->offers_utf8 ?
		    SMTP_UTF8_OFFERED : SMTP_UTF8_NOT_OFFERED;
		if (c->busy && !c->envelope)
			begin_envelope(c);
	} else if (at == SMTP_AT_EHLO && code / 100 == 5 && !c->helo_sent) {
		c->helo_sent = 1;
		command(c, SMTP_AT_EHLO, "HELO ", c->helo);
	} else
		refuse_session(c, code);
}

/* What a complete reply to `at` means; the text is in c->reply. */
static void
on_reply(struct smtpconn *c, enum smtp_command at, long code)
{
	int ok = code / 100 == 2;

	if (at != SMTP_AT_OTHER && at != SMTP_AT_CONNECT &&
	    at != SMTP_AT_EHLO)
		c->replied = 1;
	switch (at) {
	case SMTP_AT_CONNECT:
	case SMTP_AT_EHLO:
		session_reply(c, at, code);
		break;
	case SMTP_AT_MAIL:
	case SMTP_AT_RCPT:
		if (!ok)
			note_refusal(c, at, code);
		if (c->pipelining)
			break;	/* what comes next is already on its way */
		if (!ok)
			end_refused(c);
		else if (at == SMTP_AT_MAIL)
			command(c, SMTP_AT_RCPT, "RCPT TO:", c->to);
		else
			command(c, SMTP_AT_DATA, "DATA", "");
		break;
	case SMTP_AT_DATA:
		if (code == 354 && c->error_code == 0)
			queue_body(c);
		else if (code == 354) {
			/* data after a refused envelope: leave it unended */
			finish(c, smtp_refusal_outcome(c->error_code),
			    c->error_code, c->error_at, c->error);
			close_connection(c);
		} else {
			note_refusal(c, at, code);
			end_refused(c);
		}
		break;
	case SMTP_AT_BODY:
		/* the end of data went: anything but a verdict is unknown */
		finish(c, ok ? SMTP_ACCEPTED : code / 100 == 4 ||
		    code / 100 == 5 ? smtp_refusal_outcome(code) :
		    SMTP_UNKNOWN, code, at, c->reply);
		break;
	default:	/* RSET */
		if (!ok)
			close_connection(c);
		else if (c->busy && !c->envelope && c->nexpect == 0)
			begin_envelope(c);
		break;
	}
}

/* Keywords of the EHLO reply's lines after its first (RFC 5321 4.1.1.1). */
static void
ehlo_keyword(struct smtpconn *c, const char *kw, size_t len)
{
	if (len == 10 && strncasecmp(kw, "PIPELINING", 10) == 0)
		c->offers_pipelining = 1;
	if (len == 8 && strncasecmp(kw, "SMTPUTF8", 8) == 0)
		c->offers_utf8 = 1;
}

static enum smtp_command
next_expected(struct smtpconn *c)
{
	enum smtp_command at = c->expect[0];

	c->nexpect--;
	memmove(c->expect, c->expect + 1, c->nexpect * sizeof(c->expect[0]));
	return at;
}

/* One line of a reply, NUL-terminated: 0, or -1 if it is not SMTP. */
static int
reply_line(struct smtpconn *c, const char *line, size_t len)
{
	long code;

	if (len < 3 || line[0] < '2' || line[0] > '5' ||
	    line[1] < '0' || line[1] > '9' || line[2] < '0' ||
	    line[2] > '9' || (len > 3 && line[3] != ' ' && line[3] != '-'))
		return -1;
	if (c->nexpect == 0)
		return -1;	/* nothing was asked */
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	log_escape(c->reply, sizeof(c->reply), line, len);
	if (c->expect[0] == SMTP_AT_EHLO && c->lines > 0 && len > 4)
		ehlo_keyword(c, line + 4, strcspn(line + 4, " "));
	c->lines++;
	if (len > 3 && line[3] == '-')
		return 0;	/* more lines of the same reply */
	c->lines = 0;
	on_reply(c, next_expected(c), code);
	return 0;
}

/* The complete lines read: 0, or -1 if they are not SMTP. */
static int
reply_lines(struct smtpconn *c)
{
	char *nl;
	size_t len, used;

	while (c->fd != -1 &&
	    (nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		used = (size_t)(nl - c->in) + 1;
		len = used - 1;
		if (len > 0 && c->in[len - 1] == '\r')
			len--;
		c->in[len] = '\0';
		if (reply_line(c, c->in, len) == -1)
			return -1;
		if (c->fd == -1)
			break;	/* the reply closed the connection */
		c->inlen -= used;
		memmove(c->in, c->in + used, c->inlen);
	}
	if (c->fd != -1 && c->inlen == sizeof(c->in))
		return -1;	/* a line longer than any reply's */
	return 0;
}

static void
read_replies(struct smtpconn *c, time_t now)
{
	char why[SMTP_REPLY_MAX];
	size_t room;
	ssize_t n;

	do {
		room = sizeof(c->in) - c->inlen;
		n = recv(c->fd, c->in + c->inlen, room, 0);
	} while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n == -1) {
		snprintf(why, sizeof(why), "cannot read from the relay: %s",
		    strerror(errno));
		drop(c, why);
		return;
	}
	if (n == 0) {
		drop(c, "the relay closed the connection");
		return;
	}
	c->progress = now;
	c->inlen += (size_t)n;
	if (reply_lines(c) == -1)
		drop(c, "the relay's reply is not SMTP");
}

static void
flush(struct smtpconn *c, time_t now)
{
	char why[SMTP_REPLY_MAX];
	ssize_t n;

	while (c->fd != -1 && c->state != CONN_CONNECTING &&
	    c->outpos < c->out.len) {
		n = send(c->fd, c->out.data + c->outpos,
		    c->out.len - c->outpos, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n == -1) {
			snprintf(why, sizeof(why), "cannot write to the "
			    "relay: %s", strerror(errno));
			drop(c, why);
			return;
		}
		c->outpos += (size_t)n;
		c->progress = now;
	}
	if (c->fd == -1 || c->outpos < c->out.len)
		return;
	if (c->end_queued)
		c->end_written = 1;
	buf_reset(&c->out);
	c->outpos = 0;
}

/*
 * The connection is gone. A message whose end of data went may have
 * been delivered: unknown, never deferred. One that had not reached a
 * session is unavailable, as libcurl's "could not connect" is; on a
 * connection that sat idle, which the relay may have closed meanwhile,
 * the message gets one new connection first.
 */
static void
drop(struct smtpconn *c, const char *why)
{
	enum smtp_command at = c->nexpect > 0 ? c->expect[0] :
	    c->envelope ? SMTP_AT_BODY : SMTP_AT_CONNECT;
	int opened = c->state == CONN_READY;

	close_connection(c);
	if (!c->busy)
		return;
	if (c->reused && !c->replied && !c->end_queued && !c->retried) {
		c->retried = 1;
		c->reused = 0;
		c->envelope = 0;
		if (open_connection(c) == 0)
			return;
		why = c->reply;
		opened = 0;
	}
	if (c->error_code != 0)	/* a refusal, then the relay hung up */
		finish(c, smtp_refusal_outcome(c->error_code), c->error_code,
		    c->error_at, c->error);
	else
		finish(c, !opened ? SMTP_UNAVAILABLE : c->end_written ?
		    SMTP_UNKNOWN : SMTP_TEMPORARY, 0, at, why);
}

void
smtpconn_send(struct smtpconn *c, const char *from, const char *to,
    const char *msg, size_t len, int held, time_t now)
{
	int n, m;

	if (c->busy)
		BUG("a message for a busy connection");
	n = snprintf(c->from, sizeof(c->from), "<%s>", from);
	m = snprintf(c->to, sizeof(c->to), "<%s>", to);
	if (n < 0 || (size_t)n >= sizeof(c->from) || m < 0 ||
	    (size_t)m >= sizeof(c->to))
		BUG("an address longer than any address");
	c->msg = msg;
	c->len = len;
	c->held = held;
	c->busy = 1;
	c->envelope = c->body_queued = 0;
	c->end_queued = c->end_written = 0;
	c->replied = c->retried = 0;
	c->reused = c->state == CONN_READY;
	c->error_code = 0;
	c->error[0] = '\0';
	c->started = c->progress = now;
	c->finished = 0;
	if (strpbrk(c->from, "\r\n") != NULL ||
	    strpbrk(c->to, "\r\n") != NULL) {
		finish(c, SMTP_PERMANENT, 0, SMTP_AT_OTHER,
		    "not sent: a line break in an address");
		return;
	}
	if (c->state == CONN_CLOSED && open_connection(c) == -1) {
		finish(c, SMTP_UNAVAILABLE, 0, SMTP_AT_CONNECT, c->reply);
		return;
	}
	if (c->state == CONN_READY && c->nexpect == 0)
		begin_envelope(c);
	flush(c, now);
}

void
smtpconn_release(struct smtpconn *c)
{
	if (!c->busy || !c->held)
		return;
	c->held = 0;
	/* Before the 354 the body is not queued: it goes with its end. */
	if (!c->body_queued)
		return;
	if (buf_puts(&c->out, ".\r\n") == -1)
		BUG("an end of data past the connection's buffer");
	c->end_queued = 1;
	expect(c, SMTP_AT_BODY);
	flush(c, time(NULL));
}

int
smtpconn_fd(const struct smtpconn *c, short *events)
{
	if (c->fd == -1)
		return -1;
	*events = POLLIN;
	if (c->state == CONN_CONNECTING || c->outpos < c->out.len)
		*events |= POLLOUT;
	return c->fd;
}

static void
connected(struct smtpconn *c, time_t now)
{
	char why[SMTP_REPLY_MAX];
	socklen_t len = sizeof(int);
	int e = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	if (e != 0) {
		snprintf(why, sizeof(why), "cannot connect to %s:%s: %s",
		    c->host, c->port, strerror(e));
		drop(c, why);
		return;
	}
	c->state = CONN_OPENING;
	c->progress = now;
}

/* Only while the relay owes us something: a held end waits on us. */
static void
check_timeouts(struct smtpconn *c, time_t now)
{
	char why[SMTP_REPLY_MAX];
	time_t limit = c->state == CONN_READY ? SMTP_STALL_TIMEOUT_SEC :
	    SMTP_CONNECT_TIMEOUT_SEC;

	if (c->fd == -1 || !c->busy)
		return;
	if ((c->nexpect > 0 || c->outpos < c->out.len) &&
	    now - c->progress >= limit) {
		snprintf(why, sizeof(why), "the relay %s:%s said nothing for "
		    "%lld s", c->host, c->port, (long long)limit);
		drop(c, why);
	} else if (now - c->started >= SMTP_MESSAGE_TIMEOUT_SEC) {
		snprintf(why, sizeof(why), "the message took more than %d s",
		    SMTP_MESSAGE_TIMEOUT_SEC);
		drop(c, why);
	}
}

int
smtpconn_run(struct smtpconn *c, short revents, time_t now,
    struct smtp_result *r)
{
	if (c->fd != -1 && c->state == CONN_CONNECTING &&
	    (revents & (POLLOUT | POLLERR | POLLHUP)))
		connected(c, now);
	if (c->fd != -1 && c->state != CONN_CONNECTING &&
	    (revents & (POLLIN | POLLERR | POLLHUP)))
		read_replies(c, now);
	if (c->fd != -1)
		flush(c, now);
	check_timeouts(c, now);
	if (!c->finished)
		return 0;
	c->finished = 0;
	*r = c->result;
	return 1;
}

enum smtp_utf8
smtpconn_utf8(const struct smtpconn *c)
{
	return c->utf8;
}
