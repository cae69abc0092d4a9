/*
 * The Mustache spec, every case of every file in tests/spec/mustache
 * (a copy of shared/spec/mustache): one TAP line per case. The core
 * files must pass; the optional ones (~inheritance, ~dynamic-names)
 * report failures as TODO.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "merge.h"
#include "mval.h"
#include "tap.h"
#include "xalloc.h"

#ifndef SPEC_DIR
#define SPEC_DIR "tests/spec/mustache"
#endif

/* Partials come from the case's "partials" object. */
static char *
load_partial(void *arg, const char *name, size_t len, size_t *outlen)
{
	const cJSON *partials = arg, *p;

	cJSON_ArrayForEach(p, partials) {
		if (strlen(p->string) == len &&
		    memcmp(p->string, name, len) == 0 && cJSON_IsString(p)) {
			*outlen = strlen(p->valuestring);
			return xstrdup(p->valuestring);
		}
	}
	return NULL;
}

static void
run_case(const char *file, const cJSON *c, int optional)
{
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(c, "name"));
	const char *tmpl = cJSON_GetStringValue(cJSON_GetObjectItem(c,
	    "template"));
	const char *want = cJSON_GetStringValue(cJSON_GetObjectItem(c,
	    "expected"));
	struct merge_loader loader = { load_partial,
	    cJSON_GetObjectItem(c, "partials") };
	struct merge_env *env = merge_env_new(&loader);
	char *data_text = cJSON_PrintUnformatted(cJSON_GetObjectItem(c,
	    "data"));
	struct merge_error err;
	struct mtemplate t;
	struct mval_doc doc;
	const char *why;
	struct buf out;
	int pass = 0;

	buf_init(&out, 1 << 20);
	if (mval_doc_parse(&doc, data_text, strlen(data_text), &why) == 0) {
		if (merge_compile(&t, env, tmpl, strlen(tmpl), &err) == 0) {
			pass = merge_render(&t, &doc.root, 1, &out,
			    &err) == 0 &&
			    strcmp(buf_cstr(&out), want) == 0;
			merge_release(&t);
		}
		mval_doc_release(&doc);
	}
	if (optional && !pass)
		tap_todo(pass, "an optional part of the spec", "%s: %s", file,
		    name);
	else
		tap_ok(pass, "%s: %s", file, name);
	if (!pass && !optional) {
		tap_diag("template: %s", tmpl);
		tap_diag("want: '%s'", want);
		tap_diag("got:  '%s' %s", buf_cstr(&out), err.what);
	}
	cJSON_free(data_text);
	buf_release(&out);
	merge_env_free(env);
}

static void
run_file(const char *dir, const char *file)
{
	char path[512];
	const cJSON *c;
	cJSON *spec;
	FILE *fp;
	char *text;
	long size;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fp = fopen(path, "r");
	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 ||
	    (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		tap_ok(0, "cannot read %s", path);
		if (fp != NULL)
			fclose(fp);
		return;
	}
	text = xmalloc((size_t)size + 1);
	text[fread(text, 1, (size_t)size, fp)] = '\0';
	fclose(fp);
	spec = cJSON_Parse(text);
	free(text);
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(spec, "tests"))
		run_case(file, c, file[0] == '~');
	cJSON_Delete(spec);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : SPEC_DIR;
	struct dirent **names;
	int i, n;

	n = scandir(dir, &names, NULL, by_name);
	if (n < 0) {
		tap_ok(0, "cannot read the spec directory %s", dir);
		return tap_done();
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 5 && strcmp(names[i]->d_name + len - 5, ".json") == 0)
			run_file(dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return tap_done();
}
