/* imap: an IMAP session for the inbox (see imap.h). */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "fsx.h"
#include "imap.h"
#include "log.h"
#include "tlsstream.h"
#include "xalloc.h"

#define PASSWORD_MAX	512
#define HOST_MAX	256

struct imap {
	mailimap	*session;
	char		 host[HOST_MAX];
	int		 has_move;
	int		 has_uidplus;
	int		 warned_copy;	/* said once: copies, no expunge */
	/* folders known to exist */
	char		 created[8][IMAP_MAILBOX_MAX];
	size_t		 ncreated;
};

static int
is_loopback(const char *host)
{
	struct in_addr a4;

	if (strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0)
		return 1;
	return inet_pton(AF_INET, host, &a4) == 1 &&
	    (ntohl(a4.s_addr) >> 24) == 127;
}

/* imaps://host[:port] or imap://host[:port]; 0 or -1 (logged). */
static int
parse_url(const char *url, char *host, uint16_t *port, int *tls)
{
	const char *p;
	size_t n;
	long v;
	char *end;

	if (strncmp(url, "imaps://", 8) == 0) {
		*tls = 1;
		*port = 993;
		p = url + 8;
	} else if (strncmp(url, "imap://", 7) == 0) {
		*tls = 0;
		*port = 143;
		p = url + 7;
	} else {
		log_warnx("[imap] url '%s' is not imaps:// or imap://", url);
		return -1;
	}
	n = strcspn(p, ":/");
	if (n == 0 || n >= HOST_MAX) {
		log_warnx("[imap] url '%s' has no host", url);
		return -1;
	}
	memcpy(host, p, n);
	host[n] = '\0';
	if (p[n] == ':') {
		v = strtol(p + n + 1, &end, 10);
		if (v < 1 || v > 65535 || (*end != '\0' && *end != '/')) {
			log_warnx("[imap] url '%s' has a bad port", url);
			return -1;
		}
		*port = (uint16_t)v;
	}
	return 0;
}

/*
 * TLS over fd, the server's certificate checked (tlsstream.h): the
 * stream, or NULL logged and classed. A certificate we cannot trust is
 * a config error (a private authority belongs in [imap] ca_file), or an
 * attack; either way, not something to retry blindly.
 */
static mailstream_low *
secure(struct imap *im, const struct conf *c, int fd)
{
	char err[512], *ca = NULL;
	enum tls_failure why;
	mailstream_low *low;

	if (c->imap_ca_file != NULL)
		ca = conf_path(c, c->imap_ca_file);
	low = tls_stream_open(fd, im->host, ca, &why, err, sizeof(err));
	free(ca);
	if (low != NULL)
		return low;
	if (why == TLS_UNTRUSTED)
		log_warnx("the certificate of the IMAP server %s is not "
		    "trusted: %s (a private authority's certificate goes in "
		    "[imap] ca_file)", im->host, err);
	else
		log_warnx("cannot start TLS with the IMAP server %s: %s",
		    im->host, err);
	fail_set(why == TLS_BROKEN ? FAIL_TEMP : FAIL_CONFIG);
	return NULL;
}

