/*
 * merge: compiling Mustache templates, and the partial cache (see
 * merge.h). Rendering and linting are in merge_render.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "merge.h"
#include "merge_env.h"
#include "xalloc.h"

#define DELIM_MAX 16

struct parser {
	struct mtemplate	*t;
	const char		*src;
	size_t			 len;
	size_t			 pos;
	char			 otag[DELIM_MAX + 1];
	char			 ctag[DELIM_MAX + 1];
	size_t			 olen;
	size_t			 clen;
	size_t			 open[MERGE_DEPTH_MAX];
	size_t			 nopen;
	/* where `line` was counted to */
	size_t			 line_pos;
	unsigned		 line;
	size_t			 line_start;
	struct merge_error	*err;
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Line and column of `at`, counting on from the last call. */
static void
where(struct parser *p, size_t at, unsigned *line, unsigned *col)
{
	for (; p->line_pos < at; p->line_pos++) {
		if (p->src[p->line_pos] == '\n') {
			p->line++;
			p->line_start = p->line_pos + 1;
		}
	}
	*line = p->line;
	*col = (unsigned)(at - p->line_start) + 1;
}

/* Records where and what went wrong; `name` is escaped into `fmt`'s %s. */
static int
fail_at(struct parser *p, size_t at, const char *fmt, const char *name,
    size_t len)
{
	char esc[64];

	where(p, at, &p->err->line, &p->err->col);
	log_escape(esc, sizeof(esc), name, len);
	snprintf(p->err->what, sizeof(p->err->what), fmt, esc);
	return -1;
}

static struct mnode *
add_node(struct parser *p, enum mnode_kind kind, const char *text,
    size_t len, size_t at)
{
	struct mtemplate *t = p->t;
	struct mnode *n;

	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->nodes = xreallocarray(t->nodes, t->cap, sizeof(*n));
	}
	n = &t->nodes[t->count++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->text = text;
	n->len = len;
	n->end = t->count;
	where(p, at, &n->line, &n->col);
	return n;
}

static void
add_text(struct parser *p, size_t from, size_t to)
{
	if (to > from)
		add_node(p, MN_TEXT, p->src + from, to - from, from);
}

/* Whether only blanks stand between the start of at's line and at. */
static int
blank_before(const struct parser *p, size_t at, size_t *line_start)
{
	size_t i = at;

	while (i > 0 && p->src[i - 1] != '\n') {
		if (!is_blank(p->src[i - 1]))
			return 0;
		i--;
	}
	*line_start = i;
	return 1;
}

/* Whether only blanks follow `at` to the line's end; *next: past it. */
static int
blank_after(const struct parser *p, size_t at, size_t *next)
{
	size_t i = at;

	while (i < p->len && is_blank(p->src[i]))
		i++;
	if (i == p->len) {
		*next = i;
		return 1;
	}
	if (p->src[i] == '\n') {
		*next = i + 1;
		return 1;
	}
	if (p->src[i] == '\r' && i + 1 < p->len && p->src[i + 1] == '\n') {
		*next = i + 2;
		return 1;
	}
	return 0;
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (is_blank(**s) || **s == '\n' || **s == '\r'))
		(*s)++, (*len)--;
	while (*len > 0 && (is_blank((*s)[*len - 1]) ||
	    (*s)[*len - 1] == '\n' || (*s)[*len - 1] == '\r'))
		(*len)--;
}

static int
set_delimiters(struct parser *p, const char *s, size_t len, size_t at)
{
	const char *sp;
	size_t olen, clen;

	trim(&s, &len);
	sp = s;
	while (sp < s + len && !is_blank(*sp))
		sp++;
	olen = (size_t)(sp - s);
	while (sp < s + len && is_blank(*sp))
		sp++;
	clen = (size_t)(s + len - sp);
	if (olen == 0 || clen == 0 || olen > DELIM_MAX || clen > DELIM_MAX ||
	    memchr(s, '=', olen) != NULL || memchr(sp, '=', clen) != NULL ||
	    memchr(sp, ' ', clen) != NULL || memchr(sp, '\t', clen) != NULL)
		return fail_at(p, at, "bad delimiter change '%s': write "
		    "{{=<%% %%>=}}, two markers without spaces or '='", s, len);
	memcpy(p->otag, s, olen);
	p->otag[olen] = '\0';
	p->olen = olen;
	memcpy(p->ctag, sp, clen);
	p->ctag[clen] = '\0';
	p->clen = clen;
	return 0;
}

static int
open_section(struct parser *p, enum mnode_kind kind, const char *name,
    size_t len, size_t at)
{
	if (p->nopen == MERGE_DEPTH_MAX)
		return fail_at(p, at, "sections nest deeper than 100 "
		    "at '%s'", name, len);
	add_node(p, kind, name, len, at);
	p->open[p->nopen++] = p->t->count - 1;
	return 0;
}

