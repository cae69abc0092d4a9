/*
 * dkim: DKIM signatures (RFC 6376) made by tocsin itself, so that the
 * one-click unsubscribe headers are signed whatever the relay does
 * (RFC 8058 asks that a valid signature cover List-Unsubscribe and
 * List-Unsubscribe-Post). An rsa-sha256 signature, and with a second
 * key an ed25519-sha256 one (RFC 8463), both c=relaxed/relaxed; the
 * canonicalisation is ours (hashed with nettle), tested
 * against dkimpy, an independent verifier.
 *
 * dkim_key.c reads and writes the keys with OpenSSL's libcrypto: PEM
 * files, RSA as PKCS#1 or PKCS#8 (what opendkim-genkey and openssl
 * write), Ed25519 as PKCS#8. libcrypto also makes the signatures: its
 * constant-time RSA signs in a third of a millisecond, nettle's in two.
 */
#ifndef TOCSIN_DKIM_H
#define TOCSIN_DKIM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>

#include "buf.h"
#include "conf.h"

#define DKIM_KEYS_MAX		2
#define DKIM_SELECTOR_MAX	63
#define DKIM_RSA_BITS		2048
#define DKIM_RSA_BITS_MIN	1024	/* RFC 8301: shorter ones fail */
#define DKIM_RSA_BITS_MAX	4096

enum dkim_algorithm {
	DKIM_RSA_SHA256,
	DKIM_ED25519_SHA256,
};

struct dkim_key {
	enum dkim_algorithm	 alg;
	char			 selector[DKIM_SELECTOR_MAX + 1];
	EVP_PKEY		*pkey;
};

/* The [dkim] part of the config, with its keys loaded. */
struct dkim {
	char		 domain[256];		/* d= */
	struct dkim_key	 keys[DKIM_KEYS_MAX];
	size_t		 nkeys;			/* 0: nothing is signed */
};

/*
 * Loads [dkim]: 1 with its keys, 0 if the config has no [dkim] key_file
 * (nothing will be signed), -1 logged as a config failure: a key file
 * that is missing, readable by others, not a key, or of the wrong kind.
 */
int	dkim_init(struct dkim *d, const struct conf *c);
void	dkim_release(struct dkim *d);

/*
 * Signs the message in `msg` whose header starts at offset `at` (after
 * a Return-Path, which is the receiver's): puts one DKIM-Signature per
 * key there. 0, or -1 if the message does not fit its buffer.
 */
int	dkim_sign(const struct dkim *d, struct buf *msg, size_t at,
	    time_t now);

/* dkim_key.c */

/* Reads a PEM private key of the algorithm `alg`. 0, or -1 logged with
 * `what` (the config key naming the file). */
int	dkim_key_load(struct dkim_key *k, enum dkim_algorithm alg,
	    const char *path, const char *what);
void	dkim_key_release(struct dkim_key *k);

/* Makes a new key and writes it to `path` (created 0600, never over an
 * existing file). 0, or -1 logged. */
int	dkim_keygen(enum dkim_algorithm alg, const char *path);

/* The signature of a SHA-256 digest, base64, appended to `out`: PKCS#1
 * v1.5 for RSA, PureEdDSA over the digest for Ed25519 (RFC 8463). */
int	dkim_key_sign(const struct dkim_key *k, const uint8_t digest[32],
	    struct buf *out);

/* The TXT record's text: "v=DKIM1; k=rsa; p=BASE64". 0, or -1. */
int	dkim_dns_record(const struct dkim_key *k, struct buf *out);

/* Whether `s` is a selector or domain as DNS takes it (labels of
 * letters, digits and '-', at most `max` bytes): what d= and s= hold. */
int	dkim_is_dns_name(const char *s, size_t max);

/* Prints "S._domainkey.D. IN TXT ( "..." )" in strings DNS takes
 * (at most 255 bytes each). */
void	dkim_print_record(const char *selector, const char *domain,
	    const char *text);

#endif
