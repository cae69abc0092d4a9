/* smtp: parallel SMTP sessions, libcurl's or smtpconn's (see smtp.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "fsx.h"
#include "log.h"
#include "smtp.h"
#include "smtpconn.h"
#include "xalloc.h"

#define PASSWORD_MAX 1024

struct smtp_session {
	CURL			*easy;
	struct smtpconn		*conn;	/* instead of easy: see native() */
	struct curl_slist	*rcpt;
	const char		*data;
	size_t			 len;
	size_t			 pos;
	void			*user;
	int			 busy;
	int			 held;		/* the end of data waits */
	int			 paused;	/* libcurl waits for it */
	enum smtp_command	 at;		/* the last command sent */
	enum smtp_command	 error_at;	/* what the refusal answered */
	/* What the last EHLO offered: SMTPUTF8 (RFC 6531) or not. */
	enum smtp_utf8		 utf8;
	int			 utf8_offered;	/* in the EHLO being read */
	char			 from[300];
	char			 reply[SMTP_REPLY_MAX];	/* the last line */
	char			 error[SMTP_REPLY_MAX];	/* the last 4xx/5xx */
};

struct smtp_pool {
	CURLM			*multi;
	struct smtp_session	*s;
	size_t			 n;
	size_t			 busy;
	/* relays; session i uses i % n */
	char			**urls;
	char			**names;	/* the same without the path */
	size_t			 nurls;
	long			 use_ssl;
	char			*user;
	char			 password[PASSWORD_MAX];
};

static size_t
read_body(char *dst, size_t size, size_t nitems, void *arg)
{
	struct smtp_session *s = arg;
	size_t n = size * nitems, end = s->len;

	/* libcurl knows the size and ends the data after its last byte:
	 * a held message keeps that byte back until it is released. */
	if (s->held && end > 0)
		end--;
	if (s->held && s->pos == end) {
		s->paused = 1;
		return CURL_READFUNC_PAUSE;
	}
	if (n > end - s->pos)
		n = end - s->pos;
	memcpy(dst, s->data + s->pos, n);
	s->pos += n;
	return n;
}

/* libcurl hands SMTP server replies to the header callback. */
static size_t
server_line(char *line, size_t size, size_t nitems, void *arg)
{
	struct smtp_session *s = arg;
	size_t n = size * nitems, len = n;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
		len--;
	if (len == 0)
		return n;
	log_escape(s->reply, sizeof(s->reply), line, len);
	if (s->at == SMTP_AT_EHLO && len >= 4 && strncmp(line, "250", 3) == 0) {
		if (len == 12 && strncasecmp(line + 4, "SMTPUTF8", 8) == 0)
			s->utf8_offered = 1;
		/* "250 " ends the reply; "250-" lines go on. */
		if (line[3] == ' ')
			s->utf8 = s->utf8_offered ? SMTP_UTF8_OFFERED :
			    SMTP_UTF8_NOT_OFFERED;
	}
	/* After "354 go ahead" the next reply is the message's verdict. */
	if (s->at == SMTP_AT_DATA && strncmp(line, "354", 3) == 0)
		s->at = SMTP_AT_BODY;
	/* libcurl says QUIT after a refusal: keep the refusal. */
	if (line[0] == '4' || line[0] == '5') {
		log_escape(s->error, sizeof(s->error), line, len);
		s->error_at = s->at;
	}
	return n;
}

/*
 * libcurl shows the commands it writes only to its debug callback: the
 * way to know which command a refusal answered (MAIL, RCPT or the data),
 * which decides whose problem it is (refusal.h).
 */
static int
client_line(CURL *e, curl_infotype type, char *data, size_t len, void *arg)
{
	struct smtp_session *s = arg;
	enum smtp_command at;

	(void)e;
	if (type != CURLINFO_HEADER_OUT)
		return 0;
	at = smtp_command_of(data, len);
	if (at != SMTP_AT_OTHER)
		s->at = at;
	if (at == SMTP_AT_EHLO)
		s->utf8_offered = 0;
	return 0;
}