static int
close_section(struct parser *p, const char *name, size_t len, size_t at)
{
	struct mnode *n;
	char closing[64], opened[64];

	if (p->nopen == 0)
		return fail_at(p, at, "'{{/%s}}' closes no open section", name,
		    len);
	n = &p->t->nodes[p->open[p->nopen - 1]];
	if (n->len != len || memcmp(n->text, name, len) != 0) {
		where(p, at, &p->err->line, &p->err->col);
		snprintf(p->err->what, sizeof(p->err->what), "'{{/%s}}' does "
		    "not close the section '%s' opened at line %u",
		    log_escape(closing, sizeof(closing), name, len),
		    log_escape(opened, sizeof(opened), n->text, n->len),
		    n->line);
		return -1;
	}
	n->end = p->t->count;
	p->nopen--;
	return 0;
}

/* The tag's sigil decides its kind; a plain name is a variable. */
static int
tag(struct parser *p, char sigil, const char *name, size_t len, size_t at,
    const char *indent, size_t indent_len)
{
	struct mnode *n;
	int dynamic = 0;

	if (sigil == '!')
		return 0;
	if (sigil == '=')
		return set_delimiters(p, name, len, at);
	trim(&name, &len);
	if ((sigil == '>' || sigil == '<') && len > 0 && name[0] == '*') {
		name++, len--;
		trim(&name, &len);
		dynamic = 1;
	}
	if (len == 0)
		return fail_at(p, at, "an empty tag%s", "", 0);
	switch (sigil) {
	case '#':
		return open_section(p, MN_SECTION, name, len, at);
	case '^':
		return open_section(p, MN_INVERTED, name, len, at);
	case '$':
		return open_section(p, MN_BLOCK, name, len, at);
	case '<':
		if (open_section(p, MN_PARENT, name, len, at) == -1)
			return -1;
		n = &p->t->nodes[p->t->count - 1];
		n->indent = indent;
		n->indent_len = indent_len;
		n->dynamic = dynamic;
		return 0;
	case '/':
		return close_section(p, name, len, at);
	case '>':
		n = add_node(p, MN_PARTIAL, name, len, at);
		n->indent = indent;
		n->indent_len = indent_len;
		n->dynamic = dynamic;
		return 0;
	case '{':
	case '&':
		add_node(p, MN_RAW, name, len, at);
		return 0;
	default:
		add_node(p, MN_VAR, name, len, at);
		return 0;
	}
}

static int
is_standalone_kind(char sigil)
{
	return sigil != '\0' && strchr("#^/!=>$<", sigil) != NULL;
}

/* Parses the tag opening at `at`; leaves p->pos after it. */
static int
parse_tag(struct parser *p, size_t at)
{
	size_t inner = at + p->olen, close, end, line_start, next;
	char sigil = inner < p->len ? p->src[inner] : '\0';
	char closing[DELIM_MAX + 2];
	const char *found;
	int standalone;

	if (sigil == '{' || sigil == '=')
		snprintf(closing, sizeof(closing), "%s%s",
		    sigil == '{' ? "}" : "=", p->ctag);
	else
		snprintf(closing, sizeof(closing), "%s", p->ctag);
	if (sigil != '\0' && strchr("{=!#^/>&$<", sigil) != NULL)
		inner++;
	else
		sigil = '\0';
	found = memmem(p->src + inner, p->len - inner, closing,
	    strlen(closing));
	if (found == NULL)
		return fail_at(p, at, "a tag opened here is not closed "
		    "(no '%s')", closing, strlen(closing));
	close = (size_t)(found - p->src);
	end = close + strlen(closing);
	standalone = is_standalone_kind(sigil) &&
	    blank_before(p, at, &line_start) && blank_after(p, end, &next);
	if (standalone) {
		add_text(p, p->pos, line_start);
		p->pos = next;
		return tag(p, sigil, p->src + inner, close - inner, at,
		    p->src + line_start, at - line_start);
	}
	add_text(p, p->pos, at);
	p->pos = end;
	return tag(p, sigil, p->src + inner, close - inner, at, NULL, 0);
}

int
merge_compile(struct mtemplate *t, struct merge_env *env, const char *source,
    size_t len, struct merge_error *err)
{
	struct parser p;
	const char *o;
	struct mnode *n;

	memset(t, 0, sizeof(*t));
	memset(err, 0, sizeof(*err));
	t->env = env;
	if (len > MERGE_SOURCE_MAX) {
		snprintf(err->what, sizeof(err->what), "longer than 1 MiB");
		return -1;
	}
	t->source = xstrndup(source, len);
	t->source_len = len;
	memset(&p, 0, sizeof(p));
	p.t = t;
	p.src = t->source;
	p.len = len;
	p.line = 1;
	p.err = err;
	memcpy(p.otag, "{{", 3);
	memcpy(p.ctag, "}}", 3);
	p.olen = p.clen = 2;
	while (p.pos < p.len) {
		o = memmem(p.src + p.pos, p.len - p.pos, p.otag, p.olen);
		if (o == NULL) {
			add_text(&p, p.pos, p.len);
			break;
		}
		if (parse_tag(&p, (size_t)(o - p.src)) == -1)
			goto fail;
	}
	if (p.nopen > 0) {
		n = &t->nodes[p.open[p.nopen - 1]];
		err->line = n->line;
		err->col = n->col;
		snprintf(err->what, sizeof(err->what), "section '%.*s' is "
		    "never closed", (int)(n->len > 60 ? 60 : n->len), n->text);
		goto fail;
	}
	return 0;
fail:
	merge_release(t);
	return -1;
}

