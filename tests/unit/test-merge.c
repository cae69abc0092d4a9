/*
 * Unit tests for the merge engine beyond the spec: escaping only when
 * asked, empty values are false, a runaway recursive partial is an
 * error and not a crash, lint, and names with a NUL byte (found by
 * fuzzing: they read past a shorter key).
 */
#include <string.h>

#include "buf.h"
#include "merge.h"
#include "mval.h"
#include "tap.h"
#include "xalloc.h"

static char *
self_partial(void *arg, const char *name, size_t len, size_t *outlen)
{
	(void)arg;
	(void)name;
	(void)len;
	*outlen = strlen("x{{> me}}");
	return xstrdup("x{{> me}}");
}

/* "big": a partial of lines so short that indenting them outgrows it. */
static char *
big_partial(void *arg, const char *name, size_t len, size_t *outlen)
{
	char *s;

	(void)arg;
	if (len == 3 && memcmp(name, "big", 3) == 0) {
		*outlen = MERGE_SOURCE_MAX / 2;
		s = xmalloc(*outlen + 1);
		memset(s, '\n', *outlen);
		s[*outlen] = '\0';
		return s;
	}
	*outlen = 4;
	return xstrdup("a\nb\n");
}

/* Compiles and renders `tmpl` with no data: 0, or -1 with err set. */
static int
render_with(const char *tmpl, struct merge_error *err, struct buf *out)
{
	struct merge_loader loader = { big_partial, NULL };
	struct merge_env *env = merge_env_new(&loader);
	struct mtemplate t;
	struct mval_doc doc;
	const char *why;
	int r;

	memset(err, 0, sizeof(*err));
	buf_reset(out);
	mval_doc_parse(&doc, "{}", 2, &why);
	r = merge_compile(&t, env, tmpl, strlen(tmpl), err);
	if (r == 0) {
		r = merge_render(&t, &doc.root, 0, out, err);
		merge_release(&t);
	}
	mval_doc_release(&doc);
	merge_env_free(env);
	return r;
}

static int
render(const char *tmpl, size_t len, const char *json, int escape,
    struct buf *out)
{
	struct merge_loader loader = { self_partial, NULL };
	struct merge_env *env = merge_env_new(&loader);
	struct merge_error err;
	struct mtemplate t;
	struct mval_doc doc;
	const char *why;
	int r = -1;

	buf_reset(out);
	if (mval_doc_parse(&doc, json, strlen(json), &why) == 0) {
		if (merge_compile(&t, env, tmpl, len, &err) == 0) {
			r = merge_render(&t, &doc.root, escape, out, &err);
			merge_release(&t);
		}
		mval_doc_release(&doc);
	}
	merge_env_free(env);
	return r;
}

static int nunknown;

static void
count_unknown(void *arg, const char *name, size_t len, unsigned line,
    unsigned col)
{
	(void)arg;
	(void)name;
	(void)len;
	(void)line;
	(void)col;
	nunknown++;
}

int
main(void)
{
	static const char nul_name[] = "[{{ab\0cdefgh}}]";
	struct merge_error err;
	struct mtemplate t;
	struct mval_doc doc;
	struct buf out;
	const char *why;

	buf_init(&out, 1 << 20);
	render("{{x}}|{{{x}}}", 13, "{\"x\": \"<&>\"}", 1, &out);
	tap_is(buf_cstr(&out), "&lt;&amp;&gt;|<&>", "escaping when asked");
	render("{{x}}", 5, "{\"x\": \"<&>\"}", 0, &out);
	tap_is(buf_cstr(&out), "<&>", "no escaping in text parts");
	render("{{#x}}yes{{/x}}{{^x}}no{{/x}}", 29, "{\"x\": \"\"}", 1, &out);
	tap_is(buf_cstr(&out), "no", "an empty string is false");
	tap_ok(render("{{> me}}", 8, "{}", 1, &out) == -1,
	    "a partial that includes itself forever is an error, not a crash");
	tap_ok(render_with("x\n    {{> small}}\ny", &err, &out) == 0 &&
	    strcmp(buf_cstr(&out), "x\n    a\n    b\ny") == 0,
	    "an indented partial is indented");
	tap_ok(render_with("x\n        {{> big}}\ny", &err, &out) == -1 &&
	    strstr(err.what, "indented, is over") != NULL,
	    "a partial that indenting makes too long is an error, not cut");
	render(nul_name, sizeof(nul_name) - 1, "{\"ab\": \"x\"}", 1, &out);
	tap_is(buf_cstr(&out), "[]", "a name with a NUL byte matches nothing");

	mval_doc_parse(&doc, "{\"a\": {\"b\": 1}, \"l\": [{\"n\": 1}]}", 32,
	    &why);
	merge_compile(&t, NULL, "{{a.b}} {{a.c}} {{#l}}{{n}}{{m}}{{/l}} {{z}}",
	    44, &err);
	tap_ok(merge_lint(&t, &doc.root, count_unknown, NULL, &err) == 3 &&
	    nunknown == 3, "lint finds a.c, m inside the list, and z");
	merge_release(&t);
	mval_doc_release(&doc);
	buf_release(&out);
	return tap_done();
}
