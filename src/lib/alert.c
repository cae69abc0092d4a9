/* alert: alert template files and their merge data (see alert.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "addr.h"
#include "alert.h"
#include "fsx.h"
#include "log.h"
#include "xalloc.h"

#define ALERT_PART_MAX (8 * 1024 * 1024)

static char *
load_partial(void *arg, const char *name, size_t len, size_t *outlen)
{
	const char *dir = arg;
	char path[4096];
	char *src;
	int n;

	/* A partial's name is one file name beside the template. */
	if (!fsx_is_plain_name(name, len) || name[0] == '.')
		return NULL;
	n = snprintf(path, sizeof(path), "%s%.*s.mustache", dir, (int)len,
	    name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	src = fsx_read(path, MERGE_SOURCE_MAX, outlen);
	if (src == NULL && errno != ENOENT)
		log_warn("cannot read partial '%s'", path);
	return src;
}

struct merge_loader
alert_partial_loader(const char *dir)
{
	struct merge_loader l = { load_partial, (void *)(uintptr_t)dir };

	return l;
}

/* A compile error in a part, placed in the file. */
static int
compile_part(struct alert *a, struct mtemplate *t, const char *src,
    size_t len, unsigned line, unsigned col, const char *what)
{
	struct merge_error err;

	if (merge_compile(t, a->env, src, len, &err) == 0)
		return 0;
	if (err.partial[0] != '\0')
		log_warnx("%s%s.mustache:%u:%u: %s", a->dir, err.partial,
		    err.line, err.col, err.what);
	else
		log_warnx("%s:%u:%u: %s: %s", a->path, line + err.line - 1,
		    err.line == 1 ? col + err.col - 1 : err.col, what,
		    err.what);
	return -1;
}

static int
header_line(struct alert *a, const char *line, size_t len, unsigned lineno,
    char **subject, char **preheader)
{
	const char *colon = memchr(line, ':', len), *v;
	size_t nlen, vlen;
	char **dst;

	if (colon == NULL) {
		log_warnx("%s:%u: expected a header such as 'Subject: ...', "
		    "then a blank line before the text", a->path, lineno);
		return -1;
	}
	nlen = (size_t)(colon - line);
	v = colon + 1;
	vlen = len - nlen - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	if (nlen == 7 && strncasecmp(line, "Subject", 7) == 0) {
		dst = subject;
		a->subject_line = lineno;
	} else if (nlen == 9 && strncasecmp(line, "Preheader", 9) == 0) {
		dst = preheader;
		a->preheader_line = lineno;
	} else if (nlen == 4 && strncasecmp(line, "From", 4) == 0)
		dst = &a->from;
	else {
		/* Reply-To is not the template's: it is always the
		 * recipient's reply+TOKEN address, so replies can be read. */
		log_warnx("%s:%u: unknown header '%.*s' (an alert has Subject, "
		    "Preheader and From)", a->path, lineno,
		    (int)(nlen > 40 ? 40 : nlen), line);
		return -1;
	}
	if (*dst != NULL) {
		log_warnx("%s:%u: '%.*s' appears twice", a->path, lineno,
		    (int)nlen, line);
		return -1;
	}
	*dst = xstrndup(v, vlen);
	return 0;
}

/* The length of a line without its CR LF; *next: the line after. */
static size_t
line_at(const char *s, size_t len, size_t at, size_t *next)
{
	const char *nl = memchr(s + at, '\n', len - at);
	size_t end = nl != NULL ? (size_t)(nl - s) : len;

	*next = nl != NULL ? end + 1 : len;
	if (end > at && s[end - 1] == '\r')
		end--;
	return end - at;
}

/* Reads the header block; returns the offset of the text part. */
static int
read_headers(struct alert *a, const char *src, size_t len, size_t *body,
    unsigned *lineno, char **subject, char **preheader)
{
	size_t at = 0, next, n;

	for (*lineno = 1; at < len; (*lineno)++, at = next) {
		n = line_at(src, len, at, &next);
		if (n == 0) {
			*body = next;
			(*lineno)++;
			return 0;
		}
		if (header_line(a, src + at, n, *lineno, subject,
		    preheader) == -1)
			return -1;
	}
	log_warnx("%s: no blank line after the headers, so no text part",
	    a->path);
	return -1;
}

/* Finds the separator line; *html: where the HTML part starts. */
static size_t
text_end(const char *src, size_t len, size_t from, unsigned first_line,
    size_t *html, unsigned *html_line)
{
	size_t at = from, next, n, sep = strlen(ALERT_HTML_SEPARATOR);
	unsigned line = first_line;

	for (; at < len; at = next, line++) {
		n = line_at(src, len, at, &next);
		while (n > sep && (src[at + n - 1] == ' ' ||
		    src[at + n - 1] == '\t'))
			n--;
		if (n == sep &&
		    memcmp(src + at, ALERT_HTML_SEPARATOR, n) == 0) {
			*html = next;
			*html_line = line + 1;
			return at;
		}
	}
	*html = 0;
	return len;
}

