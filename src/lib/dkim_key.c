/* dkim_key: DKIM keys read, made, published and used (see dkim.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "buf.h"
#include "dkim.h"
#include "encode.h"
#include "fsx.h"
#include "log.h"

static const char *
algorithm_name(enum dkim_algorithm alg)
{
	return alg == DKIM_RSA_SHA256 ? "RSA" : "Ed25519";
}

/* An encrypted key is refused, never asked a passphrase on a terminal:
 * cron has none to give. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

int
dkim_key_load(struct dkim_key *k, enum dkim_algorithm alg, const char *path,
    const char *what)
{
	FILE *fp;
	int id, bits;

	memset(k, 0, sizeof(*k));
	if (!fsx_is_private(path, what))
		goto fail;
	fp = fopen(path, "re");
	if (fp == NULL) {
		log_warn("cannot read the DKIM key '%s' (%s)", path, what);
		goto fail;
	}
	k->pkey = PEM_read_PrivateKey(fp, NULL, no_passphrase, NULL);
	fclose(fp);
	ERR_clear_error();
	id = k->pkey != NULL ? EVP_PKEY_get_base_id(k->pkey) : 0;
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519) {
		log_warnx("the DKIM key '%s' (%s) is not a PEM private key "
		    "tocsin reads (RSA in PKCS#1 or PKCS#8, Ed25519 in "
		    "PKCS#8, not encrypted); 'tocsin dkim keygen' makes one",
		    path, what);
		goto fail_key;
	}
	k->alg = id == EVP_PKEY_RSA ? DKIM_RSA_SHA256 : DKIM_ED25519_SHA256;
	if (k->alg != alg) {
		log_warnx("the DKIM key '%s' (%s) is an %s key, not %s", path,
		    what, algorithm_name(k->alg), algorithm_name(alg));
		goto fail_key;
	}
	bits = EVP_PKEY_get_bits(k->pkey);
	if (alg == DKIM_RSA_SHA256 && (bits < DKIM_RSA_BITS_MIN ||
	    bits > DKIM_RSA_BITS_MAX)) {
		log_warnx("the DKIM key '%s' (%s) has %d bits: receivers take "
		    "RSA keys of %d to %d (RFC 8301); make one of %d", path,
		    what, bits, DKIM_RSA_BITS_MIN, DKIM_RSA_BITS_MAX,
		    DKIM_RSA_BITS);
		goto fail_key;
	}
	return 0;
fail_key:
	dkim_key_release(k);
fail:
	fail_set(FAIL_CONFIG);
	return -1;
}

void
dkim_key_release(struct dkim_key *k)
{
	EVP_PKEY_free(k->pkey);
	memset(k, 0, sizeof(*k));
}

int
dkim_key_sign(const struct dkim_key *k, const uint8_t digest[32],
    struct buf *out)
{
	unsigned char sig[DKIM_RSA_BITS_MAX / 8];
	size_t n = sizeof(sig);
	EVP_PKEY_CTX *pctx;
	EVP_MD_CTX *mctx;
	int ok;

	if (k->alg == DKIM_ED25519_SHA256) {
		/* Ed25519 signs the message itself: here, the digest. */
		mctx = EVP_MD_CTX_new();
		ok = mctx != NULL && EVP_DigestSignInit(mctx, NULL, NULL, NULL,
		    k->pkey) == 1 && EVP_DigestSign(mctx, sig, &n, digest,
		    32) == 1;
		EVP_MD_CTX_free(mctx);
	} else {
		pctx = EVP_PKEY_CTX_new(k->pkey, NULL);
		ok = pctx != NULL && EVP_PKEY_sign_init(pctx) == 1 &&
		    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) ==
		    1 &&
		    EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) == 1 &&
		    EVP_PKEY_sign(pctx, sig, &n, digest, 32) == 1;
		EVP_PKEY_CTX_free(pctx);
	}
	if (!ok) {
		ERR_clear_error();
		log_warnx("cannot make a DKIM signature with the %s key",
		    algorithm_name(k->alg));
		return -1;
	}
	return encode_base64(out, sig, n);
}

int
dkim_dns_record(const struct dkim_key *k, struct buf *out)
{
	unsigned char raw[64], *der = NULL;
	size_t n = sizeof(raw);
	int len, r;

	if (k->alg == DKIM_ED25519_SHA256) {
		/* RFC 8463: p= is the bare 32-byte key */
		if (EVP_PKEY_get_raw_public_key(k->pkey, raw, &n) != 1)
			return -1;
		(void)buf_puts(out, "v=DKIM1; k=ed25519; p=");
		return encode_base64(out, raw, n) == -1 || out->failed ? -1 :
		    0;
	}
	/* RFC 6376: p= is the SubjectPublicKeyInfo, DER */
	len = i2d_PUBKEY(k->pkey, &der);
	if (len <= 0)
		return -1;
	(void)buf_puts(out, "v=DKIM1; k=rsa; p=");
	r = encode_base64(out, der, (size_t)len) == -1 || out->failed ? -1 : 0;
	OPENSSL_free(der);
	return r;
}

