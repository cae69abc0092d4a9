/* web: the HTTP server of tocsin web, on libmicrohttpd (see web.h). */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "log.h"
#include "web.h"
#include "xalloc.h"

#define POST_BUFFER	4096
#define CONNECTIONS_MAX	1024u
#define CONN_MEMORY	(64 * 1024)

/* Headers on every answer: nothing inline, nothing framed, no referrer. */
static const char csp[] = "default-src 'none'; style-src 'self'; "
    "img-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

struct web {
	web_handler	 handler;
	void		*app;
};

/* One request as it arrives, in pieces for a POST. */
struct conn {
	struct web_request	 rq;
	struct MHD_PostProcessor *pp;
	size_t			 body;		/* bytes of body seen */
	int			 too_big;
	struct timespec		 start;
};

const char *
web_field(const struct web_request *rq, const char *key)
{
	size_t i;

	for (i = 0; i < rq->nfields; i++)
		if (strcmp(rq->fields[i].key, key) == 0)
			return rq->fields[i].value;
	return NULL;
}

/* A form value arrives in pieces (off > 0 continues the last). */
static enum MHD_Result
on_field(void *arg, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *ctype, const char *encoding,
    const char *data, uint64_t off, size_t size)
{
	struct conn *cn = arg;
	struct web_request *rq = &cn->rq;
	struct web_field *f = NULL;

	(void)kind;
	(void)ctype;
	(void)encoding;
	if (filename != NULL || strlen(key) >= sizeof(f->key)) {
		rq->bad_form = 1;	/* no uploads, no odd names */
		return MHD_YES;
	}
	if (off > 0 && rq->nfields > 0 &&
	    strcmp(rq->fields[rq->nfields - 1].key, key) == 0)
		f = &rq->fields[rq->nfields - 1];
	else if (off == 0 && rq->nfields < WEB_FIELDS_MAX) {
		f = &rq->fields[rq->nfields++];
		snprintf(f->key, sizeof(f->key), "%s", key);
		f->len = 0;
		f->value[0] = '\0';
	}
	if (f == NULL || f->len + size >= sizeof(f->value) ||
	    memchr(data, '\0', size) != NULL) {
		rq->bad_form = 1;
		return MHD_YES;
	}
	memcpy(f->value + f->len, data, size);
	f->len += size;
	f->value[f->len] = '\0';
	return MHD_YES;
}

/* The token of "?t=" or of a "/c/TOKEN" path, if it could be one. */
static void
take_token(struct web_request *rq, const char *t)
{
	size_t n;

	if (t == NULL)
		return;
	n = strlen(t);
	if (n == 0 || n >= sizeof(rq->token) || strspn(t,
	    "abcdefghijklmnopqrstuvwxyz0123456789-") != n)
		snprintf(rq->token, sizeof(rq->token), "%s", "!");
	else
		memcpy(rq->token, t, n + 1);
}

/*
 * Behind a proxy on this machine every client is 127.0.0.1: then the
 * last address of X-Forwarded-For (the one the proxy itself added, as
 * etc/nginx-tocsin.conf does) is the client, if it is an address.
 */
static void
forwarded_for(struct MHD_Connection *c, char *out, size_t outsize)
{
	const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "X-Forwarded-For"), *last;
	unsigned char a[sizeof(struct in6_addr)];
	char ip[INET6_ADDRSTRLEN];
	size_t n;

	if (xff == NULL)
		return;
	last = strrchr(xff, ',');
	last = last != NULL ? last + 1 : xff;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	if (n == 0 || n >= sizeof(ip))
		return;
	memcpy(ip, last, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, a) == 1 || inet_pton(AF_INET6, ip, a) == 1)
		snprintf(out, outsize, "%s", ip);
}

static void
client_address(struct MHD_Connection *c, char *out, size_t outsize)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	snprintf(out, outsize, "?");
	if (ci == NULL || ci->client_addr == NULL)
		return;
	(void)getnameinfo(ci->client_addr, ci->client_addr->sa_family ==
	    AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in), out, (socklen_t)outsize, NULL, 0,
	    NI_NUMERICHOST);
	if (strncmp(out, "127.", 4) == 0 || strcmp(out, "::1") == 0)
		forwarded_for(c, out, outsize);
}

