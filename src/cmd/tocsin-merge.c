/*
 * tocsin-merge: renders a Mustache file with JSON data to stdout. A
 * partial {{> name}} is the file name.mustache beside the template.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "alert.h"
#include "buf.h"
#include "cli.h"
#include "fsx.h"
#include "log.h"
#include "merge.h"
#include "mval.h"
#include "xalloc.h"

#define MERGE_DATA_MAX		(64 * 1024 * 1024)
#define MERGE_OUTPUT_MAX	(256 * 1024 * 1024)

static const char usage[] =
    "usage: tocsin merge [--text] TEMPLATE DATA.json\n"
    "\n"
    "Renders the Mustache template TEMPLATE with the JSON data to stdout.\n"
    "{{> name}} includes name.mustache from the template's directory.\n"
    "\n"
    "  --text   do not HTML-escape {{x}} (as in a plain-text email part)\n";

static int
report(const char *template, const char *dir, const struct merge_error *e)
{
	if (e->partial[0] != '\0')
		log_warnx("%s%s.mustache:%u:%u: %s", dir, e->partial, e->line,
		    e->col, e->what);
	else if (e->line > 0)
		log_warnx("%s:%u:%u: %s", template, e->line, e->col, e->what);
	else
		log_warnx("%s: %s", template, e->what);
	return EX_DATAERR;
}

static char *
read_or_warn(const char *path, size_t max, size_t *len)
{
	char *s = fsx_read(path, max, len);

	if (s == NULL)
		log_warn("cannot read '%s'", path);
	return s;
}

static int
merge(const char *tpath, const char *dpath, int escape)
{
	char *dir = fsx_dirname(tpath), *src = NULL, *data = NULL;
	struct merge_loader loader = alert_partial_loader(dir);
	struct merge_env *env = merge_env_new(&loader);
	struct merge_error err;
	struct mtemplate t;
	struct mval_doc doc;
	struct buf out;
	const char *why;
	size_t slen, dlen;
	int code = EX_NOINPUT;

	buf_init(&out, MERGE_OUTPUT_MAX);
	src = read_or_warn(tpath, MERGE_SOURCE_MAX, &slen);
	data = src != NULL ? read_or_warn(dpath, MERGE_DATA_MAX, &dlen) : NULL;
	if (data == NULL)
		goto done;
	code = EX_DATAERR;
	if (mval_doc_parse(&doc, data, dlen, &why) == -1) {
		log_warnx("%s: %s", dpath, why);
		goto done;
	}
	if (merge_compile(&t, env, src, slen, &err) == -1)
		code = report(tpath, dir, &err);
	else {
		if (merge_render(&t, &doc.root, escape, &out, &err) == -1)
			code = report(tpath, dir, &err);
		else if (fwrite(out.data, 1, out.len, stdout) != out.len ||
		    fflush(stdout) != 0) {
			log_warn("cannot write the output");
			code = EX_IOERR;
		} else
			code = 0;
		merge_release(&t);
	}
	mval_doc_release(&doc);
done:
	buf_release(&out);
	merge_env_free(env);
	free(src);
	free(data);
	free(dir);
	return code;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "text", no_argument, NULL, 't' }, { 0, 0, 0, 0 } };
	struct cli cli;
	int ch, escape = 1, code;

	cli_init(&cli, "tocsin-merge", usage);
	while ((ch = cli_next_option(&cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch != 't')
			return cli_usage_error("unknown option");
		escape = 0;
	}
	if (argc - optind != 2)
		return cli_usage_error("merge takes TEMPLATE and DATA.json");
	code = merge(argv[optind], argv[optind + 1], escape);
	cli_release(&cli);
	return code;
}
