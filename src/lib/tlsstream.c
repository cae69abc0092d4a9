/* tlsstream: libetpan's stream over a GnuTLS session we check (see .h). */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "tlsstream.h"
#include "xalloc.h"

struct tls {
	int				 fd;
	gnutls_session_t		 session;
	gnutls_certificate_credentials_t cred;
};

/*
 * Waits until fd is ready for `events`, at most TLS_TIMEOUT_MS: 1, or 0
 * on the timeout or an error. The socket blocks; the wait is what
 * bounds a read or a write.
 */
static int
ready(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };
	int r;

	do
		r = poll(&p, 1, TLS_TIMEOUT_MS);
	while (r == -1 && errno == EINTR);
	return r == 1;
}

static ssize_t
tls_read(mailstream_low *low, void *buf, size_t count)
{
	struct tls *t = low->data;
	ssize_t r;

	/*
	 * EAGAIN comes after a record with no data for us (a TLS 1.3
	 * session ticket): read on.
	 */
	for (;;) {
		if (gnutls_record_check_pending(t->session) == 0 &&
		    !ready(t->fd, POLLIN))
			return -1;
		r = gnutls_record_recv(t->session, buf, count);
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
			return r < 0 ? -1 : r;
	}
}

static ssize_t
tls_write(mailstream_low *low, const void *buf, size_t count)
{
	struct tls *t = low->data;
	ssize_t r;

	for (;;) {
		if (!ready(t->fd, POLLOUT))
			return -1;
		r = gnutls_record_send(t->session, buf, count);
		if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED)
			return r < 0 ? -1 : r;
	}
}

static int
tls_close(mailstream_low *low)
{
	struct tls *t = low->data;

	if (t->fd != -1) {
		(void)gnutls_bye(t->session, GNUTLS_SHUT_WR);
		(void)close(t->fd);
		t->fd = -1;
	}
	return 0;
}

static int
tls_get_fd(mailstream_low *low)
{
	return ((struct tls *)low->data)->fd;
}

static void
tls_release(struct tls *t)
{
	gnutls_deinit(t->session);
	gnutls_certificate_free_credentials(t->cred);
	free(t);
}

static void
tls_free(mailstream_low *low)
{
	tls_release(low->data);
	free(low);
}

static mailstream_low_driver tls_driver = {
	.mailstream_read = tls_read,
	.mailstream_write = tls_write,
	.mailstream_close = tls_close,
	.mailstream_get_fd = tls_get_fd,
	.mailstream_free = tls_free,
};

/* Why the certificate was refused, in GnuTLS's words. */
static void
untrusted_why(struct tls *t, char *err, size_t errsize)
{
	gnutls_datum_t out = { NULL, 0 };
	unsigned status = gnutls_session_get_verify_cert_status(t->session);

	size_t n;

	if (gnutls_certificate_verification_status_print(status,
	    gnutls_certificate_type_get(t->session), &out, 0) == 0) {
		snprintf(err, errsize, "%s", (const char *)out.data);
		gnutls_free(out.data);
		for (n = strlen(err); n > 0 && err[n - 1] == ' '; n--)
			err[n - 1] = '\0';
	} else
		snprintf(err, errsize, "verification status %#x", status);
}

mailstream_low *
tls_stream_open(int fd, const char *host, const char *ca_file,
    enum tls_failure *why, char *err, size_t errsize)
{
	struct tls *t = xcalloc(1, sizeof(*t));
	struct in6_addr a6;
	struct in_addr a4;
	mailstream_low *low;
	int r;

	*why = TLS_BROKEN;
	t->fd = fd;
	r = gnutls_certificate_allocate_credentials(&t->cred);
	if (r < 0)
		goto gnutls_fail;
	r = ca_file != NULL ? gnutls_certificate_set_x509_trust_file(t->cred,
	    ca_file, GNUTLS_X509_FMT_PEM) :
	    gnutls_certificate_set_x509_system_trust(t->cred);
	if (r <= 0) {
		*why = TLS_NO_AUTHORITY;
		snprintf(err, errsize, "no trusted authority in %s%s%s",
		    ca_file != NULL ? ca_file : "the system's store",
		    r < 0 ? ": " : "", r < 0 ? gnutls_strerror(r) : "");
		goto fail;
	}
	r = gnutls_init(&t->session, GNUTLS_CLIENT);
	if (r >= 0)
		r = gnutls_set_default_priority(t->session);
	if (r >= 0)
		r = gnutls_credentials_set(t->session, GNUTLS_CRD_CERTIFICATE,
		    t->cred);
	if (r < 0)
		goto gnutls_fail;
	/* SNI takes a name, never an address. */
	if (inet_pton(AF_INET, host, &a4) != 1 &&
	    inet_pton(AF_INET6, host, &a6) != 1)
		(void)gnutls_server_name_set(t->session, GNUTLS_NAME_DNS, host,
		    strlen(host));
	/* The chain to a trusted authority, and the name (or address). */
	gnutls_session_set_verify_cert(t->session, host, 0);
	gnutls_transport_set_int(t->session, fd);
	gnutls_handshake_set_timeout(t->session, TLS_TIMEOUT_MS);
	do
		r = gnutls_handshake(t->session);
	while (r < 0 && gnutls_error_is_fatal(r) == 0);
	if (r == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		*why = TLS_UNTRUSTED;
		untrusted_why(t, err, errsize);
		goto fail;
	}
	if (r < 0)
		goto gnutls_fail;
	low = mailstream_low_new(t, &tls_driver);
	if (low == NULL) {
		snprintf(err, errsize, "out of memory");
		goto fail;
	}
	return low;
gnutls_fail:
	snprintf(err, errsize, "TLS: %s", gnutls_strerror(r));
fail:
	if (t->session != NULL)
		gnutls_deinit(t->session);
	t->session = NULL;
	if (t->cred != NULL)
		gnutls_certificate_free_credentials(t->cred);
	free(t);
	return NULL;
}