void
smtp_pool_wakeup(void *pool)
{
	struct smtp_pool *p = pool;

	(void)curl_multi_wakeup(p->multi);
}

enum smtp_utf8
smtp_session_utf8(const struct smtp_pool *p, int s)
{
	if (p->s[s].conn != NULL)
		return smtpconn_utf8(p->s[s].conn);
	return p->s[s].utf8;
}

/*
 * The host of "scheme://host[:port][/path]" ("[v6]" without its
 * brackets) into host, and where its port's digits start (NULL: none).
 * 0, or -1 if there is no host or it is too long.
 */
static int
url_host(const char *url, char *host, size_t hostsize, const char **port)
{
	const char *h = strstr(url, "://"), *after;
	size_t len;

	if (h == NULL)
		return -1;
	h += 3;
	if (*h == '[') {
		h++;
		len = strcspn(h, "]/");
		if (h[len] != ']')
			return -1;
		after = h + len + 1;
	} else {
		len = strcspn(h, ":/");
		after = h + len;
	}
	if (len == 0 || len >= hostsize)
		return -1;
	memcpy(host, h, len);
	host[len] = '\0';
	*port = *after == ':' ? after + 1 : NULL;
	return 0;
}

int
smtp_url_is_loopback(const char *url)
{
	char name[256];
	const char *port;
	struct in_addr a4;

	if (url_host(url, name, sizeof(name), &port) == -1)
		return 0;
	if (strcmp(name, "localhost") == 0 || strcmp(name, "::1") == 0)
		return 1;
	return inet_pton(AF_INET, name, &a4) == 1 &&
	    (ntohl(a4.s_addr) >> 24) == 127;
}

/* Checks one relay URL against the starttls setting. */
static int
check_url(const struct conf *c, const char *url)
{
	if (strncmp(url, "smtps://", 8) == 0)
		return 0;
	if (strncmp(url, "smtp://", 7) != 0) {
		log_warnx("[smtp] url '%.100s' must start smtp:// or smtps://",
		    url);
		return -1;
	}
	if (c->smtp_starttls == CONF_TLS_NO && !smtp_url_is_loopback(url)) {
		log_warnx("[smtp] starttls = no sends in the clear: refused "
		    "for '%.100s', which is not a loopback address", url);
		return -1;
	}
	return 0;
}

int
smtp_next_relay(const char **cursor, char *name, size_t namesize)
{
	const char *u = *cursor, *host;
	size_t len;

	u += strspn(u, " ,\t");
	len = strcspn(u, " ,\t");
	*cursor = u + len;
	if (len == 0)
		return 0;
	if (len >= namesize) {
		log_warnx("[smtp] url: a relay's URL is too long");
		return -1;
	}
	memcpy(name, u, len);
	name[len] = '\0';
	/* the name is the URL without its path */
	host = strstr(name, "://");
	if (host != NULL)
		name[host + 3 - name + strcspn(host + 3, "/")] = '\0';
	return 1;
}

/*
 * [smtp] url names one relay or several, separated by spaces or commas;
 * each becomes "URL/helo" (the path of an SMTP URL is its EHLO name).
 */
static int
relays(struct smtp_pool *p, const struct conf *c, const char *helo)
{
	const char *u = c->smtp_url;
	char one[1024], url[1100];
	int r;

	p->use_ssl = c->smtp_starttls == CONF_TLS_REQUIRED ? CURLUSESSL_ALL :
	    c->smtp_starttls == CONF_TLS_OPTIONAL ? CURLUSESSL_TRY :
	    CURLUSESSL_NONE;
	while ((r = smtp_next_relay(&u, one, sizeof(one))) == 1) {
		if (check_url(c, one) == -1)
			return -1;
		snprintf(url, sizeof(url), "%s/%s", one, helo);
		p->urls = xreallocarray(p->urls, p->nurls + 1, sizeof(char *));
		p->names = xreallocarray(p->names, p->nurls + 1,
		    sizeof(char *));
		p->names[p->nurls] = xstrdup(one);
		p->urls[p->nurls++] = xstrdup(url);
	}
	if (r == -1)
		return -1;
	if (p->nurls == 0) {
		log_warnx("[smtp] url names no relay");
		return -1;
	}
	return 0;
}

