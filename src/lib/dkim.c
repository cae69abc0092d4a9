/* dkim: signing a message (see dkim.h). */
#include <stdio.h>
#include <string.h>

#include <nettle/base64.h>
#include <nettle/sha2.h>

#include "dkim.h"
#include "log.h"

/*
 * What a signature covers, in h= order. The oversigned names are
 * listed once more than the message has them, which signs their
 * absence: no one on the way can add a second From, Subject or
 * unsubscribe header that a reader or a mailbox provider would believe.
 */
struct signed_header {
	const char	*name;
	int		 oversign;
};

static const struct signed_header signed_headers[] = {
	{ "from", 1 },
	{ "to", 0 },
	{ "subject", 1 },
	{ "date", 0 },
	{ "message-id", 0 },
	{ "reply-to", 0 },
	{ "list-id", 0 },
	{ "list-unsubscribe", 1 },
	{ "list-unsubscribe-post", 1 },
	{ "feedback-id", 0 },
	{ "auto-submitted", 0 },
	{ "precedence", 0 },
	{ "mime-version", 0 },
	{ "content-type", 0 },
	{ "content-transfer-encoding", 0 },
};

#define NSIGNED (sizeof(signed_headers) / sizeof(signed_headers[0]))

/* More header fields than this and the rest are not signed. */
#define FIELDS_MAX	64
#define SIG_HEADER_MAX	2048

/* One header field as it stands: "Name: value\r\n", folds and all. */
struct field {
	const char	*p;
	size_t		 len;
	size_t		 namelen;
};

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Bytes hashed a piece at a time. */
struct hashed {
	struct sha256_ctx	*h;
	char			 out[512];
	size_t			 n;
};

static void
put(struct hashed *o, char c)
{
	if (o->n == sizeof(o->out)) {
		sha256_update(o->h, o->n, (const uint8_t *)o->out);
		o->n = 0;
	}
	o->out[o->n++] = c;
}

static void
flush(struct hashed *o)
{
	sha256_update(o->h, o->n, (const uint8_t *)o->out);
	o->n = 0;
}

/*
 * Relaxed header canonicalisation (RFC 6376 3.4.2): the name in lower
 * case, the value unfolded, each run of white space one space, none at
 * either end of the value, no space around the colon. With `crlf` the
 * line end follows.
 */
static void
canon_header(struct sha256_ctx *h, const char *p, size_t len, int crlf)
{
	struct hashed o = { h, { 0 }, 0 };
	size_t i, namelen;
	int started = 0, space = 0;

	while (len >= 2 && p[len - 2] == '\r' && p[len - 1] == '\n')
		len -= 2;
	for (namelen = 0; namelen < len && p[namelen] != ':'; namelen++)
		;
	for (i = namelen; i > 0 && is_wsp(p[i - 1]); i--)
		;
	for (size_t k = 0; k < i; k++)
		put(&o, lower(p[k]));
	put(&o, ':');
	for (i = namelen + 1; i < len; i++) {
		if (p[i] == '\r' || p[i] == '\n')
			continue;	/* unfolding */
		if (is_wsp(p[i])) {
			space = 1;
			continue;
		}
		if (space && started)
			put(&o, ' ');
		space = 0;
		started = 1;
		put(&o, p[i]);
	}
	if (crlf) {
		put(&o, '\r');
		put(&o, '\n');
	}
	flush(&o);
}

/*
 * Relaxed body canonicalisation (RFC 6376 3.4.4): no white space at a
 * line's end, each run of it one space, no empty lines at the end.
 */
