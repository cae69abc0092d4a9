/*
 * tocsin-render: prints the exact message one subscriber would get, as
 * RFC 5322 text with the envelope sender shown as Return-Path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "action.h"
#include "addr.h"
#include "alert.h"
#include "cli.h"
#include "compose.h"
#include "log.h"
#include "list.h"

static const char usage[] =
    "usage: tocsin render TEMPLATE --list LIST --to EMAIL [--as MEMBER]\n"
    "       [--action SLUG]\n"
    "\n"
    "Prints the message that EMAIL, on LIST, would be sent: headers with\n"
    "their tokens, both parts quoted-printable. The config's [sender]\n"
    "keys and secret file are needed. --action gives the action.* data.\n"
    "--as MEMBER merges MEMBER's data into a message to EMAIL, who need\n"
    "not be on the list; its tokens then name nobody.\n";

struct render_args {
	const char	*list;
	const char	*to;
	const char	*as;
	const char	*action;
};

static int
parse(struct cli *cli, int argc, char **argv, struct render_args *a)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "list", required_argument, NULL, 'l' },
	    { "to", required_argument, NULL, 't' },
	    { "as", required_argument, NULL, 's' },
	    { "action", required_argument, NULL, 'a' }, { 0, 0, 0, 0 } };
	int ch;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 'l')
			a->list = optarg;
		else if (ch == 't')
			a->to = optarg;
		else if (ch == 'a')
			a->action = optarg;
		else if (ch == 's')
			a->as = optarg;
		else
			return cli_usage_error("unknown option");
	}
	if (argc - optind != 1 || a->list == NULL || a->to == NULL)
		return cli_usage_error("render takes TEMPLATE, --list "
		    "and --to");
	return 0;
}

static int
render(struct cli *cli, const struct render_args *a, const char *template,
    struct alert_context *ctx, struct list *list,
    struct list_member *m, const char *to)
{
	struct composed_recipient r = { 0 };
	struct composed_list cl = { list->id, list->name, list->title,
	    list->from, list->footer };
	struct composer c;
	struct sender s;
	struct alert al;
	struct buf out;
	int rc = -1;

	if (sender_init(&s, &cli->conf) == -1)
		return -1;
	if (alert_load(&al, template) == 0) {
		alert_context_counts(ctx, &al);
		alert_context_ready(ctx);
		if (compose_lint(&cli->db, &al, list->id,
		    a->action != NULL) == 0) {
			buf_init(&out, 64 * 1024 * 1024);
			composer_init(&c, &s, &al, ctx, &cl);
			/* --as: another's data, and tokens for nobody (0) */
			r.subscriber_id = a->as != NULL ? 0 : m->subscriber_id;
			r.email = a->as != NULL ? to : m->email;
			r.first_name = m->first_name;
			r.last_name = m->last_name;
			r.fields_json = m->fields;
			rc = compose(&c, &r, 1, &out);
			if (rc == 0 && (fwrite(out.data, 1, out.len, stdout) !=
			    out.len || fflush(stdout) != 0)) {
				log_warn("cannot write the message");
				fail_set(FAIL_TEMP);
				rc = -1;
			}
			composer_release(&c);
			buf_release(&out);
		}
		alert_release(&al);
	}
	sender_release(&s);
	return rc;
}

int
main(int argc, char **argv)
{
	struct render_args a = { 0 };
	struct alert_context ctx;
	struct list_member m = { 0 };
	struct list list = { 0 };
	struct action act = { 0 };
	char email[ADDR_MAX_LEN + 1], as[ADDR_MAX_LEN + 1];
	const char *why;
	struct cli cli;
	int code;

	cli_init(&cli, "tocsin-render", usage);
	code = parse(&cli, argc, argv, &a);
	if (code != 0)
		return code;
	if (addr_normalise(a.to, strlen(a.to), email, &why) == -1) {
		log_warnx("--to '%.254s': %s", a.to, why);
		return EX_DATAERR;
	}
	if (a.as != NULL && addr_normalise(a.as, strlen(a.as), as, &why) ==
	    -1) {
		log_warnx("--as '%.254s': %s", a.as, why);
		return EX_DATAERR;
	}
	memset(&ctx, 0, sizeof(ctx));
	if (cli_open(&cli, DB_EXISTING) == 0 &&
	    list_get(&cli.db, a.list, &list) == 1 &&
	    list_member_get(&cli.db, list.id, a.as != NULL ? as : email,
	    &m) == 1 &&
	    (a.action == NULL || (action_find(&cli.db, a.action, &act) == 1 &&
	    action_context(&cli.db, &act, &ctx, time(NULL)) == 0))) {
		ctx.list_name = list.title;
		ctx.list_slug = list.name;
		ctx.list_address = list.address;
		if (a.as == NULL && strcmp(m.status, "subscribed") != 0)
			log_warnx("note: %s is %s on '%s': a blast would not "
			    "send them this", email, m.status, list.name);
		(void)render(&cli, &a, argv[optind], &ctx, &list, &m, email);
	}
	action_release(&act);
	list_member_release(&m);
	list_release(&list);
	cli_release(&cli);
	return fail_exit_code();
}
