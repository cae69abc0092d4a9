/*
 * tocsin-template: checks alert templates: syntax errors and unknown
 * variables, each with its file, line and column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alert.h"
#include "cli.h"
#include "compose.h"
#include "log.h"
#include "people.h"
#include "list.h"
#include "xalloc.h"

static const char usage[] =
    "usage: tocsin template lint FILE [--list LIST] [--field NAME]...\n"
    "\n"
    "Checks an alert template: its headers (Subject, Preheader, From),\n"
    "Mustache syntax, and that every variable is one tocsin provides:\n"
    "  first_name, last_name, email, unsubscribe_url, unsubscribe_mailto,\n"
    "  sign_mailto, list.name (its title), list.slug, list.address;\n"
    "  with an action: sign_url, action.title, action.slug,\n"
    "  action.signer_count, action.recent_signers (name, ago; the 10\n"
    "  newest), action.recent_signers_N (the N newest, N from 1 to 100),\n"
    "  action.organisations (number, name), action.organisation_count;\n"
    "and with --list the custom fields of that list's subscribers;\n"
    "--field NAME declares one more.\n";

/* The list's custom field names, NULL-terminated; NULL on failure. */
static char **
list_fields(struct cli *cli, const char *list)
{
	sqlite3_int64 id;
	char **names;
	int n;

	if (cli_open(cli, DB_EXISTING) == -1 ||
	    list_get_id(&cli->db, list, &id) != 1 ||
	    compose_has_address(&cli->db, id) != 1)
		return NULL;
	names = xcalloc(LIST_FIELDS_MAX + 1, sizeof(char *));
	n = list_field_names(&cli->db, id, NULL, names);
	if (n == -1) {
		free(names);
		return NULL;
	}
	return names;
}

#define DECLARED_MAX 64

/* The fields --list finds and --field declares, NULL-terminated. */
static char **
known_fields(struct cli *cli, const char *list, char **declared, int ndecl)
{
	char **fields = NULL;
	int i, n = 0;

	if (list != NULL) {
		fields = list_fields(cli, list);
		if (fields == NULL)
			return NULL;
		while (fields[n] != NULL)
			n++;
	}
	fields = xreallocarray(fields, (size_t)(n + ndecl + 1),
	    sizeof(char *));
	for (i = 0; i < ndecl; i++)
		fields[n++] = xstrdup(declared[i]);
	fields[n] = NULL;
	return fields;
}

static int
lint(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "list", required_argument, NULL, 'l' },
	    { "field", required_argument, NULL, 'f' }, { 0, 0, 0, 0 } };
	char *declared[DECLARED_MAX], **fields, **f;
	const char *list = NULL;
	struct alert_context ctx;
	struct alert_data schema;
	struct alert a;
	int ch, n = -1, ndecl = 0;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 'l')
			list = optarg;
		else if (ch == 'f' && ndecl < DECLARED_MAX)
			declared[ndecl++] = optarg;
		else
			return cli_usage_error("unknown option");
	}
	if (argc - optind != 1)
		return cli_usage_error("template lint takes one FILE");
	fields = known_fields(cli, list, declared, ndecl);
	if (fields == NULL)
		return fail_exit_code();
	if (alert_load(&a, argv[optind]) == 0) {
		alert_schema(&schema, &ctx, &a, 1, (const char *const *)fields);
		n = alert_lint(&a, &schema.root);
		alert_data_release(&schema);
		alert_release(&a);
	}
	for (f = fields; *f != NULL; f++)
		free(*f);
	free(fields);
	if (n == 0) {
		printf("%s: ok\n", argv[optind]);
		return 0;
	}
	if (n > 0)
		log_warnx("%s: %d unknown variable%s", argv[optind], n,
		    n == 1 ? "" : "s");
	return fail_get() != FAIL_NONE ? fail_exit_code() : EX_DATAERR;
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "lint", lint },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-template", usage, commands);
}
