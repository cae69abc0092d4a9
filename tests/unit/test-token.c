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
	char copy[TOKEN_MAX];
	struct token_ids ids;
	size_t i, j, len = strlen(t);
	int accepted = 0, tries = 0;

	for (i = 0; i < len; i++) {
		for (j = 0; alphabet[j] != '\0'; j++) {
			if (alphabet[j] == t[i])
				continue;
			memcpy(copy, t, len + 1);
			copy[i] = alphabet[j];
			accepted += token_check(k, copy, len, &ids);
			tries++;
		}
	}
	tap_ok(accepted == 0, "all %d one-character changes of %s fail",
	    tries, t);
	tap_ok(!token_check(k, t, len - 1, &ids), "a shortened token fails");
}

int
main(void)
{
	static const enum token_purpose purposes[] = { TOKEN_BOUNCE,
	    TOKEN_REPLY, TOKEN_UNSUBSCRIBE, TOKEN_SIGN };
	struct token_key k, other;
	struct token_ids ids;
	char t[TOKEN_MAX];
	size_t i;

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

	token_make(&k, TOKEN_UNSUBSCRIBE, 'd', 123456, 0, t);
	tap_ok(strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(t),
	    "a token is URL- and local-part-safe: %s", t);
	tap_ok(token_check(&k, t, strlen(t), &ids) == 1 && ids.kind == 'd' &&
	    ids.a == 123456 && ids.purpose == TOKEN_UNSUBSCRIBE,
	    "a delivery token checks, with its purpose");
	tap_ok(!token_check(&other, t, strlen(t), &ids),
	    "another key rejects it");
	check_alterations(&k, t);
	/* The purpose is inside the MAC: relabelling it fails. */
	for (i = 0; i < sizeof(purposes) / sizeof(purposes[0]); i++) {
		char moved[TOKEN_MAX];

		memcpy(moved, t, strlen(t) + 1);
		moved[0] = (char)purposes[i];
		if (purposes[i] == TOKEN_UNSUBSCRIBE)
			continue;
		tap_ok(!token_check(&k, moved, strlen(moved), &ids),
		    "an unsubscribe token relabelled '%c' fails: %s",
		    (char)purposes[i], moved);
	}
	tap_ok(!token_check(&k, t + 1, strlen(t) - 1, &ids),
	    "with its purpose cut off, it fails as a legacy token");
	token_make(&k, TOKEN_BOUNCE, 'm', 3, 1042, t);
	tap_ok(token_check(&k, t, strlen(t), &ids) == 1 && ids.kind == 'm' &&
	    ids.a == 3 && ids.b == 1042 && ids.purpose == TOKEN_BOUNCE,
	    "a membership token checks: %s", t);
	check_alterations(&k, t);
	/* Mail already out carries tokens made before purposes. */
	token_make_legacy(&k, 'd', 77, 0, t);
	tap_ok(token_check(&k, t, strlen(t), &ids) == 1 && ids.kind == 'd' &&
	    ids.a == 77 && ids.purpose == TOKEN_LEGACY,
	    "a legacy token checks, with no purpose: %s", t);
	check_alterations(&k, t);
	{
		char with[TOKEN_MAX];

		snprintf(with, sizeof(with), "u%s", t);
		tap_ok(!token_check(&k, with, strlen(with), &ids),
		    "a legacy token given a purpose fails: %s", with);
	}
	tap_ok(!token_check(&k, "ud0123-aaaaaaaaaaaaaaaa", 23, &ids),
	    "leading zeros are refused");
	tap_ok(!token_check(&k, "", 0, &ids), "empty is refused");
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
