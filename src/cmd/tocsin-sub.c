/*
 * tocsin-sub: subscribers of a list: import a CSV, add one, remove one,
 * show them, export them. Nothing here resubscribes someone who left,
 * bounced or complained without --resubscribe and a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "addr.h"
#include "cli.h"
#include "confirm.h"
#include "import.h"
#include "log.h"
#include "page.h"
#include "people.h"
#include "list.h"
#include "utf8.h"

static const char usage[] =
    "usage: tocsin sub [-c FILE] [-d DB] COMMAND ...\n"
    "\n"
    "  import LIST FILE.csv [--resubscribe REASON]\n"
    "          header row: email, first_name, last_name; a status column\n"
    "          (another tool's words) records who left; other columns\n"
    "          become custom fields; FILE '-' reads stdin\n"
    "  add LIST EMAIL [--field K=V]... [--resubscribe REASON | --confirm]\n"
    "          --confirm: pending until they confirm from the mail the next\n"
    "          tocsin send delivers (double opt-in; needs [web] public_url)\n"
    "  rm LIST EMAIL  unsubscribe (kept, with the time and source); one\n"
    "          not on the list yet is recorded so no import adds them\n"
    "  ls LIST [--status S] [--format tsv|csv]\n"
    "  export LIST [--status S|all]\n"
    "          CSV that 'sub import' reads back; subscribed only unless\n"
    "          --status says otherwise (then with a status column)\n"
    "\n"
    "Unsubscribed, bounced, complained and suppressed addresses are left\n"
    "alone by import and add; --resubscribe REASON (recorded) overrides\n"
    "that, for someone who asked to come back.\n";

struct sub_args {
	const char	*resubscribe;
	int		 confirm;
	const char	*status;
	enum out_format	 format;
	cJSON		*fields;
	const char	*first_name;
	const char	*last_name;
};

/* Adds K=V from --field: first_name and last_name are the names. */
static int
add_field(struct sub_args *a, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char key[65];
	size_t keylen;

	if (eq == NULL || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		return cli_usage_error("--field takes KEY=VALUE (a key of 1 "
		    "to 64 bytes)");
	keylen = (size_t)(eq - kv);
	memcpy(key, kv, keylen);
	key[keylen] = '\0';
	if (!utf8_is_valid(kv, strlen(kv)) || strlen(eq + 1) >
	    IMPORT_VALUE_MAX)
		return cli_usage_error("--field %s: not UTF-8, or longer "
		    "than %d bytes", key, IMPORT_VALUE_MAX);
	if (strcmp(key, "first_name") == 0)
		a->first_name = eq + 1;
	else if (strcmp(key, "last_name") == 0)
		a->last_name = eq + 1;
	else if (strcasecmp(key, "email") == 0 || strcasecmp(key, "name") == 0)
		return cli_usage_error("--field %s: that name is a column "
		    "of its own", key);
	else {
		cJSON_DeleteItemFromObjectCaseSensitive(a->fields, key);
		cJSON_AddStringToObject(a->fields, key, eq + 1);
	}
	return 0;
}

/* Parses the options of every sub command; returns 0 or an exit code. */
static int
sub_options(struct cli *cli, int argc, char **argv, struct sub_args *a,
    const char *allowed)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "resubscribe", required_argument, NULL, 'R' },
	    { "status", required_argument, NULL, 's' },
	    { "format", required_argument, NULL, 'F' },
	    { "field", required_argument, NULL, 'f' },
	    { "confirm", no_argument, NULL, 'K' }, { 0, 0, 0, 0 } };
	int ch, r;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == '?' || strchr(allowed, ch) == NULL)
			return cli_usage_error("unknown option for 'sub %s'",
			    argv[0]);
		if (ch == 'R' && optarg[0] == '\0')
			return cli_usage_error("--resubscribe needs a reason");
		if (ch == 's' && strcmp(optarg, "all") != 0 &&
		    list_status_problem(optarg) != NULL)
			return cli_usage_error("--status: %s, or all",
			    list_status_problem(optarg));
		if (ch == 'F' && out_format_parse(optarg, &a->format) == -1)
			return cli_usage_error("--format is tsv or csv");
		if (ch == 'K')
			a->confirm = 1;
		else if (ch == 'R')
			a->resubscribe = optarg;
		else if (ch == 's')
			a->status = strcmp(optarg, "all") == 0 ? NULL : optarg;
		else if (ch == 'f') {
			r = add_field(a, optarg);
			if (r != 0)
				return r;
		}
	}
	return 0;
}

static int
open_list(struct cli *cli, const char *name, sqlite3_int64 *list_id)
{
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    list_get_id(&cli->db, name, list_id) != 1)
		return -1;
	return 0;
}

