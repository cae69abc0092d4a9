/*
 * token: the per-recipient tokens in bounce+TOKEN@, reply+TOKEN@,
 * unsubscribe+TOKEN@, sign+TOKEN@ and the one-click unsubscribe link.
 * A token says what it is for (its purpose), what it is about (a kind
 * letter and one or two ids), and carries an HMAC-SHA256 of both, keyed
 * with the secret file of the config, cut to 80 bits and written in
 * base32: only a-z, 0-9 and '-', safe in a URL and in a local part.
 * Checking recomputes the HMAC and compares in constant time; any
 * altered character fails, and a token moved to another place (the
 * unsubscribe link's token written into a bounce+ address) names the
 * wrong purpose for that place, which the caller refuses.
 *
 *   <p>d<delivery>-<mac>            a delivery of a blast
 *   <p>m<list>x<subscriber>-<mac>   a membership (render, with no blast)
 *
 * where <p> is the purpose: b (the VERP bounce address), r (Reply-To),
 * u (unsubscribe: the mailto and the link), s (the sign mailto and
 * link), c (a confirmation link), f (a web form: m<action>x<hour>).
 *
 * Tokens before purposes (d<delivery>-<mac>, m<list>x<sub>-<mac>) are
 * still in mail people have; they check as legacy, with no purpose, and
 * the caller accepts them to unsubscribe only.
 */
#ifndef TOCSIN_TOKEN_H
#define TOCSIN_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/hmac.h>

#define TOKEN_KEY_MIN	32
#define TOKEN_KEY_MAX	1024
#define TOKEN_MAX	64	/* with the NUL */

struct token_key {
	unsigned char		bytes[TOKEN_KEY_MAX];
	size_t			len;
	/* The HMAC keyed once: a message carries several tokens, and
	 * keying hashes the key twice over for each. */
	struct hmac_sha256_ctx	keyed;
};

/*
 * Reads the secret from `path`: at least 32 bytes, in a file only its
 * owner may read or write. 0, or -1 logged as a config failure: there
 * is never a default key.
 */
int	token_key_load(struct token_key *k, const char *path);
/* Wipes the key. */
void	token_key_release(struct token_key *k);

enum token_purpose {
	TOKEN_LEGACY = 0,	/* made before purposes: unsubscribe only */
	TOKEN_BOUNCE = 'b',	/* bounce+: a DSN or a report returns it */
	TOKEN_REPLY = 'r',	/* reply+: the reader's own words */
	TOKEN_UNSUBSCRIBE = 'u', /* unsubscribe+ and the one-click link */
	TOKEN_SIGN = 's',	/* sign+, and the action page's sign link */
	TOKEN_CONFIRM = 'c',	/* a confirmation link (double opt-in) */
	TOKEN_FORM = 'f',	/* a page's form, against cross-site posts */
};

/* What a genuine token says. */
struct token_ids {
	enum token_purpose	purpose;
	char			kind;	/* 'd' a delivery, 'm' a membership */
	uint64_t		a;	/* the delivery, or the list */
	uint64_t		b;	/* the subscriber of an 'm'; else 0 */
};

/* Writes the token for (purpose, kind, a, b); b is 0 for 'd'. */
void	token_make(const struct token_key *k, enum token_purpose purpose,
	    char kind, uint64_t a, uint64_t b, char out[TOKEN_MAX]);

/* A token as tocsin made it before purposes, for the tests of old mail. */
void	token_make_legacy(const struct token_key *k, char kind, uint64_t a,
	    uint64_t b, char out[TOKEN_MAX]);

/*
 * Checks a token of `len` bytes. 1 and what it says if it is genuine
 * (a legacy token has purpose TOKEN_LEGACY), else 0.
 */
int	token_check(const struct token_key *k, const char *token, size_t len,
	    struct token_ids *ids);

/* "bounce", "reply", "unsubscribe", "sign", "legacy" */
const char *token_purpose_name(enum token_purpose p);

#endif
