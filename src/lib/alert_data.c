/*
 * alert_data: the merge data of an alert, linting against its shape,
 * and rendering every part. Part of the alert module (see alert.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alert.h"
#include "log.h"

#define ALERT_OUTPUT_MAX (8 * 1024 * 1024)

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

void
alert_context_ready(struct alert_context *c)
{
	size_t i;

	for (i = 0; i < c->nsigners; i++) {
		c->signer_fields[i][0] = mval_string("name",
		    c->signer_names[i]);
		c->signer_fields[i][1] = mval_string("ago", c->signer_agos[i]);
		c->signers[i] = mval_object(NULL, c->signer_fields[i], 2);
	}
	for (i = 0; i < c->norgs; i++) {
		c->org_fields[i][0] = mval_string("number", c->org_numbers[i]);
		c->org_fields[i][1] = mval_string("name", c->org_names[i]);
		c->orgs[i] = mval_object(NULL, c->org_fields[i], 2);
	}
	c->list[0] = mval_string("name", or_empty(c->list_name));
	c->list[1] = mval_string("slug", or_empty(c->list_slug));
	c->list[2] = mval_string("address", or_empty(c->list_address));
	c->action[0] = mval_string("title", c->action_title != NULL ?
	    c->action_title : "");
	c->action[1] = mval_string("slug", c->action_slug != NULL ?
	    c->action_slug : "");
	c->action[2] = mval_string("signer_count", c->signer_count);
	c->action[3] = mval_list("recent_signers", c->signers,
	    c->nsigners < ALERT_RECENT_DEFAULT ? c->nsigners :
	    ALERT_RECENT_DEFAULT);
	c->action[4] = mval_list("organisations", c->orgs, c->norgs);
	c->action[5] = mval_string("organisation_count", c->org_count);
	for (i = 0; i < c->nrecent_counts; i++)
		c->action[6 + i] = mval_list(c->recent_keys[i], c->signers,
		    c->nsigners < c->recent_counts[i] ? c->nsigners :
		    c->recent_counts[i]);
}

#define RECENT_PREFIX "action.recent_signers_"

static void
note_count(void *arg, const char *name, size_t len, unsigned line,
    unsigned col)
{
	struct alert_context *c = arg;
	size_t plen = sizeof(RECENT_PREFIX) - 1, i;
	unsigned n = 0;

	(void)line;
	(void)col;
	if (len <= plen || len > plen + 3 || memcmp(name, RECENT_PREFIX,
	    plen) != 0 || name[plen] == '0')
		return;
	for (i = plen; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return;
		n = n * 10 + (unsigned)(name[i] - '0');
	}
	if (n > ALERT_RECENT_MAX)
		return;
	for (i = 0; i < c->nrecent_counts; i++)
		if (c->recent_counts[i] == n)
			return;
	if (c->nrecent_counts == ALERT_RECENT_COUNTS)
		return;
	c->recent_counts[c->nrecent_counts] = n;
	snprintf(c->recent_keys[c->nrecent_counts],
	    sizeof(c->recent_keys[0]), "recent_signers_%u", n);
	c->nrecent_counts++;
}

void
alert_context_counts(struct alert_context *c, const struct alert *a)
{
	const struct mtemplate *parts[] = { &a->subject, &a->text,
	    a->has_preheader ? &a->preheader : NULL,
	    a->has_html ? &a->html : NULL };
	size_t i;

	c->nrecent_counts = 0;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i] != NULL)
			(void)merge_names(parts[i], note_count, c);
}

void
alert_data_build(struct alert_data *d, const struct alert_context *c,
    const struct alert_recipient *r)
{
	const char *why;
	size_t n = 0, i;

	memset(d, 0, sizeof(*d));
	d->members[n++] = mval_string("first_name", or_empty(r->first_name));
	d->members[n++] = mval_string("last_name", or_empty(r->last_name));
	d->members[n++] = mval_string("email", or_empty(r->email));
	d->members[n++] = mval_string("unsubscribe_url",
	    or_empty(r->unsubscribe_url));
	d->members[n++] = mval_string("unsubscribe_mailto",
	    or_empty(r->unsubscribe_mailto));
	d->members[n++] = mval_string("sign_mailto", or_empty(r->sign_mailto));
	d->members[n++] = mval_object("list", c->list, 3);
	if (c->has_action) {
		d->members[n++] = mval_object("action", c->action,
		    6 + c->nrecent_counts);
		d->members[n++] = mval_string("sign_url",
		    or_empty(r->sign_url));
	}
	if (r->confirm_url != NULL)
		d->members[n++] = mval_string("confirm_url", r->confirm_url);
	/* Custom fields after the built-ins: a field named like one is
	 * shadowed, never the other way round. */
	if (r->fields_json != NULL && mval_doc_parse(&d->fields,
	    r->fields_json, strlen(r->fields_json), &why) == 0) {
		d->has_fields = 1;
		for (i = 0; i < d->fields.root.count && i < ALERT_FIELDS_MAX;
		    i++)
			d->members[n++] = d->fields.root.items[i];
	}
	d->root = mval_object(NULL, d->members, n);
}

void
alert_data_release(struct alert_data *d)
{
	if (d->has_fields)
		mval_doc_release(&d->fields);
	memset(d, 0, sizeof(*d));
}

