/*
 * smtp: parallel SMTP sessions over libcurl's multi interface. Each
 * session is one easy handle reused for many messages (libcurl keeps
 * its connection), carrying one message to one recipient at a time;
 * or, to a relay on loopback in the clear without a login, one of our
 * own pipelined connections (smtpconn.h), polled beside libcurl's.
 * Every message ends with an outcome, its reply code and the server's
 * last reply line. The pool knows nothing about blasts.
 */
#ifndef TOCSIN_SMTP_H
#define TOCSIN_SMTP_H

#include <stddef.h>

#include "conf.h"
#include "refusal.h"

#define SMTP_SESSIONS_MAX	64
#define SMTP_REPLY_MAX		512
#define SMTP_CONNECT_TIMEOUT_SEC 30
#define SMTP_STALL_TIMEOUT_SEC	60	/* no progress for this long */
#define SMTP_MESSAGE_TIMEOUT_SEC 300

enum smtp_outcome {
	SMTP_ACCEPTED,		/* 2xx after the data */
	SMTP_TEMPORARY,		/* 4xx, or dropped before the data ended */
	SMTP_PERMANENT,		/* 5xx */
	SMTP_UNKNOWN,		/* dropped after all the data was sent */
	SMTP_UNAVAILABLE,	/* no connection or login: try the run later */
};

struct smtp_result {
	void			*user;
	enum smtp_outcome	 outcome;
	long			 code;
	enum smtp_command	 at;	/* the command the refusal answered */
	char			 reply[SMTP_REPLY_MAX];	/* escaped */
};

struct smtp_pool;

/* Whether a session's relay offered SMTPUTF8 (RFC 6531) in its EHLO. */
enum smtp_utf8 {
	SMTP_UTF8_UNKNOWN,	/* no EHLO read on it yet */
	SMTP_UTF8_NOT_OFFERED,
	SMTP_UTF8_OFFERED,
};

/*
 * Sessions to the relays of [smtp] url (one, or several separated by
 * spaces or commas, sessions spread over them), as many as [smtp]
 * sessions says. The password
 * comes from [smtp] password_file or $TOCSIN_SMTP_PASSWORD. NULL after
 * logging a config failure (a plain connection to a host that is not a
 * loopback address without starttls = no, a bad URL, no password).
 */
struct smtp_pool *smtp_pool_new(const struct conf *c, const char *helo);
void	smtp_pool_free(struct smtp_pool *p);

size_t	smtp_pool_size(const struct smtp_pool *p);
/*
 * The next relay of an [smtp] url list after *cursor (advanced): its
 * name, the URL without its path (as deliveries.relay records it).
 * 1, 0 when there is no more, -1 if it is too long (logged).
 */
int	smtp_next_relay(const char **cursor, char *name, size_t namesize);
/* Whether the URL's host is 127.0.0.0/8, ::1 or localhost. */
int	smtp_url_is_loopback(const char *url);

/* The relays, and the one session `s` uses (its URL without the path). */
size_t	smtp_pool_relays(const struct smtp_pool *p);
size_t	smtp_session_relay(const struct smtp_pool *p, int s);
const char *smtp_relay_name(const struct smtp_pool *p, size_t relay);
size_t	smtp_pool_busy(const struct smtp_pool *p);
/*
 * What the session's last EHLO said of SMTPUTF8. With it offered,
 * libcurl asks for SMTPUTF8 in MAIL FROM when a recipient's address is
 * not ASCII; without it, such an address must not be sent.
 */
enum smtp_utf8 smtp_session_utf8(const struct smtp_pool *p, int s);

/*
 * Starts sending `len` bytes of `msg` (borrowed until its result comes)
 * from `from` to `to` on session `s`. 0 or -1. With `held`, the
 * envelope and every byte of the message go, but not the end of data
 * (the "." line, RFC 5321 4.1.1.4) that makes the relay take it:
 * until smtp_release, the relay has nothing it may deliver, and if the
 * session drops meanwhile the outcome is SMTP_TEMPORARY.
 */
int	smtp_send(struct smtp_pool *p, int s, const char *from, const char *to,
	    const char *msg, size_t len, int held, void *user);
/* Lets a held message's end of data go, if its session still runs. */
void	smtp_release(struct smtp_pool *p, int s);

/*
 * What a refusal (a reply that is not the one its command wanted) makes
 * of the message, by its code: 530 and 535 (authentication) leave the
 * relay for later, another 5xx fails the message, anything else (a 4xx,
 * or a code no such command should have had) defers it.
 */
enum smtp_outcome smtp_refusal_outcome(long code);

/* Makes a smtp_poll in progress return at once; from any thread. */
void	smtp_pool_wakeup(void *pool);
/*
 * Waits up to `timeout_ms` for progress, then fills `results` with the
 * messages that finished (at most `max`). Returns how many, or -1.
 */
int	smtp_poll(struct smtp_pool *p, int timeout_ms,
	    struct smtp_result *results, int max);

#endif
