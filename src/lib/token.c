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
	if (fstat(fd, &sb) == -1) {
		log_warn("cannot read the secret file '%s'", path);
		goto fail_fd;
	}
	if (!S_ISREG(sb.st_mode)) {
		log_warnx("secret file '%s' is not a file (a directory?): make "
		    "one with 'head -c 32 /dev/urandom > FILE'", path);
		goto fail_fd;
	}
	if ((sb.st_mode & 077) != 0) {
		log_warnx("secret file '%s' may be read by others: chmod "
		    "600 it", path);
		goto fail_fd;
	}
	n = read(fd, k->bytes, sizeof(k->bytes));
	if (n == -1) {
		log_warn("cannot read the secret file '%s'", path);
		goto fail_fd;
	}
	if (n < TOKEN_KEY_MIN) {
		log_warnx("secret file '%s' holds fewer than %d bytes: make "
		    "one with 'head -c 32 /dev/urandom > %s'", path,
		    TOKEN_KEY_MIN, path);
		goto fail_fd;
	}
	k->len = (size_t)n;
	hmac_sha256_set_key(&k->keyed, k->len, k->bytes);
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

/* The payload the MAC covers: "d42", "m3x1042", "ud42", "bm3x1042". */
static size_t
payload(char *out, size_t outsize, const struct token_ids *t)
{
	char p[2] = { (char)t->purpose, '\0' };
	int n;

	if (t->kind == 'm')
		n = snprintf(out, outsize, "%s%c%llux%llu", p, t->kind,
		    (unsigned long long)t->a, (unsigned long long)t->b);
	else
		n = snprintf(out, outsize, "%s%c%llu", p, t->kind,
		    (unsigned long long)t->a);
	return n > 0 ? (size_t)n : 0;
}

/*
 * Domain separation: these MACs are tokens and nothing else, and a
 * token with a purpose can never check as a legacy one or the reverse.
 */
static void
mac_of(const struct token_key *k, int legacy, const char *p, size_t len,
    char out[TOKEN_MAC_CHARS])
{
	struct hmac_sha256_ctx ctx = k->keyed;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t i, bit;

	hmac_sha256_update(&ctx, 16, (const uint8_t *)(legacy ?
	    "tocsin-token-v1:" : "tocsin-token-v2:"));
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

static void
make(const struct token_key *k, const struct token_ids *t,
    char out[TOKEN_MAX])
{
	char mac[TOKEN_MAC_CHARS];
	size_t n = payload(out, TOKEN_MAX - TOKEN_MAC_CHARS - 2, t);

	mac_of(k, t->purpose == TOKEN_LEGACY, out, n, mac);
	out[n] = '-';
	memcpy(out + n + 1, mac, TOKEN_MAC_CHARS);
	out[n + 1 + TOKEN_MAC_CHARS] = '\0';
}

void
token_make(const struct token_key *k, enum token_purpose purpose, char kind,
    uint64_t a, uint64_t b, char out[TOKEN_MAX])
{
	struct token_ids t = { purpose, kind, a, kind == 'm' ? b : 0 };

	if (purpose == TOKEN_LEGACY)
		BUG("a new token without a purpose");
	make(k, &t, out);
}

void
token_make_legacy(const struct token_key *k, char kind, uint64_t a,
    uint64_t b, char out[TOKEN_MAX])
{
	struct token_ids t = { TOKEN_LEGACY, kind, a, kind == 'm' ? b : 0 };

	make(k, &t, out);
}

const char *
token_purpose_name(enum token_purpose p)
{
	switch (p) {
	case TOKEN_BOUNCE:
		return "bounce";
	case TOKEN_REPLY:
		return "reply";
	case TOKEN_UNSUBSCRIBE:
		return "unsubscribe";
	case TOKEN_SIGN:
		return "sign";
	case TOKEN_CONFIRM:
		return "confirm";
	case TOKEN_FORM:
		return "form";
	case TOKEN_LEGACY:
		break;
	}
	return "legacy";
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

static int
is_purpose(char c)
{
	return c == TOKEN_BOUNCE || c == TOKEN_REPLY ||
	    c == TOKEN_UNSUBSCRIBE || c == TOKEN_SIGN || c == TOKEN_CONFIRM ||
	    c == TOKEN_FORM;
}

/* Reads "[p]d42" or "[p]m3x1042" up to the dash; 0 or -1. */
static int
parse_ids(const char *token, const char *dash, struct token_ids *t)
{
	const char *p = token;

	memset(t, 0, sizeof(*t));
	/* A purpose letter, then a kind; a legacy token starts with its
	 * kind, followed by a digit. */
	if (is_purpose(p[0]) && (p[1] == 'd' || p[1] == 'm'))
		t->purpose = (enum token_purpose)*p++;
	t->kind = *p++;
	if ((t->kind != 'd' && t->kind != 'm') || parse_id(&p, dash, &t->a))
		return -1;
	if (t->kind == 'm' && (p == dash || *p++ != 'x' ||
	    parse_id(&p, dash, &t->b) == -1))
		return -1;
	return p == dash ? 0 : -1;
}

int
token_check(const struct token_key *k, const char *token, size_t len,
    struct token_ids *ids)
{
	char want[TOKEN_MAC_CHARS], again[TOKEN_MAX];
	const char *dash;
	struct token_ids t;

	memset(ids, 0, sizeof(*ids));
	if (len < 3 + TOKEN_MAC_CHARS || len >= TOKEN_MAX)
		return 0;
	dash = token + len - TOKEN_MAC_CHARS - 1;
	if (*dash != '-' || parse_ids(token, dash, &t) == -1)
		return 0;
	/* The ids must read back to exactly this payload. */
	if (payload(again, sizeof(again), &t) != (size_t)(dash - token) ||
	    memcmp(again, token, (size_t)(dash - token)) != 0)
		return 0;
	mac_of(k, t.purpose == TOKEN_LEGACY, token, (size_t)(dash - token),
	    want);
	if (!memeql_sec(want, dash + 1, TOKEN_MAC_CHARS))
		return 0;
	*ids = t;
	return 1;
}
