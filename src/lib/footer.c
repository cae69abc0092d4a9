/* footer: the lawful end of every message (see footer.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "footer.h"
#include "log.h"

const char footer_default[] =
    "-- \n"
    "This email is from {{list.name}}"
    "{{#list.address}}, {{list.address}}{{/list.address}}.\n"
    "To stop getting these emails, one click: {{unsubscribe_url}}\n";

struct shows {
	const char	*name;
	int		 found;
};

static void
note_name(void *arg, const char *name, size_t len, unsigned line,
    unsigned col)
{
	struct shows *s = arg;

	(void)line;
	(void)col;
	if (len == strlen(s->name) && memcmp(name, s->name, len) == 0)
		s->found = 1;
}

/* Whether any tag of `t` (partials included) names `name`. */
static int
footer_shows(const struct mtemplate *t, const char *name)
{
	struct shows s = { name, 0 };

	(void)merge_names(t, note_name, &s);
	return s.found;
}

static int
shows_both(const struct mtemplate *t)
{
	return footer_shows(t, "unsubscribe_url") &&
	    footer_shows(t, "list.address");
}

/* Footers have no partials. */
static char *
no_partial(void *arg, const char *name, size_t len, size_t *outlen)
{
	(void)arg;
	(void)name;
	(void)len;
	(void)outlen;
	return NULL;
}

static int
compile(struct footer *f, const char *src, struct merge_error *err)
{
	struct merge_loader loader = { no_partial, NULL };

	memset(f, 0, sizeof(*f));
	f->env = merge_env_new(&loader);
	if (merge_compile(&f->t, f->env, src, strlen(src), err) == -1) {
		merge_env_free(f->env);
		f->env = NULL;
		return -1;
	}
	return 0;
}

const char *
footer_problem(const char *src, char *why, size_t whysize)
{
	struct merge_error err;
	struct footer f;
	int ok;

	if (strlen(src) > FOOTER_MAX) {
		snprintf(why, whysize, "a footer is at most %d bytes",
		    FOOTER_MAX);
		return why;
	}
	if (compile(&f, src, &err) == -1) {
		snprintf(why, whysize, "%u:%u: %s", err.line, err.col,
		    err.what);
		return why;
	}
	ok = shows_both(&f.t);
	footer_release(&f);
	if (ok)
		return NULL;
	snprintf(why, whysize, "a footer must show {{unsubscribe_url}} and "
	    "{{list.address}}");
	return why;
}

int
footer_init(struct footer *f, const char *src, const struct alert *a)
{
	struct merge_error err;

	if (compile(f, src != NULL ? src : footer_default, &err) == -1) {
		log_warnx("the list's footer: %u:%u: %s", err.line, err.col,
		    err.what);
		fail_set(FAIL_DATA);
		return -1;
	}
	f->text = !shows_both(&a->text);
	f->html = a->has_html && !shows_both(&a->html);
	buf_init(&f->rendered, FOOTER_MAX * 2);
	buf_init(&f->as_html, FOOTER_MAX * 8);
	return 0;
}

void
footer_release(struct footer *f)
{
	merge_release(&f->t);
	if (f->env != NULL)
		merge_env_free(f->env);
	buf_release(&f->rendered);
	buf_release(&f->as_html);
	memset(f, 0, sizeof(*f));
}

/* The rendered footer as HTML: escaped, URLs linked, lines broken. */
static int
as_html(const char *s, struct buf *out)
{
	size_t n;
	int r = buf_puts(out, "<p style=\"font-size:12px;color:#666666\">");

	while (r == 0 && *s != '\0') {
		if (strncmp(s, "https://", 8) == 0 ||
		    strncmp(s, "http://", 7) == 0) {
			n = strcspn(s, " \t\r\n<>\"");
			r = buf_puts(out, "<a href=\"");
			r |= buf_append_html(out, s, n);
			r |= buf_puts(out, "\">");
			r |= buf_append_html(out, s, n);
			r |= buf_puts(out, "</a>");
			s += n;
		} else if (*s == '\n') {
			r = s[1] != '\0' ? buf_puts(out, "<br>\n") : 0;
			s++;
		} else {
			n = strcspn(s, "\nh");
			r = buf_append_html(out, s, n > 0 ? n : 1);
			s += n > 0 ? n : 1;
		}
	}
	return r == 0 ? buf_puts(out, "</p>\n") : -1;
}

/* Puts `add` before the last </body> of `html`, or at its end. */
static int
insert_html(struct buf *html, const char *add, size_t addlen)
{
	const char *p, *at = NULL;
	size_t pos, tail;
	char *end;

	for (p = buf_cstr(html); (p = strcasestr(p, "</body")) != NULL; p++)
		at = p;
	if (at == NULL)
		return buf_append(html, add, addlen);
	pos = (size_t)(at - html->data);
	tail = html->len - pos;
	/* Room at the end, then the tail moved up to open the gap. */
	end = buf_space(html, addlen);
	if (end == NULL)
		return -1;
	memmove(html->data + pos + addlen, html->data + pos, tail);
	memcpy(html->data + pos, add, addlen);
	buf_advance(html, addlen);
	return 0;
}

int
footer_add(struct footer *f, const struct mval *data,
    struct alert_output *parts)
{
	struct buf *text = &f->rendered, *html = &f->as_html;
	struct merge_error err;
	int r = 0;

	if (!f->text && !f->html)
		return 0;
	buf_reset(text);
	buf_reset(html);
	if (merge_render(&f->t, data, 0, text, &err) == -1) {
		log_warnx("cannot render the list's footer: %s", err.what);
		r = -1;
	}
	if (r == 0 && f->text) {
		if (parts->text.len > 0 &&
		    parts->text.data[parts->text.len - 1] != '\n')
			r = buf_putc(&parts->text, '\n');
		r |= buf_putc(&parts->text, '\n');
		r |= buf_append(&parts->text, text->data, text->len);
	}
	if (r == 0 && f->html)
		r = as_html(buf_cstr(text), html) == -1 ? -1 :
		    insert_html(&parts->html, html->data, html->len);
	if (r == -1) {
		log_warnx("the message is too large with its footer");
		fail_set(FAIL_DATA);
	}
	return r;
}