/* A TCP connection to host:port, with the session's timeouts; or -1. */
static int
tcp_connect(const char *host, uint16_t port)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv = { IMAP_TIMEOUT_SEC, 0 };
	char service[8];
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%u", (unsigned)port);
	if (getaddrinfo(host, service, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1)
			continue;
		/* Linux bounds connect() by the send timeout. */
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		(void)close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static int
connect_tls(struct imap *im, const struct conf *c, uint16_t port, int tls)
{
	mailstream_low *low, *plain;
	int fd, r;

	if (tls) {
		fd = tcp_connect(im->host, port);
		if (fd == -1) {
			log_warnx("cannot connect to the IMAP server %s "
			    "port %u",
			    im->host, (unsigned)port);
			fail_set(FAIL_TEMP);
			return -1;
		}
		low = secure(im, c, fd);
		if (low == NULL) {
			(void)close(fd);
			return -1;
		}
		r = mailimap_connect(im->session, mailstream_new(low, 8192));
	} else
		r = mailimap_socket_connect(im->session, im->host, port);
	if (r != MAILIMAP_NO_ERROR && r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
		log_warnx("cannot connect to the IMAP server %s port "
		    "%u (error %d)", im->host, (unsigned)port, r);
		fail_set(FAIL_TEMP);
		return -1;
	}
	if (tls || c->imap_starttls == CONF_TLS_NO)
		return 0;
	r = mailimap_starttls(im->session);
	if (r != MAILIMAP_NO_ERROR) {
		if (c->imap_starttls == CONF_TLS_OPTIONAL) {
			log_warnx("the IMAP server %s did not start TLS; going "
			    "on as [imap] starttls = optional says", im->host);
			return 0;
		}
		log_warnx("the IMAP server %s did not start TLS, which [imap] "
		    "starttls requires (error %d)", im->host, r);
		fail_set(FAIL_TEMP);
		return -1;
	}
	/* The server said yes: from here it is TLS or nothing. */
	plain = mailstream_get_low(im->session->imap_stream);
	low = secure(im, c, mailstream_low_get_fd(plain));
	if (low == NULL)
		return -1;
	mailstream_low_free(plain);	/* frees, leaves the socket open */
	mailstream_set_low(im->session->imap_stream, low);
	return 0;
}

struct imap *
imap_open(const struct conf *c)
{
	struct imap *im = xcalloc(1, sizeof(*im));
	struct mailimap_capability_data *cap = NULL;
	char pass[PASSWORD_MAX];
	uint16_t port;
	int tls, r;

	if (c->imap_url == NULL || c->imap_user == NULL) {
		log_warnx("the config has no [imap] url and user");
		fail_set(FAIL_CONFIG);
		goto fail;
	}
	if (parse_url(c->imap_url, im->host, &port, &tls) == -1) {
		fail_set(FAIL_CONFIG);
		goto fail;
	}
	if (!tls && c->imap_starttls == CONF_TLS_NO && !is_loopback(im->host)) {
		log_warnx("[imap] starttls = no is only for a loopback "
		    "server, not %s", im->host);
		fail_set(FAIL_CONFIG);
		goto fail;
	}
	if (conf_password(c, "imap", c->imap_password_file,
	    "TOCSIN_IMAP_PASSWORD", pass, sizeof(pass)) == -1) {
		fail_set(FAIL_CONFIG);
		goto fail;
	}
	im->session = mailimap_new(0, NULL);
	mailimap_set_timeout(im->session, IMAP_TIMEOUT_SEC);
	if (connect_tls(im, c, port, tls) == -1)
		goto fail_pass;
	r = mailimap_login(im->session, c->imap_user, pass);
	explicit_bzero(pass, sizeof(pass));
	if (r != MAILIMAP_NO_ERROR) {
		log_warnx("the IMAP server %s refused the login of '%s'",
		    im->host, c->imap_user);
		fail_set(r == MAILIMAP_ERROR_LOGIN ? FAIL_CONFIG : FAIL_TEMP);
		goto fail;
	}
	if (mailimap_capability(im->session, &cap) == MAILIMAP_NO_ERROR)
		mailimap_capability_data_free(cap);
	im->has_move = mailimap_has_extension(im->session, "MOVE");
	im->has_uidplus = mailimap_has_uidplus(im->session);
	return im;
fail_pass:
	explicit_bzero(pass, sizeof(pass));
fail:
	imap_close(im);
	return NULL;
}

void
imap_close(struct imap *im)
{
	if (im == NULL)
		return;
	if (im->session != NULL) {
		if (im->session->imap_stream != NULL)
			(void)mailimap_logout(im->session);
		mailimap_free(im->session);
	}
	free(im);
}

int
imap_select(struct imap *im, const char *mailbox, uint32_t *uidvalidity,
    uint32_t *uidnext)
{
	struct mailimap_selection_info *sel;
	int r = mailimap_select(im->session, mailbox);

	if (r != MAILIMAP_NO_ERROR) {
		log_warnx("cannot select the IMAP mailbox '%s' (error %d)",
		    mailbox, r);
		fail_set(r == MAILIMAP_ERROR_STREAM ? FAIL_TEMP : FAIL_CONFIG);
		return -1;
	}
	sel = im->session->imap_selection_info;
	*uidvalidity = sel != NULL ? sel->sel_uidvalidity : 0;
	*uidnext = sel != NULL ? sel->sel_uidnext : 0;
	return 0;
}

static int
by_uid(const void *a, const void *b)
{
	const struct imap_size *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* What one FETCH response holds: its UID, size and body (0 or NULL if
 * it does not hold them). */
struct fetched {
	uint32_t	 uid;
	uint32_t	 size;
	const char	*body;
	size_t		 len;
};

static void
message_atts(struct mailimap_msg_att *m, struct fetched *f)
{
	struct mailimap_msg_att_static *st;
	struct mailimap_msg_att_item *item;
	clistiter *it;

	memset(f, 0, sizeof(*f));
	for (it = clist_begin(m->att_list); it != NULL; it = clist_next(it)) {
		item = clist_content(it);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		st = item->att_data.att_static;
		if (st->att_type == MAILIMAP_MSG_ATT_UID)
			f->uid = st->att_data.att_uid;
		else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
			f->size = st->att_data.att_rfc822_size;
		else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION &&
		    st->att_data.att_body_section != NULL) {
			f->body = st->att_data.att_body_section->sec_body_part;
			f->len = st->att_data.att_body_section->sec_length;
		}
	}
}

int
imap_sizes(struct imap *im, uint32_t first, uint32_t last,
    struct imap_size **sizes, size_t *n)
{
	struct mailimap_set *set = mailimap_set_new_interval(first, last);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att_list_empty();
	clist *result = NULL;
	clistiter *it;
	int r;

	*sizes = NULL;
	*n = 0;
	(void)mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	(void)mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_rfc822_size());
	r = mailimap_uid_fetch(im->session, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		log_warnx("UID FETCH %u:%u (RFC822.SIZE) from %s failed "
		    "(error %d)", (unsigned)first, (unsigned)last, im->host, r);
		fail_set(FAIL_TEMP);
		return -1;
	}
	*sizes = xreallocarray(NULL, (size_t)clist_count(result) + 1,
	    sizeof(**sizes));
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		struct fetched f;

		message_atts(clist_content(it), &f);
		/* "UID FETCH a:b" may answer with a UID outside a:b. */
		if (f.uid < first || f.uid > last)
			continue;
		(*sizes)[*n].uid = f.uid;
		(*sizes)[(*n)++].size = f.size;
	}
	mailimap_fetch_list_free(result);
	qsort(*sizes, *n, sizeof(**sizes), by_uid);
	return 0;
}