static int
sub_import(struct cli *cli, int argc, char **argv)
{
	struct sub_args a = { 0 };
	struct import_counts counts;
	sqlite3_int64 list_id;
	const char *path;
	FILE *fp;
	int r;

	r = sub_options(cli, argc, argv, &a, "R");
	if (r != 0)
		return r;
	if (optind + 2 != argc)
		return cli_usage_error("usage: sub import LIST FILE.csv");
	path = argv[optind + 1];
	if (open_list(cli, argv[optind], &list_id) == -1)
		return fail_exit_code();
	/* A big import need not wait for the disk at every batch. */
	if (db_exec(&cli->db, "PRAGMA synchronous=NORMAL") == -1 ||
	    db_exec(&cli->db, "PRAGMA cache_size=-16384") == -1 ||
	    db_exec(&cli->db, "PRAGMA temp.cache_size=-16384") == -1)
		return fail_exit_code();
	fp = import_open(path);
	if (fp == NULL)
		return fail_exit_code();
	r = import_subscribers(&cli->db, list_id, fp, path, a.resubscribe,
	    &counts);
	if (fp != stdin)
		fclose(fp);
	if (r == 0)
		import_print_summary(path, &counts, IMPORT_SUBSCRIBERS);
	return r == 0 ? 0 : fail_exit_code();
}

/*
 * sub add --confirm: pending, and a confirmation queued in the list's
 * confirmation blast (confirm.h) for tocsin send; tocsin web confirms.
 */
static int
ask_to_confirm(struct cli *cli, sqlite3_int64 list_id, const char *list,
    const struct person *who)
{
	struct pages *pg;
	struct people p;
	sqlite3_int64 sub, blast, delivery;
	const char *text;
	char *dir;
	size_t len;
	time_t now = time(NULL);
	int outcome = -1;

	if (cli->conf.web_public_url == NULL) {
		log_warnx("sub add --confirm needs [web] public_url: the "
		    "confirmation link is served by tocsin web");
		return EX_CONFIG;
	}
	dir = cli->conf.web_templates != NULL ? conf_path(&cli->conf,
	    cli->conf.web_templates) : NULL;
	pg = pages_new(dir);
	free(dir);
	text = page_file(pg, "subscribe.alert", &len);
	people_init(&p, &cli->db);
	if (text != NULL && db_begin(&cli->db) == 0) {
		outcome = people_request(&p, list_id, who, "cli", now, &sub);
		if (outcome == PEOPLE_IMPORTED && (confirm_blast(&cli->db,
		    list_id, 0, "subscribe.alert", text, now, &blast) == -1 ||
		    confirm_queue(&cli->db, blast, sub, now, &delivery) == -1))
			outcome = -1;
		if (outcome == -1 || db_commit(&cli->db) == -1) {
			db_rollback(&cli->db);
			outcome = -1;
		}
	}
	people_release(&p);
	pages_free(pg);
	if (outcome == PEOPLE_IMPORTED)
		printf("%s is pending on list '%s': the next tocsin send mails "
		    "them a link to confirm\n", who->email, list);
	else if (outcome == PEOPLE_UNCHANGED)
		printf("%s is already on list '%s' (subscribed or pending): "
		    "nothing sent\n", who->email, list);
	else if (outcome == PEOPLE_LEFT_ALONE) {
		log_warnx("%s left alone: they bounced, complained or "
		    "are suppressed", who->email);
		fail_set(FAIL_DATA);
	}
	return fail_exit_code();
}

