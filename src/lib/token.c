/* token: HMAC tokens (see token.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "log.h"
#include "token.h"

#define TOKEN_MAC_BYTES	10	/* 80 bits: 16 base32 characters */
#define TOKEN_MAC_CHARS	16

static const char base32[] = "abcdefghijklmnopqrstuvwxyz234567";

int
token_key_load(struct token_key *k, const char *path)
{
	struct stat sb;
	ssize_t n;
	int fd;

	memset(k, 0, sizeof(*k));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		log_warn("cannot open the secret file '%s' ([sender] "
		    "secret_file)", path);
		goto fail;
	}
	if (fstat(fd, &sb) == -1 || (sb.st_mode & 077) != 0) {
		log_warnx("secret file '%s' may be read by others: chmod 600 "
		    "it", path);
		goto fail_fd;
	}
	n = read(fd, k->bytes, sizeof(k->bytes));
	if (n < TOKEN_KEY_MIN) {
		log_warnx("secret file '%s' holds fewer than %d bytes: make "
		    "one with 'head -c 32 /dev/urandom > %s'", path,
		    TOKEN_KEY_MIN, path);
		goto fail_fd;
	}
	k->len = (size_t)n;
	close(fd);
	return 0;
fail_fd:
	close(fd);
fail:
	token_key_release(k);
	fail_set(FAIL_CONFIG);
	return -1;
}

void
token_key_release(struct token_key *k)
{
	explicit_bzero(k, sizeof(*k));
}

/* The payload the MAC covers: "d42", "m3x1042". */
static size_t
payload(char *out, size_t outsize, char kind, uint64_t a, uint64_t b)
{
	int n;

	if (kind == 'm')
		n = snprintf(out, outsize, "%c%llux%llu", kind,
		    (unsigned long long)a, (unsigned long long)b);
	else
		n = snprintf(out, outsize, "%c%llu", kind,
		    (unsigned long long)a);
	return n > 0 ? (size_t)n : 0;
}

static void
mac_of(const struct token_key *k, const char *p, size_t len,
    char out[TOKEN_MAC_CHARS])
{
	struct hmac_sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t i, bit;

	hmac_sha256_set_key(&ctx, k->len, k->bytes);
	/* Domain separation: these MACs are tokens and nothing else. */
	hmac_sha256_update(&ctx, 16, (const uint8_t *)"tocsin-token-v1:");
	hmac_sha256_update(&ctx, len, (const uint8_t *)p);
	hmac_sha256_digest(&ctx, sizeof(digest), digest);
	for (i = 0; i < TOKEN_MAC_CHARS; i++) {
		bit = i * 5;
		out[i] = base32[((digest[bit / 8] << 8 | digest[bit / 8 + 1]) >>
		    (11 - bit % 8)) & 31];
	}
	explicit_bzero(&ctx, sizeof(ctx));
	explicit_bzero(digest, sizeof(digest));
}

void
token_make(const struct token_key *k, char kind, uint64_t a, uint64_t b,
    char out[TOKEN_MAX])
{
	char mac[TOKEN_MAC_CHARS];
	size_t n = payload(out, TOKEN_MAX - TOKEN_MAC_CHARS - 2, kind, a, b);

	mac_of(k, out, n, mac);
	out[n] = '-';
	memcpy(out + n + 1, mac, TOKEN_MAC_CHARS);
	out[n + 1 + TOKEN_MAC_CHARS] = '\0';
}

static int
parse_id(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;

	*v = 0;
	/* Up to 18 digits: no overflow, and no leading zeros. */
	if (s == end || *s < '0' || *s > '9' || (*s == '0' && s + 1 < end &&
	    s[1] >= '0' && s[1] <= '9'))
		return -1;
	for (; s < end && *s >= '0' && *s <= '9' && s - *p < 18; s++)
		*v = *v * 10 + (uint64_t)(*s - '0');
	*p = s;
	return 0;
}

int
token_check(const struct token_key *k, const char *token, size_t len,
    char *kind, uint64_t *a, uint64_t *b)
{
	const char *p = token + 1, *end = token + len, *dash;
	char want[TOKEN_MAC_CHARS], again[TOKEN_MAX];

	*b = 0;
	if (len < 3 + TOKEN_MAC_CHARS || len >= TOKEN_MAX)
		return 0;
	*kind = token[0];
	dash = end - TOKEN_MAC_CHARS - 1;
	if ((*kind != 'd' && *kind != 'm') || *dash != '-' ||
	    parse_id(&p, dash, a) == -1)
		return 0;
	if (*kind == 'm' && (p == dash || *p++ != 'x' ||
	    parse_id(&p, dash, b) == -1))
		return 0;
	if (p != dash)
		return 0;
	/* The ids must read back to exactly this payload. */
	if (payload(again, sizeof(again), *kind, *a, *b) !=
	    (size_t)(dash - token) || memcmp(again, token, (size_t)(dash -
	    token)) != 0)
		return 0;
	mac_of(k, token, (size_t)(dash - token), want);
	return memeql_sec(want, dash + 1, TOKEN_MAC_CHARS);
}