int
imap_fetch(struct imap *im, uint32_t first, uint32_t last, size_t head,
    imap_message_fn fn, void *arg)
{
	struct mailimap_set *set = mailimap_set_new_interval(first, last);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att_list_empty();
	struct mailimap_section *all = mailimap_section_new(NULL);
	clist *result = NULL;
	clistiter *it;
	int r;

	(void)mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	/* BODY.PEEK[]<0.head>: a large message's start is enough for a
	 * DSN's report, an ARF's or a reply's first words. */
	(void)mailimap_fetch_type_new_fetch_att_list_add(ft, head > 0 ?
	    mailimap_fetch_att_new_body_peek_section_partial(all, 0,
	    (uint32_t)head) : mailimap_fetch_att_new_body_peek_section(all));
	r = mailimap_uid_fetch(im->session, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		log_warnx("UID FETCH %u:%u from %s failed (error %d)",
		    (unsigned)first, (unsigned)last, im->host, r);
		fail_set(FAIL_TEMP);
		return -1;
	}
	r = 0;
	for (it = clist_begin(result); it != NULL && r == 0;
	    it = clist_next(it)) {
		struct fetched f;

		message_atts(clist_content(it), &f);
		/* "UID FETCH a:b" may answer with a UID outside a:b. */
		if (f.uid < first || f.uid > last)
			continue;
		r = fn(arg, f.uid, f.body != NULL ? f.body : "", f.len);
	}
	mailimap_fetch_list_free(result);
	return r;
}

