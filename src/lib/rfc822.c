/* rfc822: "Name: value" blocks (see rfc822.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "rfc822.h"
#include "xalloc.h"

void
rfc822_fields_init(struct rfc822_fields *f)
{
	memset(f, 0, sizeof(*f));
}

void
rfc822_fields_release(struct rfc822_fields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* Length of the line at p, without its LF or CRLF; *next is past it. */
static size_t
line_at(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n;

	if (nl == NULL) {
		*next = end;
		n = (size_t)(end - p);
	} else {
		*next = nl + 1;
		n = (size_t)(nl - p);
	}
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n;
}

static int
is_field_name_char(unsigned char c)
{
	return c > 32 && c < 127 && c != ':';
}

/* Length of the name of a field line, or 0 if it is not one. */
static size_t
field_name_len(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && is_field_name_char((unsigned char)p[i]))
		i++;
	if (i == 0)
		return 0;
	/* Tolerate "Name :" as old mailers write it. */
	while (i < n && p[i] == ' ')
		i++;
	return i < n && p[i] == ':' ? i : 0;
}

static void
add_field(struct rfc822_fields *f, const char *name, size_t nlen,
    struct buf *value)
{
	size_t vlen = value->len;
	const char *v = buf_cstr(value);

	while (nlen > 0 && name[nlen - 1] == ' ')
		nlen--;
	while (vlen > 0 && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	while (vlen > 0 && isspace((unsigned char)*v)) {
		v++;
		vlen--;
	}
	if (f->n == RFC822_FIELDS_MAX)
		return;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	f->v[f->n].name = xstrndup(name, nlen);
	f->v[f->n].value = xstrndup(v, vlen);
	f->n++;
}

/*
 * (A value over RFC822_VALUE_MAX is kept cut, as rfc822.h says: the
 * buf's failed is reset with the next field, never an error here.)
 */
size_t
rfc822_fields_parse(struct rfc822_fields *f, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *next, *name = NULL;
	size_t n, nlen = 0;
	struct buf value;

	buf_init(&value, RFC822_VALUE_MAX);
	/* Blank lines before a block (between DSN blocks) are not its end. */
	while (p < end && line_at(p, end, &next) == 0)
		p = next;
	while (p < end) {
		n = line_at(p, end, &next);
		if (n == 0) {
			p = next;
			break;
		}
		if ((*p == ' ' || *p == '\t') && name != NULL) {
			(void)buf_putc(&value, ' ');
			(void)buf_append(&value, p, n);
		} else {
			size_t k = field_name_len(p, n);

			if (k == 0)
				break;
			if (name != NULL)
				add_field(f, name, nlen, &value);
			buf_reset(&value);
			name = p;
			nlen = k;
			(void)buf_append(&value, p + k + 1, n - k - 1);
		}
		p = next;
	}
	if (name != NULL)
		add_field(f, name, nlen, &value);
	buf_release(&value);
	return (size_t)(p - text);
}

const char *
rfc822_get(const struct rfc822_fields *f, const char *name)
{
	size_t i;

	/* The first letters first: most fields differ there. */
	for (i = 0; i < f->n; i++)
		if (((f->v[i].name[0] ^ name[0]) & ~0x20) == 0 &&
		    strcasecmp(f->v[i].name, name) == 0)
			return f->v[i].value;
	return NULL;
}