static int
check_mailboxes(struct alert *a)
{
	char name[ADDR_NAME_MAX + 1], addr[ADDR_MAX_LEN + 1];
	const char *why;

	if (a->from != NULL && addr_parse_mailbox(a->from, name, addr,
	    &why) == -1) {
		log_warnx("%s: From '%.100s': %s", a->path, a->from, why);
		return -1;
	}
	return 0;
}

static int
compile_parts(struct alert *a, const char *src, size_t len, size_t body,
    const char *subject, const char *preheader)
{
	size_t html = 0, tend;

	tend = text_end(src, len, body, a->text_line, &html, &a->html_line);
	a->has_html = html != 0;
	if (compile_part(a, &a->subject, subject, strlen(subject),
	    a->subject_line, 10, "Subject") == -1 ||
	    compile_part(a, &a->text, src + body, tend - body, a->text_line, 1,
	    "text part") == -1)
		return -1;
	if (preheader != NULL) {
		a->has_preheader = 1;
		if (compile_part(a, &a->preheader, preheader,
		    strlen(preheader), a->preheader_line, 12,
		    "Preheader") == -1)
			return -1;
	}
	if (a->has_html && compile_part(a, &a->html, src + html, len - html,
	    a->html_line, 1, "HTML part") == -1)
		return -1;
	return 0;
}

/* Parses a template's text; on failure releases what it built. */
static int
alert_parse(struct alert *a, const char *src, size_t len)
{
	char *subject = NULL, *preheader = NULL;
	size_t body;
	int r = -1;

	if (read_headers(a, src, len, &body, &a->text_line, &subject,
	    &preheader) == 0) {
		if (subject == NULL)
			log_warnx("%s: no Subject header", a->path);
		else if (check_mailboxes(a) == 0 &&
		    compile_parts(a, src, len, body, subject, preheader) == 0)
			r = 0;
	}
	free(subject);
	free(preheader);
	if (r == -1) {
		fail_set(FAIL_DATA);
		/* a failed load leaves nothing to free */
		alert_release(a);
	}
	return r;
}

int
alert_load(struct alert *a, const char *path)
{
	struct merge_loader loader;
	size_t len;
	char *src;
	int r;

	memset(a, 0, sizeof(*a));
	a->path = xstrdup(path);
	a->dir = fsx_dirname(path);
	loader = alert_partial_loader(a->dir);
	a->env = merge_env_new(&loader);
	src = fsx_read(path, ALERT_FILE_MAX, &len);
	if (src == NULL) {
		log_warn("cannot read template '%s'", path);
		fail_set(errno == ENOENT ? FAIL_NOINPUT : FAIL_DATA);
		alert_release(a);
		return -1;
	}
	r = alert_parse(a, src, len);
	free(src);
	return r;
}

static char *
load_snapshot_partial(void *arg, const char *name, size_t len, size_t *outlen)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, (const cJSON *)arg) {
		if (cJSON_IsString(p) && strlen(p->string) == len &&
		    memcmp(p->string, name, len) == 0) {
			*outlen = strlen(p->valuestring);
			return xstrdup(p->valuestring);
		}
	}
	return NULL;
}

int
alert_load_snapshot(struct alert *a, const char *name, const char *src,
    const char *partials_json)
{
	struct merge_loader loader = { load_snapshot_partial, NULL };

	memset(a, 0, sizeof(*a));
	a->path = xstrdup(name);
	a->dir = xstrdup("");
	a->snapshot = cJSON_Parse(partials_json);
	if (a->snapshot == NULL)
		a->snapshot = cJSON_CreateObject();
	loader.arg = a->snapshot;
	a->env = merge_env_new(&loader);
	return alert_parse(a, src, strlen(src));
}

static void
add_partial(void *arg, const char *name, const char *src, size_t len)
{
	char *copy = xstrndup(src, len);

	cJSON_AddStringToObject(arg, name, copy);
	free(copy);
}

char *
alert_partials_json(const struct alert *a)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	merge_env_partials(a->env, add_partial, o);
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (s == NULL)
		fatalx("cannot allocate");
	return s;
}

void
alert_release(struct alert *a)
{
	merge_release(&a->subject);
	merge_release(&a->preheader);
	merge_release(&a->text);
	merge_release(&a->html);
	merge_env_free(a->env);
	cJSON_Delete(a->snapshot);
	free(a->path);
	free(a->dir);
	free(a->from);
	memset(a, 0, sizeof(*a));
}