static int
password(struct smtp_pool *p, const struct conf *c)
{
	if (c->smtp_user == NULL)
		return 0;
	return conf_password(c, "smtp", c->smtp_password_file,
	    "TOCSIN_SMTP_PASSWORD", p->password, sizeof(p->password));
}

/*
 * A relay on this machine in the clear, without a login, gets our own
 * connection (smtpconn.h): PIPELINING halves its round trips. TLS and
 * AUTH are libcurl's.
 */
static int
native(const struct smtp_pool *p)
{
	size_t i;

	if (p->use_ssl != CURLUSESSL_NONE || p->user != NULL)
		return 0;
	for (i = 0; i < p->nurls; i++)
		if (strncmp(p->names[i], "smtp://", 7) != 0)
			return 0;
	return 1;
}

/* Session i's own connection; NULL for libcurl's. */
static struct smtpconn *
native_conn(const struct smtp_pool *p, size_t i, const char *helo)
{
	char host[256], port[16];
	const char *digits;

	/* (a native relay is a loopback one: its URL has a host) */
	if (!native(p) || url_host(p->names[smtp_session_relay(p, (int)i)],
	    host, sizeof(host), &digits) == -1)
		return NULL;
	if (digits == NULL)
		digits = "25";
	snprintf(port, sizeof(port), "%.*s", (int)strcspn(digits, "/"),
	    digits);
	return smtpconn_new(host, port, helo);
}

static void
new_sessions(struct smtp_pool *p, const char *helo)
{
	size_t i;

	p->s = xcalloc(p->n, sizeof(*p->s));
	for (i = 0; i < p->n; i++) {
		p->s[i].conn = native_conn(p, i, helo);
		if (p->s[i].conn != NULL)
			continue;
		p->s[i].easy = curl_easy_init();
		if (p->s[i].easy == NULL)
			fatalx("cannot start libcurl");
	}
}

struct smtp_pool *
smtp_pool_new(const struct conf *c, const char *helo)
{
	struct smtp_pool *p;

	if (c->smtp_url == NULL) {
		log_warnx("[smtp] url is not set");
		fail_set(FAIL_CONFIG);
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	if (relays(p, c, helo) == -1 || password(p, c) == -1) {
		fail_set(FAIL_CONFIG);
		smtp_pool_free(p);
		return NULL;
	}
	p->user = c->smtp_user != NULL ? xstrdup(c->smtp_user) : NULL;
	p->n = (size_t)c->smtp_sessions;	/* conf keeps it in range */
	p->multi = curl_multi_init();
	if (p->multi == NULL)
		fatalx("cannot start libcurl");
	curl_multi_setopt(p->multi, CURLMOPT_MAXCONNECTS, (long)p->n);
	new_sessions(p, helo);
	return p;
}

void
smtp_pool_free(struct smtp_pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; p->s != NULL && i < p->n; i++) {
		if (p->s[i].conn != NULL) {
			smtpconn_free(p->s[i].conn);
			continue;
		}
		if (p->s[i].busy)
			curl_multi_remove_handle(p->multi, p->s[i].easy);
		curl_easy_cleanup(p->s[i].easy);
		curl_slist_free_all(p->s[i].rcpt);
	}
	if (p->multi != NULL)
		curl_multi_cleanup(p->multi);
	explicit_bzero(p->password, sizeof(p->password));
	free(p->s);
	for (i = 0; i < p->nurls; i++) {
		free(p->urls[i]);
		free(p->names[i]);
	}
	free(p->urls);
	free(p->names);
	free(p->user);
	free(p);
}

size_t
smtp_pool_size(const struct smtp_pool *p)
{
	return p->n;
}

size_t
smtp_pool_relays(const struct smtp_pool *p)
{
	return p->nurls;
}

size_t
smtp_session_relay(const struct smtp_pool *p, int s)
{
	return (size_t)s % p->nurls;
}

const char *
smtp_relay_name(const struct smtp_pool *p, size_t relay)
{
	return p->names[relay];
}