static void
start_request(struct conn *cn, struct MHD_Connection *c, const char *url,
    const char *method)
{
	struct web_request *rq = &cn->rq;
	const char *more;

	clock_gettime(CLOCK_MONOTONIC, &cn->start);
	rq->method = strcmp(method, "GET") == 0 ? WEB_GET :
	    strcmp(method, "HEAD") == 0 ? WEB_HEAD :
	    strcmp(method, "POST") == 0 ? WEB_POST : WEB_OTHER;
	if (strlen(url) >= sizeof(rq->path))
		snprintf(rq->path, sizeof(rq->path), "%s", "/!");
	else
		snprintf(rq->path, sizeof(rq->path), "%s", url);
	/* "/c/TOKEN": the token leaves the path, so logs never show it. */
	if (strncmp(rq->path, "/c/", 3) == 0) {
		take_token(rq, rq->path + 3);
		rq->path[2] = '\0';
	} else
		take_token(rq, MHD_lookup_connection_value(c,
		    MHD_GET_ARGUMENT_KIND, "t"));
	more = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "shown");
	if (more != NULL && strlen(more) < sizeof(rq->more))
		snprintf(rq->more, sizeof(rq->more), "%s", more);
	client_address(c, rq->ip, sizeof(rq->ip));
	if (rq->method == WEB_POST)
		cn->pp = MHD_create_post_processor(c, POST_BUFFER, on_field,
		    cn);
}

static int
add_headers(struct MHD_Response *r, const struct web_response *rs)
{
	return MHD_add_response_header(r, "Content-Type", rs->content_type) ==
	    MHD_YES &&
	    MHD_add_response_header(r, "Content-Security-Policy", csp) ==
	    MHD_YES &&
	    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") ==
	    MHD_YES &&
	    MHD_add_response_header(r, "Referrer-Policy", "no-referrer") ==
	    MHD_YES &&
	    MHD_add_response_header(r, "X-Frame-Options", "DENY") == MHD_YES &&
	    MHD_add_response_header(r, "Cache-Control", rs->no_store ?
	    "no-store" : "no-cache") == MHD_YES &&
	    (rs->allow == NULL || MHD_add_response_header(r, "Allow",
	    rs->allow) == MHD_YES) && (!rs->any_origin ||
	    MHD_add_response_header(r, "Access-Control-Allow-Origin", "*") ==
	    MHD_YES);
}

static const char *const method_names[] = { "GET", "HEAD", "POST", "OTHER" };

/* Asks the application, sends its answer, logs the request. */
static enum MHD_Result
respond(struct web *w, struct MHD_Connection *c, struct conn *cn)
{
	struct web_response rs;
	struct MHD_Response *r;
	struct timespec end;
	enum MHD_Result ok = MHD_NO;

	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body, WEB_PAGE_MAX);
	rs.status = 500;	/* a handler that says nothing failed */
	rs.content_type = "text/html; charset=utf-8";
	if (cn->body > 0 && cn->pp == NULL)
		cn->rq.bad_form = 1;	/* a body in no form encoding */
	if (cn->too_big) {
		rs.status = MHD_HTTP_CONTENT_TOO_LARGE;
		rs.content_type = "text/plain; charset=utf-8";
		(void)buf_append(&rs.body, "too large\n", 10);
	} else
		w->handler(w->app, &cn->rq, &rs);
	/* Every handler's appends are checked here, once: a page that
	 * outgrew WEB_PAGE_MAX is an error, never served cut. */
	if (rs.body.failed) {
		log_warnx("web path=%s: the page is over %d bytes", cn->rq.path,
		    WEB_PAGE_MAX);
		rs.status = 500;
		rs.content_type = "text/plain; charset=utf-8";
		buf_reset(&rs.body);
		(void)buf_puts(&rs.body, "this page is too large; the log says "
		    "so\n");
	}
	r = MHD_create_response_from_buffer(rs.body.len,
	    (void *)buf_cstr(&rs.body), MHD_RESPMEM_MUST_COPY);
	if (r != NULL && add_headers(r, &rs))
		ok = MHD_queue_response(c, (unsigned)rs.status, r);
	if (r != NULL)
		MHD_destroy_response(r);
	clock_gettime(CLOCK_MONOTONIC, &end);
	log_info("web method=%s path=%s status=%d ms=%.1f",
	    method_names[cn->rq.method], cn->rq.path, rs.status,
	    (double)(end.tv_sec - cn->start.tv_sec) * 1e3 +
	    (double)(end.tv_nsec - cn->start.tv_nsec) / 1e6);
	buf_release(&rs.body);
	return ok;
}

