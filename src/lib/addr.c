/* addr: email address check and normalisation (see addr.h). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <uninorm.h>

#include "addr.h"
#include "utf8.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 5322 atext: the characters of a dot-atom besides the dots. */
static int
is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80)
		return 1;
	return strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL && c != '\0';
}

static const char *
check_chars(const char *s, size_t len)
{
	size_t i, n;

	for (i = 0; i < len; i += n) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		if (c == ' ')
			return "contains a space";
		n = utf8_seq_len((const unsigned char *)s + i, len - i);
		if (n == 0)
			return "is not valid UTF-8";
	}
	return NULL;
}

static const char *
check_local(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return "nothing before the '@'";
	if (len > ADDR_LOCAL_MAX)
		return "the part before the '@' is longer than 64 bytes";
	if (s[0] == '.' || s[len - 1] == '.')
		return "the part before the '@' starts or ends with a dot";
	for (i = 0; i < len; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return "two dots in a row";
		if (s[i] != '.' && !is_atext((unsigned char)s[i]))
			return "a character not allowed before the '@'";
	}
	return NULL;
}

static const char *
check_label(const char *s, size_t len, int last)
{
	size_t i, digits = 0;

	if (len == 0)
		return "an empty part in the domain";
	if (len > ADDR_LABEL_MAX)
		return "a part of the domain is longer than 63 bytes";
	if (s[0] == '-' || s[len - 1] == '-')
		return "a part of the domain starts or ends with '-'";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			digits++;
		else if (!(c >= 0x80 || c == '-' || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z')))
			return "a character not allowed in the domain";
	}
	if (last && digits == len)
		return "the domain ends in a number";
	return NULL;
}

static const char *
check_domain(const char *s, size_t len)
{
	const char *label = s, *dot, *why, *end = s + len;

	if (len == 0)
		return "nothing after the '@'";
	if (s[0] == '[')
		return "address literals are not accepted";
	if (memchr(s, '.', len) == NULL)
		return "the domain has no dot";
	if (len > ADDR_MAX_LEN)
		return "the domain is too long";
	for (;;) {
		dot = memchr(label, '.', (size_t)(end - label));
		if (dot == NULL)
			return check_label(label, (size_t)(end - label), 1);
		why = check_label(label, (size_t)(dot - label), 0);
		if (why != NULL)
			return why;
		label = dot + 1;
	}
}

static const char *
addr_check(const char *src, size_t len)
{
	const char *at, *why;
	size_t local_len;

	if (len == 0)
		return "empty";
	if (len > ADDR_MAX_LEN)
		return "longer than 254 bytes";
	if (memchr(src, '\0', len) != NULL)
		return "contains a NUL byte";
	why = check_chars(src, len);
	if (why != NULL)
		return why;
	at = memchr(src, '@', len);
	if (at == NULL)
		return "no '@'";
	local_len = (size_t)(at - src);
	if (memchr(at + 1, '@', len - local_len - 1) != NULL)
		return "more than one '@'";
	why = check_local(src, local_len);
	if (why != NULL)
		return why;
	return check_domain(at + 1, len - local_len - 1);
}

static int
is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* IDNA2008 as browsers and mail servers apply it (UTS #46 mapping). */
#define IDN_FLAGS (IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL)

/*
 * An address with UTF-8 in it: NFC, so that "José" typed two ways is
 * one person, and a non-ASCII domain in its canonical U-label form,
 * checked by turning it into its A-label (which must fit as well).
 */
static int
normalise_utf8(const char *src, size_t srclen, char *out, const char **why)
{
	uint8_t nfc[2 * ADDR_MAX_LEN + 1], *r;
	char domain[2 * ADDR_MAX_LEN + 1], *ace = NULL, *ulabel = NULL;
	size_t n = sizeof(nfc) - 1, local_len, i;
	const char *at;
	int rc;

	r = u8_normalize(UNINORM_NFC, (const uint8_t *)src, srclen, nfc, &n);
	if (r == NULL || r != nfc) {
		free(r != nfc ? r : NULL);
		*why = "cannot be normalised (NFC)";
		return -1;
	}
	at = memchr(nfc, '@', n);
	local_len = (size_t)(at - (const char *)nfc);
	memcpy(domain, at + 1, n - local_len - 1);
	domain[n - local_len - 1] = '\0';
	if (is_ascii(domain, strlen(domain))) {
		for (i = 0; domain[i] != '\0'; i++)
			if (domain[i] >= 'A' && domain[i] <= 'Z')
				domain[i] = (char)(domain[i] - 'A' + 'a');
	} else {
		rc = idn2_to_ascii_8z(domain, &ace, IDN_FLAGS);
		if (rc != IDN2_OK) {
			*why = "the domain is not a valid internationalised "
			    "domain name (IDNA2008)";
			return -1;
		}
		if (local_len + 1 + strlen(ace) > ADDR_MAX_LEN) {
			idn2_free(ace);
			*why = "longer than 254 bytes with its domain in ASCII";
			return -1;
		}
		rc = idn2_to_unicode_8z8z(ace, &ulabel, 0);
		idn2_free(ace);
		if (rc != IDN2_OK) {
			*why = "the domain is not a valid internationalised "
			    "domain name (IDNA2008)";
			return -1;
		}
		snprintf(domain, sizeof(domain), "%s", ulabel);
		idn2_free(ulabel);
	}
	if (local_len > ADDR_LOCAL_MAX) {
		*why = "the part before '@' is longer than 64 bytes";
		return -1;
	}
	if (local_len + 1 + strlen(domain) > ADDR_MAX_LEN) {
		*why = "longer than 254 bytes";
		return -1;
	}
	memcpy(out, nfc, local_len);
	out[local_len] = '@';
	memcpy(out + local_len + 1, domain, strlen(domain) + 1);
	return 0;
}

int
addr_normalise(const char *src, size_t srclen, char *out, const char **why)
{
	size_t i;
	int in_domain = 0;

	while (srclen > 0 && is_space(src[0]))
		src++, srclen--;
	while (srclen > 0 && is_space(src[srclen - 1]))
		srclen--;
	*why = addr_check(src, srclen);
	if (*why != NULL)
		return -1;
	if (!is_ascii(src, srclen))
		return normalise_utf8(src, srclen, out, why);
	for (i = 0; i < srclen; i++) {
		char c = src[i];

		if (c == '@')
			in_domain = 1;
		else if (in_domain && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[i] = c;
	}
	out[srclen] = '\0';
	return 0;
}

int
addr_local_is_ascii(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return is_ascii(addr, at != NULL ? (size_t)(at - addr) : strlen(addr));
}

int
addr_ascii_domain(const char *addr, char *out, const char **why)
{
	const char *at = strrchr(addr, '@');
	size_t local_len;
	char *ace;

	if (at == NULL || is_ascii(at + 1, strlen(at + 1))) {
		snprintf(out, ADDR_MAX_LEN + 1, "%s", addr);
		return 0;
	}
	local_len = (size_t)(at - addr);
	if (idn2_to_ascii_8z(at + 1, &ace, IDN_FLAGS) != IDN2_OK) {
		*why = "the domain is not a valid internationalised domain "
		    "name (IDNA2008)";
		return -1;
	}
	if (local_len + 1 + strlen(ace) > ADDR_MAX_LEN) {
		idn2_free(ace);
		*why = "longer than 254 bytes with its domain in ASCII";
		return -1;
	}
	memcpy(out, addr, local_len + 1);
	memcpy(out + local_len + 1, ace, strlen(ace) + 1);
	idn2_free(ace);
	return 0;
}

const char *
addr_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL ? at + 1 : "";
}

int
addr_parse_mailbox(const char *s, char *name, char *addr, const char **why)
{
	const char *lt = strchr(s, '<'), *gt, *p;
	size_t namelen;

	name[0] = '\0';
	if (lt == NULL)
		return addr_normalise(s, strlen(s), addr, why);
	gt = strchr(lt, '>');
	if (gt == NULL || gt[strspn(gt + 1, " \t") + 1] != '\0') {
		*why = "write it as \"Name <address>\"";
		return -1;
	}
	if (addr_normalise(lt + 1, (size_t)(gt - lt - 1), addr, why) == -1)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	namelen = (size_t)(lt - s);
	while (namelen > 0 && (s[namelen - 1] == ' ' || s[namelen - 1] == '\t'))
		namelen--;
	if (namelen >= 2 && s[0] == '"' && s[namelen - 1] == '"')
		s++, namelen -= 2;
	if (namelen > ADDR_NAME_MAX) {
		*why = "the name is longer than 100 bytes";
		return -1;
	}
	for (p = s; p < s + namelen; p++) {
		if ((unsigned char)*p < 0x20 || *p == '"' || *p == '<' ||
		    *p == '>' || *p == 0x7f) {
			*why = "the name has a control character, a quote or "
			    "an angle bracket";
			return -1;
		}
	}
	if (!utf8_is_valid(s, namelen)) {
		*why = "the name is not UTF-8";
		return -1;
	}
	memcpy(name, s, namelen);
	name[namelen] = '\0';
	return 0;
}

/* What may stand before and after the @ of an address in text. */
static int
is_local_char(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("._%+-=!#$&'*/?^`{|}~", c)
	    != NULL) || c >= 0x80;
}

static int
is_domain_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-' || c >= 0x80;
}

const char *
addr_find_next(const char *s, size_t len, char *out, const char **at)
{
	const char *end = s + len, *p = s;

	while ((p = memchr(p, '@', (size_t)(end - p))) != NULL) {
		const char *l = p, *r = p + 1;
		size_t n, i;
		int dots = 0;

		while (l > s && is_local_char((unsigned char)l[-1]))
			l--;
		while (l < p && (*l == '.' || *l == '\'' || *l == '/'))
			l++;
		while (r < end && is_domain_char((unsigned char)*r)) {
			dots += *r == '.';
			r++;
		}
		while (r > p + 1 && (r[-1] == '.' || r[-1] == '-')) {
			dots -= r[-1] == '.';
			r--;
		}
		n = (size_t)(r - l);
		if (l == p || dots == 0 || n > ADDR_MAX_LEN ||
		    (size_t)(p - l) > ADDR_LOCAL_MAX) {
			p++;
			continue;
		}
		for (i = 0; i < n; i++)
			out[i] = (char)tolower((unsigned char)l[i]);
		out[n] = '\0';
		if (at != NULL)
			*at = l;
		return r;
	}
	return NULL;
}
