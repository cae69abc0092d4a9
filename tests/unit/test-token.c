/* Unit tests for token: genuine tokens pass, every alteration fails. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "token.h"

static char dir[] = "/tmp/tocsin-token-XXXXXX";

static const char *
key_file(const char *name, const char *content, int mode)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1 || write(fd, content, strlen(content)) < 0 ||
	    fchmod(fd, (mode_t)mode) == -1 || close(fd) == -1)
		return "";
	return path;
}

static void
check_alterations(const struct token_key *k, const char *t)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789-x";
	char copy[TOKEN_MAX], kind;
	uint64_t a, b;
	size_t i, j, len = strlen(t);
	int accepted = 0, tries = 0;

	for (i = 0; i < len; i++) {
		for (j = 0; alphabet[j] != '\0'; j++) {
			if (alphabet[j] == t[i])
				continue;
			memcpy(copy, t, len + 1);
			copy[i] = alphabet[j];
			accepted += token_check(k, copy, len, &kind, &a, &b);
			tries++;
		}
	}
	tap_ok(accepted == 0, "all %d one-character changes of %s fail",
	    tries, t);
	tap_ok(!token_check(k, t, len - 1, &kind, &a, &b),
	    "a shortened token fails");
}

int
main(void)
{
	struct token_key k, other;
	char t[TOKEN_MAX], kind;
	uint64_t a, b;

	if (mkdtemp(dir) == NULL)
		return 1;
	tap_ok(token_key_load(&k, key_file("none", "", 0600)) == -1,
	    "an empty secret is refused");
	tap_ok(token_key_load(&k, key_file("short", "0123456789", 0600)) == -1,
	    "a short secret is refused");
	tap_ok(token_key_load(&k, key_file("open",
	    "0123456789abcdef0123456789abcdef", 0644)) == -1,
	    "a secret others can read is refused");
	tap_ok(token_key_load(&k, "/nonexistent/secret") == -1,
	    "a missing secret is refused");
	tap_ok(token_key_load(&k, key_file("good",
	    "0123456789abcdef0123456789abcdef", 0600)) == 0,
	    "a private 32-byte secret loads");
	token_key_load(&other, key_file("other",
	    "0123456789abcdef0123456789abcdeF", 0600));

	token_make(&k, 'd', 123456, 0, t);
	tap_ok(strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(t),
	    "a token is URL- and local-part-safe: %s", t);
	tap_ok(token_check(&k, t, strlen(t), &kind, &a, &b) == 1 &&
	    kind == 'd' && a == 123456, "a delivery token checks");
	tap_ok(!token_check(&other, t, strlen(t), &kind, &a, &b),
	    "another key rejects it");
	check_alterations(&k, t);
	token_make(&k, 'm', 3, 1042, t);
	tap_ok(token_check(&k, t, strlen(t), &kind, &a, &b) == 1 &&
	    kind == 'm' && a == 3 && b == 1042, "a membership token checks");
	check_alterations(&k, t);
	tap_ok(!token_check(&k, "d0123-aaaaaaaaaaaaaaaa", 22, &kind, &a, &b),
	    "leading zeros are refused");
	tap_ok(!token_check(&k, "", 0, &kind, &a, &b), "empty is refused");
	token_key_release(&k);
	token_key_release(&other);
	unlink(key_file("none", "", 0600));
	unlink(key_file("short", "", 0600));
	unlink(key_file("open", "", 0600));
	unlink(key_file("good", "", 0600));
	unlink(key_file("other", "", 0600));
	rmdir(dir);
	return tap_done();
}
