/*
 * tlsstream: a libetpan stream over GnuTLS that checks the server's
 * certificate chain against the trusted authorities (the system's, or
 * the one file [imap] ca_file names) and its name against the host we
 * meant to reach. libetpan's own TLS checks neither, so a password sent
 * over it could go to anyone in the path.
 */
#ifndef TOCSIN_TLSSTREAM_H
#define TOCSIN_TLSSTREAM_H

#include <stddef.h>

#include <libetpan/libetpan.h>

#define TLS_TIMEOUT_MS	60000

/* Why no stream came of it. */
enum tls_failure {
	TLS_NO_AUTHORITY,	/* ca_file (or the system's store) unreadable */
	TLS_UNTRUSTED,		/* the handshake worked, the certificate not */
	TLS_BROKEN,		/* the handshake itself failed */
};

/*
 * Shakes hands over the connected socket fd and checks the server. The
 * stream owns fd from then on (closing it closes fd). NULL on failure,
 * with *why and words for a person in err: then fd is still the
 * caller's.
 */
mailstream_low	*tls_stream_open(int fd, const char *host, const char *ca_file,
		    enum tls_failure *why, char *err, size_t errsize);

#endif
