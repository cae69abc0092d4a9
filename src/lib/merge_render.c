/*
 * merge_render: rendering and linting compiled templates (see merge.h).
 * The context is a stack of values; a name resolves against the top
 * value that has its first part, then strictly along its dots. Blocks
 * and parents (template inheritance) carry their overrides down a stack
 * of their own.
 */
#include <stdio.h>
#include <string.h>

#include "merge.h"
#include "merge_env.h"

#define OVERRIDES_MAX 64

struct override {
	const struct mtemplate	*t;	/* where the block's body lives */
	const struct mnode	*block;
};

struct render {
	struct buf		*out;
	int			 escape;
	const struct mval	*stack[MERGE_DEPTH_MAX + 1];
	size_t			 depth;
	unsigned		 nesting;	/* partials and sections */
	struct override		 over[OVERRIDES_MAX];
	size_t			 nover;
	struct merge_error	*err;
	/* lint */
	void			(*unknown)(void *, const char *, size_t,
				    unsigned, unsigned);
	void			*arg;
	int			 nunknown;
};

static int render_range(struct render *r, const struct mtemplate *t,
    size_t from, size_t to);

static const struct mval *
lookup(const struct render *r, const char *name, size_t len)
{
	const struct mval *v = NULL;
	const char *dot, *end = name + len;
	size_t i;

	if (len == 1 && name[0] == '.')
		return r->depth > 0 ? r->stack[r->depth - 1] : NULL;
	dot = memchr(name, '.', len);
	if (dot == NULL)
		dot = end;
	for (i = r->depth; i > 0 && v == NULL; i--)
		v = mval_member(r->stack[i - 1], name, (size_t)(dot - name));
	while (v != NULL && dot < end) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		if (dot == NULL)
			dot = end;
		v = mval_member(v, name, (size_t)(dot - name));
	}
	return v;
}

static int
overflow(struct render *r, const struct mnode *n, const char *what)
{
	r->err->line = n->line;
	r->err->col = n->col;
	snprintf(r->err->what, sizeof(r->err->what), "%s", what);
	return -1;
}

static int
put(struct render *r, const struct mnode *n, const char *s, size_t len)
{
	if (buf_append(r->out, s, len) == -1)
		return overflow(r, n, "the output is too large");
	return 0;
}

static int
put_escaped(struct render *r, const struct mnode *n, const char *s,
    size_t len)
{
	if (buf_append_html(r->out, s, len) == -1)
		return overflow(r, n, "the output is too large");
	return 0;
}

static int
interpolate(struct render *r, const struct mnode *n)
{
	const struct mval *v = lookup(r, n->text, n->len);

	if (r->unknown != NULL) {
		if (v == NULL) {
			r->unknown(r->arg, n->text, n->len, n->line, n->col);
			r->nunknown++;
		}
		return 0;
	}
	if (v == NULL)
		return 0;
	switch (v->type) {
	case MVAL_STRING:
	case MVAL_NUMBER:
		if (n->kind == MN_VAR && r->escape)
			return put_escaped(r, n, v->str, v->len);
		return put(r, n, v->str, v->len);
	case MVAL_TRUE:
		return put(r, n, "true", 4);
	case MVAL_FALSE:
		return put(r, n, "false", 5);
	default:
		return 0;
	}
}

static int
push(struct render *r, const struct mnode *n, const struct mval *v)
{
	if (r->depth == MERGE_DEPTH_MAX)
		return overflow(r, n, "sections or partials nest "
		    "deeper than 100");
	r->stack[r->depth++] = v;
	return 0;
}

static int
section(struct render *r, const struct mtemplate *t, const struct mnode *n)
{
	size_t self = (size_t)(n - t->nodes), i;
	const struct mval *v = lookup(r, n->text, n->len);
	int rc = 0;

	if (r->unknown != NULL) {
		/* Lint: descend once, into a sample item of a list. */
		if (v == NULL) {
			/* Names inside an unknown section would all be
			 * unknown too: one report says it. */
			r->unknown(r->arg, n->text, n->len, n->line, n->col);
			r->nunknown++;
			return 0;
		}
		if (v->type == MVAL_LIST && v->count > 0)
			v = &v->items[0];
		if (n->kind == MN_INVERTED)
			return render_range(r, t, self + 1, n->end);
		if (push(r, n, v) == -1)
			return -1;
		rc = render_range(r, t, self + 1, n->end);
		r->depth--;
		return rc;
	}
	if (n->kind == MN_INVERTED)
		return mval_is_truthy(v) ? 0 : render_range(r, t, self + 1,
		    n->end);
	if (!mval_is_truthy(v))
		return 0;
	if (v->type != MVAL_LIST) {
		if (push(r, n, v) == -1)
			return -1;
		rc = render_range(r, t, self + 1, n->end);
		r->depth--;
		return rc;
	}
	for (i = 0; i < v->count && rc == 0; i++) {
		if (push(r, n, &v->items[i]) == -1)
			return -1;
		rc = render_range(r, t, self + 1, n->end);
		r->depth--;
	}
	return rc;
}

