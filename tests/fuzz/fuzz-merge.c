/*
 * libFuzzer: any bytes as a Mustache template (the first line is a
 * partial's source), compiled, rendered with and without escaping
 * against a fixed context, and linted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "mval.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *partial_src;
static size_t partial_len;

static char *
load(void *arg, const char *name, size_t len, size_t *outlen)
{
	(void)arg;
	(void)name;
	(void)len;
	*outlen = partial_len;
	return xstrndup(partial_src, partial_len);
}

static void
unknown(void *arg, const char *name, size_t len, unsigned line, unsigned col)
{
	(void)arg;
	(void)name;
	(void)len;
	(void)line;
	(void)col;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char json[] = "{\"a\":\"<x>&\",\"b\":[1,{\"c\":true},"
	    "[\"d\"]],\"e\":{\"f\":{\"g\":\"h\"}},\"n\":null,\"z\":\"\","
	    "\"p\":\"a\"}";
	const char *src = (const char *)data, *nl = memchr(src, '\n', size);
	struct merge_loader loader = { load, NULL };
	struct merge_env *env;
	struct merge_error err;
	struct mtemplate t;
	struct mval_doc doc;
	struct buf out;
	const char *why;

	partial_src = src;
	partial_len = nl != NULL ? (size_t)(nl - src) : 0;
	if (mval_doc_parse(&doc, json, strlen(json), &why) != 0)
		abort();
	env = merge_env_new(&loader);
	buf_init(&out, 1 << 20);
	if (merge_compile(&t, env, src, size, &err) == 0) {
		(void)merge_render(&t, &doc.root, 1, &out, &err);
		buf_reset(&out);
		(void)merge_render(&t, &doc.root, 0, &out, &err);
		(void)merge_lint(&t, &doc.root, unknown, NULL, &err);
		merge_release(&t);
	}
	buf_release(&out);
	merge_env_free(env);
	mval_doc_release(&doc);
	return 0;
}