void
alert_schema(struct alert_data *d, struct alert_context *c,
    const struct alert *a, int with_action, const char *const *fields)
{
	size_t n;

	memset(c, 0, sizeof(*c));
	c->has_action = with_action;
	alert_context_counts(c, a);
	c->nsigners = 1;	/* sample items, so sections can be checked */
	c->norgs = 1;
	alert_context_ready(c);
	alert_data_build(d, c, &(struct alert_recipient){ 0 });
	n = d->root.count;
	for (; fields != NULL && *fields != NULL && n <
	    sizeof(d->members) / sizeof(d->members[0]); fields++)
		d->members[n++] = mval_string(*fields, "x");
	d->root = mval_object(NULL, d->members, n);
}

struct lint_place {
	const char	*path;
	const char	*part;
	unsigned	 line;	/* where the part starts in the file */
	unsigned	 col;	/* its first line's column */
};

static void
unknown(void *arg, const char *name, size_t len, unsigned line, unsigned col)
{
	const struct lint_place *p = arg;
	int action = len > 7 && strncmp(name, "action.", 7) == 0;

	int recent = len > sizeof(RECENT_PREFIX) - 1 && strncmp(name,
	    RECENT_PREFIX, sizeof(RECENT_PREFIX) - 1) == 0;

	log_warnx("%s:%u:%u: unknown variable '%.*s' in the %s%s", p->path,
	    p->line + line - 1, line == 1 ? p->col + col - 1 : col,
	    (int)(len > 60 ? 60 : len), name, p->part, recent ?
	    " (recent_signers_N takes N from 1 to 100, and at most 4 "
	    "different N in one alert)" : action ?
	    " (is there an action? give --action SLUG)" : "");
}

static int
lint_part(const struct alert *a, const struct mtemplate *t, const char *part,
    unsigned line, unsigned col, const struct mval *schema)
{
	struct lint_place p = { a->path, part, line, col };
	struct merge_error err;
	int n;

	n = merge_lint(t, schema, unknown, &p, &err);
	if (n == -1)
		log_warnx("%s: in the %s: partial '%s': %u:%u: %s", a->path,
		    part, err.partial, err.line, err.col, err.what);
	return n;
}

int
alert_lint(const struct alert *a, const struct mval *schema)
{
	const struct {
		const struct mtemplate	*t;
		const char		*part;
		unsigned		 line;
		unsigned		 col;	/* after "Subject: " */
		int			 present;
	} parts[] = {
		{ &a->subject, "Subject", a->subject_line, 10, 1 },
		{ &a->preheader, "Preheader", a->preheader_line, 12,
		    a->has_preheader },
		{ &a->text, "text part", a->text_line, 1, 1 },
		{ &a->html, "HTML part", a->html_line, 1, a->has_html },
	};
	size_t i;
	int n, total = 0;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!parts[i].present)
			continue;
		n = lint_part(a, parts[i].t, parts[i].part, parts[i].line,
		    parts[i].col, schema);
		if (n == -1)
			return -1;
		total += n;
	}
	return total;
}

void
alert_output_init(struct alert_output *o)
{
	buf_init(&o->subject, ALERT_OUTPUT_MAX);
	buf_init(&o->text, ALERT_OUTPUT_MAX);
	buf_init(&o->html, ALERT_OUTPUT_MAX);
}

void
alert_output_release(struct alert_output *o)
{
	buf_release(&o->subject);
	buf_release(&o->text);
	buf_release(&o->html);
}

static int
render_part(const struct alert *a, const struct mtemplate *t,
    const char *part, const struct mval *data, int escape, struct buf *out)
{
	struct merge_error err;

	if (merge_render(t, data, escape, out, &err) == 0)
		return 0;
	log_warnx("%s: cannot render the %s: %s%s%s", a->path, part,
	    err.partial[0] != '\0' ? err.partial : "",
	    err.partial[0] != '\0' ? ": " : "", err.what);
	fail_set(FAIL_DATA);
	return -1;
}

/*
 * The preheader is the line a mail client shows after the subject: the
 * first text of the HTML body, hidden when the message is opened.
 */
static int
insert_preheader(const struct alert *a, const struct mval *data,
    struct buf *html)
{
	static const char open[] = "<div style=\"display:none;max-height:0;"
	    "overflow:hidden;mso-hide:all\">";
	struct buf pre, whole;
	const char *body = strcasestr(buf_cstr(html), "<body"), *gt;
	size_t at = 0;
	int r = -1;

	buf_init(&pre, ALERT_OUTPUT_MAX);
	buf_init(&whole, ALERT_OUTPUT_MAX);
	if (render_part(a, &a->preheader, "Preheader", data, 1, &pre) == 0) {
		gt = body != NULL ? strchr(body, '>') : NULL;
		if (gt != NULL)
			at = (size_t)(gt - html->data) + 1;
		if (buf_append(&whole, html->data, at) == 0 &&
		    buf_printf(&whole, "%s%s</div>\n", open, pre.data != NULL ?
		    pre.data : "") == 0 && buf_append(&whole, html->data + at,
		    html->len - at) == 0) {
			buf_release(html);
			*html = whole;
			buf_init(&whole, ALERT_OUTPUT_MAX);
			r = 0;
		}
	}
	buf_release(&pre);
	buf_release(&whole);
	return r;
}

int
alert_render(const struct alert *a, const struct mval *data,
    struct alert_output *o)
{
	buf_reset(&o->subject);
	buf_reset(&o->text);
	buf_reset(&o->html);
	if (render_part(a, &a->subject, "Subject", data, 0, &o->subject) ||
	    render_part(a, &a->text, "text part", data, 0, &o->text))
		return -1;
	if (!a->has_html)
		return 0;
	if (render_part(a, &a->html, "HTML part", data, 1, &o->html) == -1)
		return -1;
	if (a->has_preheader && o->html.len > 0)
		return insert_preheader(a, data, &o->html);
	return 0;
}