size_t
smtp_pool_busy(const struct smtp_pool *p)
{
	return p->busy;
}

static void
setup(struct smtp_pool *p, struct smtp_session *s)
{
	CURL *e = s->easy;

	/* Sessions are spread over the relays, each keeping its own. */
	curl_easy_setopt(e, CURLOPT_URL,
	    p->urls[smtp_session_relay(p, (int)(s - p->s))]);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(e, CURLOPT_USE_SSL, p->use_ssl);
	curl_easy_setopt(e, CURLOPT_MAIL_FROM, s->from);
	curl_easy_setopt(e, CURLOPT_MAIL_RCPT, s->rcpt);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(e, CURLOPT_READDATA, s);
	curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)s->len);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, server_line);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, client_line);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, s);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
	    (long)SMTP_CONNECT_TIMEOUT_SEC);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, (long)SMTP_MESSAGE_TIMEOUT_SEC);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
	    (long)SMTP_STALL_TIMEOUT_SEC);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (p->user != NULL) {
		curl_easy_setopt(e, CURLOPT_USERNAME, p->user);
		curl_easy_setopt(e, CURLOPT_PASSWORD, p->password);
	}
}

int
smtp_send(struct smtp_pool *p, int i, const char *from, const char *to,
    const char *msg, size_t len, int held, void *user)
{
	struct smtp_session *s = &p->s[i];
	char rcpt[300];

	if (s->busy)
		BUG("a message for a busy session");
	if (s->conn != NULL) {
		smtpconn_send(s->conn, from, to, msg, len, held, time(NULL));
		s->user = user;
		s->busy = 1;
		p->busy++;
		return 0;
	}
	snprintf(s->from, sizeof(s->from), "<%s>", from);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	curl_slist_free_all(s->rcpt);
	s->rcpt = curl_slist_append(NULL, rcpt);
	if (s->rcpt == NULL)
		fatalx("cannot allocate");
	s->data = msg;
	s->len = len;
	s->pos = 0;
	s->held = held;
	s->paused = 0;
	s->user = user;
	s->reply[0] = '\0';
	s->error[0] = '\0';
	/* A new connection starts with the greeting; a reused one at MAIL. */
	s->at = s->error_at = SMTP_AT_CONNECT;
	setup(p, s);
	if (curl_multi_add_handle(p->multi, s->easy) != CURLM_OK) {
		log_warnx("libcurl refused a transfer");
		return -1;
	}
	s->busy = 1;
	p->busy++;
	return 0;
}

void
smtp_release(struct smtp_pool *p, int i)
{
	struct smtp_session *s = &p->s[i];

	/* (a refusal may have ended it while held: nothing to let go) */
	if (s->conn != NULL && s->busy)
		smtpconn_release(s->conn);
	if (!s->busy || !s->held)
		return;
	s->held = 0;
	if (s->paused) {
		s->paused = 0;
		if (curl_easy_pause(s->easy, CURLPAUSE_CONT) != CURLE_OK)
			log_warnx("libcurl cannot resume a transfer");
	}
}

enum smtp_outcome
smtp_refusal_outcome(long code)
{
	if (code == 530 || code == 535)
		return SMTP_UNAVAILABLE;	/* a login it wants */
	if (code >= 500 && code < 600)
		return SMTP_PERMANENT;
	return SMTP_TEMPORARY;
}

static int
is_connection_failure(CURLcode rc)
{
	return rc == CURLE_COULDNT_CONNECT ||
	    rc == CURLE_COULDNT_RESOLVE_HOST ||
	    rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_LOGIN_DENIED ||
	    rc == CURLE_USE_SSL_FAILED || rc == CURLE_SSL_CONNECT_ERROR ||
	    rc == CURLE_PEER_FAILED_VERIFICATION;
}

/*
 * By the reply code, not libcurl's result: a 5xx at RCPT comes back as
 * a send error. A drop once every byte of the data was sent may have
 * delivered the message: unknown, never deferred; unless the end of
 * data was still held, when the relay has nothing it may deliver.
 */
