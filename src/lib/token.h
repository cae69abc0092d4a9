/*
 * token: the per-recipient tokens in reply+TOKEN@, bounce+TOKEN@ and
 * unsubscribe links. A token names what it is about (a kind letter and
 * one or two ids) and carries an HMAC-SHA256 of that, keyed with the
 * secret file of the config, cut to 80 bits and written in base32: only
 * a-z, 0-9 and '-', safe in a URL and in an address's local part.
 * Checking recomputes the HMAC and compares in constant time; any
 * altered character fails.
 *
 *   d<delivery>-<mac>            a delivery of a blast
 *   m<list>x<subscriber>-<mac>   a membership (render, with no blast)
 */
#ifndef TOCSIN_TOKEN_H
#define TOCSIN_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_KEY_MIN	32
#define TOKEN_KEY_MAX	1024
#define TOKEN_MAX	64	/* with the NUL */

struct token_key {
	unsigned char	bytes[TOKEN_KEY_MAX];
	size_t		len;
};

/*
 * Reads the secret from `path`: at least 32 bytes, in a file only its
 * owner may read or write. 0, or -1 logged as a config failure: there
 * is never a default key.
 */
int	token_key_load(struct token_key *k, const char *path);
/* Wipes the key. */
void	token_key_release(struct token_key *k);

/* Writes the token for (kind, a, b); b is 0 for one-id kinds. */
void	token_make(const struct token_key *k, char kind, uint64_t a,
	    uint64_t b, char out[TOKEN_MAX]);

/*
 * Checks a token of `len` bytes. 1 and the ids if it is genuine, else 0.
 */
int	token_check(const struct token_key *k, const char *token, size_t len,
	    char *kind, uint64_t *a, uint64_t *b);

#endif