int
dkim_keygen(enum dkim_algorithm alg, const char *path)
{
	EVP_PKEY *pkey;
	FILE *fp;
	int fd, ok;

	pkey = alg == DKIM_RSA_SHA256 ? EVP_RSA_gen(DKIM_RSA_BITS) :
	    EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (pkey == NULL) {
		ERR_clear_error();
		log_warnx("cannot make an %s key", algorithm_name(alg));
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == EEXIST)
			log_warnx("'%s' exists: tocsin never writes over a "
			    "key (remove it first if it is not in use)", path);
		else
			log_warn("cannot create '%s'", path);
		EVP_PKEY_free(pkey);
		return -1;
	}
	fp = fdopen(fd, "w");
	/* PKCS#8, unencrypted: the file's mode is its protection. */
	ok = fp != NULL && PEM_write_PrivateKey(fp, pkey, NULL, NULL, 0, NULL,
	    NULL) == 1 && fflush(fp) == 0 && fsync(fd) == 0;
	if (fp != NULL)
		ok = fclose(fp) == 0 && ok;
	else
		close(fd);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	if (!ok) {
		log_warn("cannot write '%s'", path);
		unlink(path);
		return -1;
	}
	return 0;
}

int
dkim_is_dns_name(const char *s, size_t max)
{
	size_t i, n = strlen(s), label = 0;

	if (n == 0 || n > max || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-') || ++label > 63)
			return 0;
	}
	return 1;
}

static int
load_one(struct dkim *d, const struct conf *c, enum dkim_algorithm alg,
    const char *selector, const char *file, const char *skey,
    const char *sfile)
{
	struct dkim_key *k = &d->keys[d->nkeys];
	char *path;
	int r;

	if (selector == NULL ||
	    !dkim_is_dns_name(selector, DKIM_SELECTOR_MAX)) {
		log_warnx("%s: [dkim] %s is %s: the DNS label the key is "
		    "published under (letters, digits, '-', '.')",
		    conf_or(c->path, "(defaults)"), skey, selector == NULL ?
		    "not set" : "not a DNS name");
		fail_set(FAIL_CONFIG);
		return -1;
	}
	path = conf_path(c, file);
	r = dkim_key_load(k, alg, path, sfile);
	free(path);
	if (r == -1)
		return -1;
	snprintf(k->selector, sizeof(k->selector), "%s", selector);
	d->nkeys++;
	return 0;
}

int
dkim_init(struct dkim *d, const struct conf *c)
{
	const char *domain = conf_or(c->dkim_domain, c->domain);

	memset(d, 0, sizeof(*d));
	if (c->dkim_key_file == NULL) {
		if (c->dkim_ed25519_key_file == NULL)
			return 0;
		log_warnx("%s: [dkim] ed25519_key_file needs key_file too: "
		    "not every receiver checks Ed25519, every one "
		    "checks RSA", conf_or(c->path, "(defaults)"));
		fail_set(FAIL_CONFIG);
		return -1;
	}
	if (domain == NULL ||
	    !dkim_is_dns_name(domain, sizeof(d->domain) - 1)) {
		log_warnx("%s: [dkim] domain (or [sender] domain) is %s",
		    conf_or(c->path, "(defaults)"), domain == NULL ?
		    "not set" : "not a domain name");
		fail_set(FAIL_CONFIG);
		return -1;
	}
	snprintf(d->domain, sizeof(d->domain), "%s", domain);
	if (load_one(d, c, DKIM_RSA_SHA256, c->dkim_selector,
	    c->dkim_key_file, "selector", "[dkim] key_file") == -1 ||
	    (c->dkim_ed25519_key_file != NULL && load_one(d, c,
	    DKIM_ED25519_SHA256, c->dkim_ed25519_selector,
	    c->dkim_ed25519_key_file, "ed25519_selector",
	    "[dkim] ed25519_key_file") == -1)) {
		dkim_release(d);
		return -1;
	}
	return 1;
}

void
dkim_print_record(const char *selector, const char *domain,
    const char *text)
{
	size_t n = strlen(text), i;

	printf("%s._domainkey.%s. IN TXT (", selector, domain);
	for (i = 0; i < n; i += 250)
		printf("\n    \"%.*s\"", (int)(n - i < 250 ? n - i : 250),
		    text + i);
	printf(" )\n");
}