static void
classify(struct smtp_session *s, CURLcode rc, struct smtp_result *r)
{
	curl_off_t sent = 0;
	long code = 0;

	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(s->easy, CURLINFO_SIZE_UPLOAD_T, &sent);
	r->user = s->user;
	r->code = code;
	r->at = s->error[0] != '\0' ? s->error_at : s->at;
	snprintf(r->reply, sizeof(r->reply), "%s", s->error[0] != '\0' &&
	    rc != CURLE_OK ? s->error : s->reply[0] != '\0' ? s->reply :
	    curl_easy_strerror(rc));
	if (rc == CURLE_OK && code >= 200 && code < 300)
		r->outcome = SMTP_ACCEPTED;
	else if (code >= 400 && code < 600)
		r->outcome = smtp_refusal_outcome(code);
	else if (is_connection_failure(rc))
		r->outcome = SMTP_UNAVAILABLE;
	else if ((size_t)sent >= s->len && s->len > 0 && !s->held)
		r->outcome = SMTP_UNKNOWN;
	else
		r->outcome = SMTP_TEMPORARY;
}

/*
 * Runs our own connections on what the poll saw of them (revents 0:
 * only their timeouts, and what ended without I/O). Adds what ended to
 * results[n..max); returns the new n.
 */
static int
run_conns(struct smtp_pool *p, const struct curl_waitfd *fds,
    const int *fd_of, int n, struct smtp_result *results, int max)
{
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < p->n && n < max; i++) {
		struct smtp_session *s = &p->s[i];
		short revents = 0;

		if (s->conn == NULL)
			continue;
		if (fds != NULL && fd_of[i] != -1)
			revents = (short)fds[fd_of[i]].revents;
		if (smtpconn_run(s->conn, revents, now, &results[n]) == 0)
			continue;
		if (!s->busy)
			BUG("a finished message of an idle session");
		results[n++].user = s->user;
		s->busy = 0;
		p->busy--;
	}
	return n;
}

/* Which connections to poll: fds[fd_of[i]] is session i's. */
static unsigned
conn_fds(const struct smtp_pool *p, struct curl_waitfd *fds, int *fd_of)
{
	unsigned nfds = 0;
	short events;
	size_t i;
	int fd;

	for (i = 0; i < p->n; i++) {
		fd_of[i] = -1;
		if (p->s[i].conn == NULL)
			continue;
		fd = smtpconn_fd(p->s[i].conn, &events);
		if (fd == -1)
			continue;
		fds[nfds].fd = fd;
		fds[nfds].events = events;
		fds[nfds].revents = 0;
		fd_of[i] = (int)nfds++;
	}
	return nfds;
}

int
smtp_poll(struct smtp_pool *p, int timeout_ms, struct smtp_result *results,
    int max)
{
	struct curl_waitfd fds[SMTP_SESSIONS_MAX];
	int fd_of[SMTP_SESSIONS_MAX];
	struct smtp_session *s;
	CURLMsg *m;
	int running, left, n;
	unsigned nfds;
	size_t i;

	/* what ended in smtp_send (no connection) comes without a wait */
	n = run_conns(p, NULL, NULL, 0, results, max);
	if (n > 0)
		return n;
	nfds = conn_fds(p, fds, fd_of);
	if (curl_multi_perform(p->multi, &running) != CURLM_OK ||
	    ((running > 0 || nfds > 0) && curl_multi_poll(p->multi, fds,
	    nfds, timeout_ms, NULL) != CURLM_OK) ||
	    curl_multi_perform(p->multi, &running) != CURLM_OK) {
		log_warnx("libcurl failed to run its transfers");
		return -1;
	}
	n = run_conns(p, fds, fd_of, 0, results, max);
	while (n < max && (m = curl_multi_info_read(p->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		for (i = 0, s = NULL; i < p->n && s == NULL; i++)
			if (p->s[i].easy == m->easy_handle)
				s = &p->s[i];
		if (s == NULL)
			BUG("a finished transfer of no session");
		classify(s, m->data.result, &results[n++]);
		curl_multi_remove_handle(p->multi, s->easy);
		s->busy = 0;
		p->busy--;
	}
	return n;
}
