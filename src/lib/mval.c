/* mval: merge values and JSON documents of them (see mval.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mval.h"
#include "xalloc.h"

#define MVAL_NUMBER_MAX 32

struct mval
mval_string(const char *key, const char *s)
{
	struct mval v = { .type = MVAL_STRING, .key = key, .str = s,
	    .len = strlen(s) };

	return v;
}

struct mval
mval_object(const char *key, const struct mval *members, size_t count)
{
	struct mval v = { .type = MVAL_OBJECT, .key = key, .items = members,
	    .count = count };

	return v;
}

struct mval
mval_list(const char *key, const struct mval *items, size_t count)
{
	struct mval v = { .type = MVAL_LIST, .key = key, .items = items,
	    .count = count };

	return v;
}

const struct mval *
mval_member(const struct mval *obj, const char *name, size_t len)
{
	size_t i;

	if (obj == NULL || obj->type != MVAL_OBJECT)
		return NULL;
	for (i = 0; i < obj->count; i++) {
		const char *k = obj->items[i].key;

		/* strnlen, not k[len]: a name with a NUL byte in it would
		 * match a shorter key, and k[len] lie past its end. */
		if (k != NULL && strncmp(k, name, len) == 0 &&
		    strnlen(k, len + 1) == len)
			return &obj->items[i];
	}
	return NULL;
}

int
mval_is_truthy(const struct mval *v)
{
	if (v == NULL)
		return 0;
	switch (v->type) {
	case MVAL_NULL:
	case MVAL_FALSE:
		return 0;
	case MVAL_STRING:
		return v->len > 0;
	case MVAL_LIST:
		return v->count > 0;
	default:
		return 1;
	}
}

static void *
doc_block(struct mval_doc *doc, size_t size)
{
	void *p = xcalloc(1, size);

	doc->blocks = xreallocarray(doc->blocks, doc->nblocks + 1,
	    sizeof(void *));
	doc->blocks[doc->nblocks++] = p;
	return p;
}

/* Numbers print as JSON wrote them would read: 85, 1.21. */
static void
number_text(struct mval_doc *doc, struct mval *v, double d)
{
	char *s = doc_block(doc, MVAL_NUMBER_MAX);

	if (d == floor(d) && fabs(d) < 1e15)
		snprintf(s, MVAL_NUMBER_MAX, "%.0f", d);
	else {
		snprintf(s, MVAL_NUMBER_MAX, "%.15g", d);
		if (strtod(s, NULL) != d)
			snprintf(s, MVAL_NUMBER_MAX, "%.17g", d);
	}
	v->str = s;
	v->len = strlen(s);
}

static void
convert(struct mval_doc *doc, const cJSON *j, struct mval *v)
{
	const cJSON *c;
	struct mval *items;
	size_t n = 0;

	memset(v, 0, sizeof(*v));
	v->key = j->string;
	if (cJSON_IsFalse(j))
		v->type = MVAL_FALSE;
	else if (cJSON_IsTrue(j))
		v->type = MVAL_TRUE;
	else if (cJSON_IsNumber(j)) {
		v->type = MVAL_NUMBER;
		number_text(doc, v, j->valuedouble);
	} else if (cJSON_IsString(j)) {
		v->type = MVAL_STRING;
		v->str = j->valuestring;
		v->len = strlen(j->valuestring);
	} else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
		v->type = cJSON_IsArray(j) ? MVAL_LIST : MVAL_OBJECT;
		v->count = (size_t)cJSON_GetArraySize(j);
		items = doc_block(doc, (v->count + 1) * sizeof(*items));
		for (c = j->child; c != NULL; c = c->next)
			convert(doc, c, &items[n++]);
		v->items = items;
	}
}

int
mval_doc_parse(struct mval_doc *doc, const char *text, size_t len,
    const char **why)
{
	cJSON *json;

	memset(doc, 0, sizeof(*doc));
	json = cJSON_ParseWithLength(text, len);
	if (json == NULL) {
		*why = "not valid JSON";
		return -1;
	}
	doc->json = json;
	convert(doc, json, &doc->root);
	doc->root.key = NULL;
	return 0;
}

void
mval_doc_release(struct mval_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->nblocks; i++)
		free(doc->blocks[i]);
	free(doc->blocks);
	cJSON_Delete(doc->json);
	memset(doc, 0, sizeof(*doc));
}