/* Creates the folder unless this session saw it exist already. */
static int
ensure_folder(struct imap *im, const char *folder)
{
	struct mailimap_mailbox_list *mb;
	clist *list = NULL;
	size_t i;
	int r, found = 0;

	for (i = 0; i < im->ncreated; i++)
		if (strcmp(im->created[i], folder) == 0)
			return 0;
	r = mailimap_list(im->session, "", folder, &list);
	if (r == MAILIMAP_NO_ERROR) {
		found = clist_begin(list) != NULL;
		if (found) {
			mb = clist_content(clist_begin(list));
			found = mb->mb_name != NULL;
		}
		mailimap_list_result_free(list);
	}
	if (!found) {
		r = mailimap_create(im->session, folder);
		if (r != MAILIMAP_NO_ERROR) {
			log_warnx("cannot create the IMAP folder '%s' "
			    "(error %d)", folder, r);
			fail_set(FAIL_TEMP);
			return -1;
		}
		log_info("created the IMAP folder '%s'", folder);
	}
	if (im->ncreated < sizeof(im->created) / sizeof(im->created[0]))
		snprintf(im->created[im->ncreated++], IMAP_MAILBOX_MAX, "%s",
		    folder);
	return 0;
}

/* A UID set with runs of consecutive UIDs as ranges ("3:9,12"). */
static struct mailimap_set *
uid_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	size_t i, j;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && uids[j] == uids[j - 1] + 1; j++)
			;
		if (j - i == 1)
			(void)mailimap_set_add_single(set, uids[i]);
		else
			(void)mailimap_set_add_interval(set, uids[i],
			    uids[j - 1]);
	}
	return set;
}

/*
 * COPY, then \Deleted and UID EXPUNGE (UIDPLUS) of only what was
 * copied. Without UIDPLUS the only EXPUNGE there is removes every
 * message flagged \Deleted, someone else's too: the messages are then
 * copied and left where they are (read by UID, never read again; the
 * digest keeps a rescan harmless).
 */
static int
copy_and_expunge(struct imap *im, const uint32_t *uids, size_t n,
    const char *folder)
{
	struct mailimap_flag_list *flags;
	struct mailimap_store_att_flags *store;
	struct mailimap_set *set = uid_set(uids, n);
	int r;

	r = mailimap_uid_copy(im->session, set, folder);
	if (r == MAILIMAP_NO_ERROR && !im->has_uidplus) {
		if (!im->warned_copy)
			log_warnx("the IMAP server has neither MOVE nor "
			    "UIDPLUS: messages are copied to their folders and "
			    "left in the mailbox (an EXPUNGE would remove what "
			    "others flagged \\Deleted too)");
		im->warned_copy = 1;
		mailimap_set_free(set);
		return r;
	}
	if (r == MAILIMAP_NO_ERROR) {
		flags = mailimap_flag_list_new_empty();
		(void)mailimap_flag_list_add(flags,
		    mailimap_flag_new_deleted());
		store = mailimap_store_att_flags_new_add_flags_silent(flags);
		r = mailimap_uid_store(im->session, set, store);
		mailimap_store_att_flags_free(store);
	}
	if (r == MAILIMAP_NO_ERROR)
		r = mailimap_uid_expunge(im->session, set);
	mailimap_set_free(set);
	return r;
}

int
imap_move(struct imap *im, const uint32_t *uids, size_t n, const char *folder)
{
	struct mailimap_set *set;
	int r;

	if (n == 0)
		return 0;
	if (ensure_folder(im, folder) == -1)
		return -1;
	if (im->has_move) {
		set = uid_set(uids, n);
		r = mailimap_uid_move(im->session, set, folder);
		mailimap_set_free(set);
	} else
		r = copy_and_expunge(im, uids, n, folder);
	if (r != MAILIMAP_NO_ERROR) {
		log_warnx("cannot move %zu messages to the IMAP folder "
		    "'%s' (error %d)", n, folder, r);
		fail_set(FAIL_TEMP);
		return -1;
	}
	return 0;
}
