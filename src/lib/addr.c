/* addr: email address check and normalisation (see addr.h). */
#include <string.h>

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