void
merge_release(struct mtemplate *t)
{
	free(t->source);
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

struct merge_env *
merge_env_new(const struct merge_loader *loader)
{
	struct merge_env *env = xcalloc(1, sizeof(*env));

	if (loader != NULL)
		env->loader = *loader;
	return env;
}

void
merge_env_free(struct merge_env *env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; i < env->count; i++) {
		free(env->partials[i]->name);
		free(env->partials[i]->indent);
		free(env->partials[i]->raw);
		if (env->partials[i]->found)
			merge_release(&env->partials[i]->tmpl);
		free(env->partials[i]);
	}
	free(env->partials);
	free(env);
}

/*
 * The source of a partial with `indent` before each of its lines, or
 * NULL when that is over twice MERGE_SOURCE_MAX: never a partial cut.
 */
static char *
indented(const char *src, size_t len, const char *indent, size_t ilen,
    size_t *outlen)
{
	struct buf b;
	size_t i;
	int at_line_start = 1;

	buf_init(&b, MERGE_SOURCE_MAX * 2);
	for (i = 0; i < len; i++) {
		if (at_line_start && ilen > 0)
			(void)buf_append(&b, indent, ilen);
		(void)buf_putc(&b, src[i]);
		at_line_start = src[i] == '\n';
	}
	if (b.failed) {
		buf_release(&b);
		return NULL;
	}
	*outlen = b.len;
	return b.data != NULL ? b.data : xstrdup("");
}

const struct mtemplate *
merge_env_partial(struct merge_env *env, const char *name, size_t len,
    const char *indent, size_t ilen, struct merge_error *err)
{
	struct merge_partial *mp;
	char *src, *full;
	size_t i, srclen, fulllen;
	int r;

	for (i = 0; i < env->count; i++) {
		mp = env->partials[i];
		if (strlen(mp->name) == len &&
		    memcmp(mp->name, name, len) == 0 &&
		    strlen(mp->indent) == ilen &&
		    (ilen == 0 || memcmp(mp->indent, indent, ilen) == 0))
			return mp->found ? &mp->tmpl : NULL;
	}
	/* Each entry is allocated alone: templates rendering now point
	 * into entries, and the array may move as partials are added. */
	mp = xcalloc(1, sizeof(*mp));
	mp->name = xstrndup(name, len);
	mp->indent = xstrndup(indent != NULL ? indent : "", ilen);
	src = env->loader.load != NULL ? env->loader.load(env->loader.arg,
	    name, len, &srclen) : NULL;
	if (src != NULL) {
		full = indented(src, srclen, indent, ilen, &fulllen);
		mp->raw = src;
		mp->raw_len = srclen;
		r = -1;
		if (full == NULL) {
			memset(err, 0, sizeof(*err));
			snprintf(err->what, sizeof(err->what), "the partial, "
			    "indented, is over %d bytes", 2 * MERGE_SOURCE_MAX);
		} else
			r = merge_compile(&mp->tmpl, env, full, fulllen, err);
		free(full);
		if (r == -1) {
			snprintf(err->partial, sizeof(err->partial), "%.*s",
			    (int)(len > 64 ? 64 : len), name);
			free(mp->name);
			free(mp->indent);
			free(mp->raw);
			free(mp);
			return MERGE_PARTIAL_BROKEN;
		}
		mp->found = 1;
	}
	env->partials = xreallocarray(env->partials, env->count + 1,
	    sizeof(*env->partials));
	env->partials[env->count++] = mp;
	/* The spec: a partial the loader lacks renders as nothing. */
	if (!mp->found)
		return NULL;
	return &mp->tmpl;
}

void
merge_env_partials(const struct merge_env *env, void (*fn)(void *arg,
    const char *name, const char *src, size_t len), void *arg)
{
	size_t i, j;

	for (i = 0; i < env->count; i++) {
		const struct merge_partial *mp = env->partials[i];

		if (!mp->found)
			continue;
		/* Once per name, whatever indentations it was used with. */
		for (j = 0; j < i; j++)
			if (env->partials[j]->found &&
			    strcmp(env->partials[j]->name, mp->name) == 0)
				break;
		if (j == i)
			fn(arg, mp->name, mp->raw, mp->raw_len);
	}
}