static void
body_hash(const char *p, size_t len, uint8_t digest[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx h;
	struct hashed o = { &h, { 0 }, 0 };
	size_t i = 0, start, end, empty = 0;
	int space;

	sha256_init(&h);
	while (i < len) {
		start = i;
		while (i < len && !(p[i] == '\r' && i + 1 < len &&
		    p[i + 1] == '\n'))
			i++;
		end = i;
		i = i < len ? i + 2 : i;
		while (end > start && is_wsp(p[end - 1]))
			end--;
		if (end == start) {
			empty++;
			continue;
		}
		for (; empty > 0; empty--) {
			put(&o, '\r');
			put(&o, '\n');
		}
		for (space = 0; start < end; start++) {
			if (is_wsp(p[start])) {
				space = 1;
				continue;
			}
			if (space)
				put(&o, ' ');
			space = 0;
			put(&o, p[start]);
		}
		put(&o, '\r');
		put(&o, '\n');
	}
	flush(&o);
	sha256_digest(&h, SHA256_DIGEST_SIZE, digest);
}

/* The header fields from `p` to the empty line; -1 if there is none. */
static int
split_fields(const char *p, size_t len, struct field *f, size_t *nf,
    size_t *body)
{
	size_t i = 0, n = 0;

	while (i + 1 < len) {
		if (p[i] == '\r' && p[i + 1] == '\n') {
			*nf = n;
			*body = i + 2;
			return 0;
		}
		if (n == FIELDS_MAX)
			return -1;
		f[n].p = p + i;
		for (f[n].namelen = 0; i + f[n].namelen < len &&
		    p[i + f[n].namelen] != ':'; f[n].namelen++)
			;
		/* to the CRLF not followed by white space */
		while (i + 1 < len && !(p[i] == '\r' && p[i + 1] == '\n' &&
		    (i + 2 >= len || !is_wsp(p[i + 2]))))
			i++;
		i += 2;
		f[n].len = (size_t)(p + i - f[n].p);
		n++;
	}
	return -1;
}

static int
field_is(const struct field *f, const char *name)
{
	size_t i, n = strlen(name);

	if (f->namelen != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower(f->p[i]) != name[i])
			return 0;
	return 1;
}

/*
 * h=, folded, with each name as often as the message has it (+1); the
 * caller checks out->failed.
 */
static void
signed_list(struct buf *out, const struct field *f, size_t nf,
    const char *used[], size_t *nused)
{
	size_t i, k, count, line = 3;
	int times;

	*nused = 0;
	(void)buf_puts(out, "h=");
	for (i = 0; i < NSIGNED; i++) {
		for (count = 0, k = 0; k < nf; k++)
			count += field_is(&f[k], signed_headers[i].name);
		for (times = (int)count + signed_headers[i].oversign;
		    times > 0; times--) {
			size_t n = strlen(signed_headers[i].name);

			if (*nused > 0) {
				(void)buf_putc(out, ':');
				line++;
			}
			if (line + n > 70) {
				(void)buf_puts(out, "\r\n\t");
				line = 1;
			}
			(void)buf_puts(out, signed_headers[i].name);
			line += n;
			used[(*nused)++] = signed_headers[i].name;
		}
	}
	(void)buf_putc(out, ';');
}

/* The headers h= names, bottom-up for a repeated name (RFC 6376 5.4.2). */
static void
hash_signed(struct sha256_ctx *h, const struct field *f, size_t nf,
    const char *const used[], size_t nused)
{
	unsigned char taken[FIELDS_MAX];
	size_t i, k;

	memset(taken, 0, sizeof(taken));
	for (i = 0; i < nused; i++) {
		for (k = nf; k > 0; k--)
			if (!taken[k - 1] && field_is(&f[k - 1], used[i]))
				break;
		if (k == 0)
			continue;	/* an oversigned absence: nothing */
		taken[k - 1] = 1;
		canon_header(h, f[k - 1].p, f[k - 1].len, 1);
	}
}

/* Puts `n` bytes at offset `at` of the buffer. */
static int
insert(struct buf *b, size_t at, const char *p, size_t n)
{
	size_t tail = b->len - at;

	if (buf_space(b, n) == NULL)
		return -1;
	memmove(b->data + at + n, b->data + at, tail + 1);
	memcpy(b->data + at, p, n);
	buf_advance(b, n);
	b->data[b->len] = '\0';
	return 0;
}

/* One DKIM-Signature field, ended by CRLF, appended to `out`. */
static int
sign_one(const struct dkim *d, const struct dkim_key *k, const char *bh,
    const struct field *f, size_t nf, time_t now, struct buf *out)
{
	const char *used[FIELDS_MAX + NSIGNED];
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx h;
	struct buf b64;
	size_t start = out->len, nused, i;
	int r;

	(void)buf_printf(out, "DKIM-Signature: v=1; a=%s; c=relaxed/relaxed;"
	    "\r\n\td=%s; s=%s; t=%lld;\r\n\t", k->alg == DKIM_RSA_SHA256 ?
	    "rsa-sha256" : "ed25519-sha256", d->domain, k->selector,
	    (long long)now);
	signed_list(out, f, nf, used, &nused);
	(void)buf_printf(out, "\r\n\tbh=%s;\r\n\tb=", bh);
	if (out->failed)
		return -1;
	sha256_init(&h);
	hash_signed(&h, f, nf, used, nused);
	canon_header(&h, out->data + start, out->len - start, 0);
	sha256_digest(&h, SHA256_DIGEST_SIZE, digest);
	buf_init(&b64, 1024);
	r = dkim_key_sign(k, digest, &b64);
	/* b= folded, 72 characters a line. */
	for (i = 0; r == 0 && i < b64.len; i += 72) {
		if (i > 0)
			(void)buf_puts(out, "\r\n\t");
		(void)buf_append(out, b64.data + i,
		    b64.len - i < 72 ? b64.len - i : 72);
	}
	buf_release(&b64);
	(void)buf_puts(out, "\r\n");
	return r == -1 || out->failed ? -1 : 0;
}

int
dkim_sign(const struct dkim *d, struct buf *msg, size_t at, time_t now)
{
	struct field f[FIELDS_MAX];
	uint8_t digest[SHA256_DIGEST_SIZE];
	char bh[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
	struct buf sig;
	size_t nf, body, i;
	int r = 0;

	if (d == NULL || d->nkeys == 0)
		return 0;
	if (msg->failed || split_fields(msg->data + at, msg->len - at, f, &nf,
	    &body) == -1)
		return -1;
	body_hash(msg->data + at + body, msg->len - at - body, digest);
	base64_encode_raw(bh, SHA256_DIGEST_SIZE, digest);
	bh[sizeof(bh) - 1] = '\0';
	buf_init(&sig, DKIM_KEYS_MAX * SIG_HEADER_MAX);
	for (i = 0; i < d->nkeys && r == 0; i++)
		r = sign_one(d, &d->keys[i], bh, f, nf, now, &sig);
	if (r == 0)
		r = insert(msg, at, sig.data, sig.len);
	buf_release(&sig);
	return r;
}

void
dkim_release(struct dkim *d)
{
	size_t i;

	for (i = 0; i < d->nkeys; i++)
		dkim_key_release(&d->keys[i]);
	memset(d, 0, sizeof(*d));
}
