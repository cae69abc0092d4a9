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

/*
 * Shakes hands over the connected socket fd and checks the server. The
 * stream owns fd from then on (closing it closes fd). NULL on failure,
 * with why in err: then fd is still the caller's. *untrusted is 1 when
 * the handshake worked and the certificate did not.
 */
mailstream_low	*tls_stream_open(int fd, const char *host, const char *ca_file,
		    int *untrusted, char *err, size_t errsize);

#endif