static enum MHD_Result
on_request(void *arg, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data,
    size_t *size, void **state)
{
	struct web *w = arg;
	struct conn *cn = *state;

	(void)version;
	if (cn == NULL) {
		cn = xcalloc(1, sizeof(*cn));
		start_request(cn, c, url, method);
		*state = cn;
		return MHD_YES;
	}
	if (*size > 0) {
		cn->body += *size;
		if (cn->body > WEB_BODY_MAX)
			cn->too_big = 1;
		else if (cn->pp != NULL && MHD_post_process(cn->pp, data,
		    *size) != MHD_YES)
			cn->rq.bad_form = 1;
		else if (cn->pp != NULL)
			cn->rq.form = 1;
		*size = 0;
		return MHD_YES;
	}
	return respond(w, c, cn);
}

static void
on_done(void *arg, struct MHD_Connection *c, void **state,
    enum MHD_RequestTerminationCode why)
{
	struct conn *cn = *state;

	(void)arg;
	(void)c;
	(void)why;
	if (cn == NULL)
		return;
	if (cn->pp != NULL)
		(void)MHD_destroy_post_processor(cn->pp);
	explicit_bzero(cn, sizeof(*cn));	/* form values, the token */
	free(cn);
	*state = NULL;
}

/* "127.0.0.1:8080" or "[::1]:8080" as an address to bind. */
static struct addrinfo *
listen_address(const char *listen)
{
	struct addrinfo hints, *ai = NULL;
	char host[128];
	const char *colon = strrchr(listen, ':');
	size_t n;

	if (colon == NULL || colon == listen || colon[1] == '\0')
		return NULL;
	n = (size_t)(colon - listen);
	if (listen[0] == '[' && n > 2 && listen[n - 1] == ']') {
		listen++;
		n -= 2;
	}
	if (n >= sizeof(host))
		return NULL;
	memcpy(host, listen, n);
	host[n] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return NULL;
	return ai;
}

static struct MHD_Daemon *
start(struct web *w, const struct addrinfo *ai)
{
	unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;

	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, w,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_NOTIFY_COMPLETED, on_done, w,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)WEB_TIMEOUT_SEC,
	    MHD_OPTION_CONNECTION_LIMIT, CONNECTIONS_MAX,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
	    MHD_OPTION_END);
}

int
web_serve(const char *listen, web_handler handler, void *app,
    volatile sig_atomic_t *stop)
{
	struct web w = { handler, app };
	struct addrinfo *ai = listen_address(listen);
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	struct pollfd p;

	if (ai == NULL) {
		log_warnx("[web] listen '%.100s' is not ADDRESS:PORT (numeric, "
		    "e.g. 127.0.0.1:8080 or [::1]:8080)", listen);
		fail_set(FAIL_CONFIG);
		return -1;
	}
	d = start(&w, ai);
	freeaddrinfo(ai);
	if (d == NULL) {
		log_warnx("cannot listen on '%.100s' ([web] listen): in use, "
		    "or not an address of this machine", listen);
		fail_set(FAIL_CONFIG);
		return -1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_EPOLL_FD);
	p.fd = info != NULL ? info->epoll_fd : -1;
	p.events = POLLIN;
	log_info("web listening on %s", listen);
	while (!*stop) {
		MHD_UNSIGNED_LONG_LONG next;
		int ms = 1000;

		if (MHD_get_timeout(d, &next) == MHD_YES && next < 1000)
			ms = (int)next;
		(void)poll(&p, 1, ms);	/* EINTR: the loop looks at *stop */
		(void)MHD_run(d);
	}
	MHD_stop_daemon(d);
	return 0;
}