/* The partial a node names: by its name, or by a name in the data. */
static const struct mtemplate *
partial_of(struct render *r, const struct mtemplate *t, const struct mnode *n)
{
	const struct mval *v;
	const char *name = n->text;
	size_t len = n->len;

	if (n->dynamic) {
		v = lookup(r, n->text, n->len);
		if (v == NULL || v->type != MVAL_STRING)
			return NULL;
		name = v->str;
		len = v->len;
	}
	return merge_env_partial(t->env, name, len, n->indent,
	    n->indent_len, r->err);
}

static int
render_partial(struct render *r, const struct mtemplate *t,
    const struct mnode *n)
{
	const struct mtemplate *p;
	int rc;

	if (r->nesting == MERGE_DEPTH_MAX)
		return overflow(r, n, "partials nest deeper than 100");
	p = partial_of(r, t, n);
	if (p == MERGE_PARTIAL_BROKEN)
		return -1;
	if (p == NULL)
		return 0;
	r->nesting++;
	rc = render_range(r, p, 0, p->count);
	r->nesting--;
	return rc;
}

/* A block renders its outermost override, or its own content. */
static int
block(struct render *r, const struct mtemplate *t, const struct mnode *n)
{
	const struct override *o;
	size_t i;

	for (i = 0; i < r->nover; i++) {
		o = &r->over[i];
		if (o->block->len == n->len &&
		    memcmp(o->block->text, n->text, n->len) == 0)
			return render_range(r, o->t,
			    (size_t)(o->block - o->t->nodes) + 1,
			    o->block->end);
	}
	return render_range(r, t, (size_t)(n - t->nodes) + 1, n->end);
}

/* A parent renders its partial with the blocks inside it as overrides. */
static int
parent(struct render *r, const struct mtemplate *t, const struct mnode *n)
{
	size_t i, saved = r->nover;
	int rc;

	for (i = (size_t)(n - t->nodes) + 1; i < n->end;
	    i = t->nodes[i].end) {
		if (t->nodes[i].kind != MN_BLOCK)
			continue;
		if (r->nover == OVERRIDES_MAX)
			return overflow(r, n, "more than 64 block overrides");
		r->over[r->nover].t = t;
		r->over[r->nover].block = &t->nodes[i];
		r->nover++;
	}
	rc = render_partial(r, t, n);
	r->nover = saved;
	return rc;
}

static int
render_node(struct render *r, const struct mtemplate *t, const struct mnode *n)
{
	switch (n->kind) {
	case MN_TEXT:
		return r->unknown != NULL ? 0 : put(r, n, n->text, n->len);
	case MN_VAR:
	case MN_RAW:
		return interpolate(r, n);
	case MN_SECTION:
	case MN_INVERTED:
		return section(r, t, n);
	case MN_PARTIAL:
		return render_partial(r, t, n);
	case MN_BLOCK:
		return block(r, t, n);
	case MN_PARENT:
		return parent(r, t, n);
	}
	return -1;
}

static int
render_range(struct render *r, const struct mtemplate *t, size_t from,
    size_t to)
{
	size_t i = from;

	while (i < to) {
		if (render_node(r, t, &t->nodes[i]) == -1)
			return -1;
		i = t->nodes[i].end > i + 1 ? t->nodes[i].end : i + 1;
	}
	return 0;
}

int
merge_render(const struct mtemplate *t, const struct mval *data,
    int escape_html, struct buf *out, struct merge_error *err)
{
	struct render r;

	memset(&r, 0, sizeof(r));
	memset(err, 0, sizeof(*err));
	r.out = out;
	r.escape = escape_html;
	r.err = err;
	r.stack[r.depth++] = data;
	return render_range(&r, t, 0, t->count);
}

int
merge_lint(const struct mtemplate *t, const struct mval *schema,
    void (*unknown)(void *arg, const char *name, size_t len, unsigned line,
    unsigned col), void *arg, struct merge_error *err)
{
	struct render r;

	memset(&r, 0, sizeof(r));
	memset(err, 0, sizeof(*err));
	r.err = err;
	r.unknown = unknown;
	r.arg = arg;
	r.stack[r.depth++] = schema;
	if (render_range(&r, t, 0, t->count) == -1)
		return -1;
	return r.nunknown;
}

int
merge_names(const struct mtemplate *t, void (*fn)(void *arg,
    const char *name, size_t len, unsigned line, unsigned col), void *arg)
{
	struct mval empty = mval_object(NULL, NULL, 0);
	struct merge_error err;

	/* Against an empty schema every name is unknown: lint names each. */
	return merge_lint(t, &empty, fn, arg, &err) == -1 ? -1 : 0;
}