static int
sub_add(struct cli *cli, int argc, char **argv)
{
	char email[ADDR_MAX_LEN + 1], *json = NULL;
	struct sub_args a = { 0 };
	struct people p;
	struct person who;
	sqlite3_int64 list_id;
	const char *why, *list;
	int r, outcome = -1;

	a.fields = cJSON_CreateObject();
	r = sub_options(cli, argc, argv, &a, "RfK");
	if (r == 0 && optind + 2 != argc)
		r = cli_usage_error("usage: sub add LIST EMAIL [--field K=V]");
	if (r == 0 && a.confirm && a.resubscribe != NULL)
		r = cli_usage_error("--confirm and --resubscribe: one or "
		    "the other");
	if (r == 0 && addr_normalise(argv[optind + 1],
	    strlen(argv[optind + 1]), email, &why) == -1) {
		log_warnx("'%.254s' is not an email address: %s",
		    argv[optind + 1], why);
		r = EX_DATAERR;
	}
	if (r != 0 || open_list(cli, argv[optind], &list_id) == -1)
		goto done;
	list = argv[optind];
	who.email = email;
	who.first_name = a.first_name;
	who.last_name = a.last_name;
	json = cJSON_GetArraySize(a.fields) > 0 ?
	    cJSON_PrintUnformatted(a.fields) : NULL;
	who.fields_json = json;
	if (a.confirm) {
		r = ask_to_confirm(cli, list_id, list, &who);
		goto done;
	}
	people_init(&p, &cli->db);
	if (db_begin(&cli->db) == 0) {
		outcome = people_subscribe(&p, list_id, &who, "cli",
		    a.resubscribe, time(NULL));
		if (outcome == -1 || db_commit(&cli->db) == -1) {
			db_rollback(&cli->db);
			outcome = -1;
		}
	}
	people_release(&p);
	switch (outcome) {
	case PEOPLE_IMPORTED:
		printf("added %s to list '%s'\n", email, list);
		break;
	case PEOPLE_UPDATED:
		printf("%s is on list '%s': details updated\n", email, list);
		break;
	case PEOPLE_UNCHANGED:
		printf("%s is already on list '%s'\n", email, list);
		break;
	case PEOPLE_RESUBSCRIBED:
		printf("resubscribed %s to list '%s' (reason recorded)\n",
		    email, list);
		break;
	case PEOPLE_LEFT_ALONE:
		log_warnx("%s left alone: they unsubscribed, bounced or "
		    "complained; if they asked to come back, use "
		    "--resubscribe REASON", email);
		fail_set(FAIL_DATA);
		break;
	}
done:
	cJSON_free(json);
	cJSON_Delete(a.fields);
	return r != 0 ? r : fail_exit_code();
}

static int
sub_rm(struct cli *cli, int argc, char **argv)
{
	char email[ADDR_MAX_LEN + 1], status[16];
	struct sub_args a = { 0 };
	struct people p;
	sqlite3_int64 list_id;
	const char *why;
	int r;

	r = sub_options(cli, argc, argv, &a, "");
	if (r != 0)
		return r;
	if (optind + 2 != argc)
		return cli_usage_error("usage: sub rm LIST EMAIL");
	if (addr_normalise(argv[optind + 1], strlen(argv[optind + 1]), email,
	    &why) == -1) {
		log_warnx("'%.254s' is not an email address: %s",
		    argv[optind + 1], why);
		return EX_DATAERR;
	}
	if (open_list(cli, argv[optind], &list_id) == -1)
		return fail_exit_code();
	people_init(&p, &cli->db);
	r = db_begin(&cli->db);
	if (r == 0)
		r = people_unsubscribe(&p, list_id, email, "cli", 0, time(NULL),
		    status, sizeof(status));
	if (r == 0 && status[0] == '\0') {
		struct person who = { .email = email };

		if (people_record_left(&p, list_id, &who, "unsubscribed",
		    "cli", "before joining", time(NULL)) == -1)
			r = -1;
	}
	if (r == -1 || db_commit(&cli->db) == -1) {
		db_rollback(&cli->db);
		r = -1;
	}
	people_release(&p);
	if (r == 1)
		printf("unsubscribed %s from list '%s'\n", email, argv[optind]);
	else if (r == 0 && status[0] != '\0')
		printf("%s is %s on list '%s' already\n", email, status,
		    argv[optind]);
	else if (r == 0)
		printf("%s was not on list '%s': recorded as unsubscribed, so "
		    "no import adds them\n", email, argv[optind]);
	return fail_exit_code();
}

static int
sub_ls(struct cli *cli, int argc, char **argv)
{
	struct sub_args a = { 0 };
	sqlite3_int64 list_id;
	int r;

	r = sub_options(cli, argc, argv, &a, "sF");
	if (r != 0)
		return r;
	if (optind + 1 != argc)
		return cli_usage_error("usage: sub ls LIST [--status S]");
	if (open_list(cli, argv[optind], &list_id) == -1 ||
	    list_members_print(&cli->db, list_id, a.status, a.format) == -1)
		return fail_exit_code();
	return 0;
}

static int
sub_export(struct cli *cli, int argc, char **argv)
{
	struct sub_args a = { .status = "subscribed" };
	sqlite3_int64 list_id;
	int r;

	r = sub_options(cli, argc, argv, &a, "s");
	if (r != 0)
		return r;
	if (optind + 1 != argc)
		return cli_usage_error("usage: sub export LIST [--status S]");
	if (open_list(cli, argv[optind], &list_id) == -1 ||
	    list_export(&cli->db, list_id, a.status) == -1)
		return fail_exit_code();
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "import", sub_import },
		{ "add", sub_add },
		{ "rm", sub_rm },
		{ "ls", sub_ls },
		{ "export", sub_export },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-sub", usage, commands);
}
