/*
 * tocsin-blast: creates blasts (an alert to a segment of a list) as
 * drafts, schedules them, and shows, pauses, resumes and cancels them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "action.h"
#include "addr.h"
#include "alert.h"
#include "blast.h"
#include "buf.h"
#include "cli.h"
#include "compose.h"
#include "fsx.h"
#include "log.h"
#include "reltime.h"
#include "list.h"
#include "segment.h"
#include "send.h"
#include "xalloc.h"

static const char usage[] =
    "usage: tocsin blast [-c FILE] [-d DB] COMMAND ...\n"
    "\n"
    "  create LIST TEMPLATE [--action SLUG] [--rate N] [--allow-empty]\n"
    SEGMENT_USAGE
    "         [--schedule [--at TIME] [--allow-past]]\n"
    "         a draft: fix the recipients and snapshot the template, and\n"
    "         say who and what; nothing sends it until 'schedule' (or\n"
    "         --schedule, for scripts); --rate N messages a second\n"
    "  schedule ID [--at TIME] [--allow-past]\n"
    "         make a draft due: now, or at TIME ('YYYY-MM-DD HH:MM' local,\n"
    "         or ISO 8601 with Z or an offset); a past TIME needs\n"
    "         --allow-past\n"
    "  test ID --to ADDR... [--as EMAIL]\n"
    "         send the exact message, rendered for the first recipient (or\n"
    "         EMAIL), Subject '[TEST] ...', to staff addresses through the\n"
    "         relay; its links and addresses act on nobody\n"
    "  ls [--format tsv|csv]\n"
    "  show ID        counts per delivery state, times, last errors\n"
    "  pause ID | resume [--force] ID | cancel ID\n"
    "                  --force resumes a blast paused for its list's\n"
    "                  complaint rate, and keeps it from pausing again\n";

struct create_args {
	const char		*action;
	const char		*at;
	long			 rate;
	int			 schedule;
	int			 allow_past;
	struct blast_spec	 spec;
};

/* --at, or now; a past time only with --allow-past. 0 or an exit code. */
static int
due_time(const char *at, int allow_past, time_t *due)
{
	time_t now = time(NULL);

	if (at == NULL) {
		*due = now;
		return 0;
	}
	if (reltime_parse(at, due) == -1)
		return cli_usage_error("--at takes local 'YYYY-MM-DD HH:MM', "
		    "or ISO 8601 with Z or an offset "
		    "('2026-12-01T09:00+01:00')");
	if (*due < now - 60 && !allow_past) {
		log_warnx("--at %s is in the past: the blast would go at once; "
		    "--allow-past if that is what you want", at);
		return EX_DATAERR;
	}
	return 0;
}

static int
create_options(struct cli *cli, int argc, char **argv, struct create_args *a)
{
	static const struct option opts[] = { CLI_LONGOPTS, SEGMENT_LONGOPTS,
	    { "action", required_argument, NULL, 'a' },
	    { "at", required_argument, NULL, 't' },
	    { "schedule", no_argument, NULL, 'S' },
	    { "allow-past", no_argument, NULL, 'P' },
	    { "allow-empty", no_argument, NULL, 'E' },
	    { "rate", required_argument, NULL, 'r' }, { 0, 0, 0, 0 } };
	char *end;
	int ch, r;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		r = segment_option(&a->spec.seg, ch, optarg);
		if (r == 1)
			continue;
		if (r != 0)
			return r;
		if (ch == 'a')
			a->action = optarg;
		else if (ch == 't')
			a->at = optarg;
		else if (ch == 'S')
			a->schedule = 1;
		else if (ch == 'P')
			a->allow_past = 1;
		else if (ch == 'E')
			a->spec.allow_empty = 1;
		else if (ch == 'r') {
			errno = 0;
			a->rate = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || a->rate < 1)
				r = cli_usage_error("--rate takes messages a "
				    "second, 1 or more");
		} else
			r = cli_usage_error("unknown option");
		if (r != 0)
			return r;
	}
	if (argc - optind != 2)
		return cli_usage_error("blast create takes LIST and TEMPLATE");
	if (a->at != NULL && !a->schedule)
		return cli_usage_error("--at goes with --schedule (or 'blast "
		    "schedule ID --at TIME')");
	a->spec.draft = !a->schedule;
	a->spec.rate = a->rate;
	return 0;
}

/* "subscribed members of 'river', not signers of 'x', where city=Lyon" */
static void
describe(struct buf *b, const char *list, const struct create_args *a)
{
	(void)buf_printf(b, "subscribed members of '%s'", list);
	segment_describe(&a->spec.seg, b);
	if (b->failed)
		BUG("a segment's words outgrew SEGMENT_WORDS_MAX");
}

/*
 * Looks up the list and actions, and loads and lints the template. On
 * success the caller releases `al`; on failure nothing is left to.
 */
static int
prepare(struct cli *cli, const char *list_name, const char *template,
    struct create_args *a, struct list *list, struct alert *al)
{
	struct action act = { 0 };

	if (list_get(&cli->db, list_name, list) != 1)
		return -1;
	a->spec.list_id = list->id;
	if (a->action != NULL) {
		if (action_find(&cli->db, a->action, &act) != 1)
			return -1;
		a->spec.action_id = act.id;
		action_release(&act);
	}
	a->spec.seg.list_id = list->id;
	if (segment_finish(&cli->db, &a->spec.seg) == -1)
		return -1;
	if (alert_load(al, template) == -1)
		return -1;
	if (compose_lint(&cli->db, al, list->id, a->action != NULL) == -1) {
		log_warnx("blast not created: fix the template first");
		alert_release(al);
		return -1;
	}
	return 0;
}

/*
 * The subject the first recipient would see: what the draft says. One
 * too long for `out` is said to be, never cut (out->failed is not left).
 */
static void
sample_subject(struct cli *cli, sqlite3_int64 id, const struct create_args *a,
    struct alert *al, const struct list *list, struct buf *out)
{
	struct alert_context *ctx = xcalloc(1, sizeof(*ctx));
	struct alert_recipient rc = { 0 };
	struct alert_output o;
	struct alert_data d;
	struct action act = { 0 };
	sqlite3_stmt *st;

	ctx->list_name = list->title;
	ctx->list_slug = list->name;
	ctx->list_address = list->address;
	if (a->action != NULL && action_find(&cli->db, a->action, &act) == 1)
		(void)action_context(&cli->db, &act, ctx, time(NULL));
	alert_context_counts(ctx, al);
	alert_context_ready(ctx);
	st = db_prepare(&cli->db, "SELECT s.email, s.first_name, s.last_name, "
	    "s.fields FROM deliveries d JOIN subscribers s ON s.id = "
	    "d.subscriber_id WHERE d.blast_id = ?1 ORDER BY d.id LIMIT 1");
	sqlite3_bind_int64(st, 1, id);
	if (db_step_row(&cli->db, st, "read a recipient") == 1) {
		rc.email = db_column_text(st, 0);
		rc.first_name = db_column_text(st, 1);
		rc.last_name = db_column_text(st, 2);
		rc.fields_json = db_column_text(st, 3);
		alert_output_init(&o);
		alert_data_build(&d, ctx, &rc);
		if (alert_render(al, &d.root, &o) == 0 &&
		    buf_printf(out, "%s (for %s)", buf_cstr(&o.subject),
		    rc.email) == -1) {
			buf_reset(out);
			(void)buf_printf(out, "longer than a Subject may "
			    "be (for %s)", rc.email);
		}
		alert_data_release(&d);
		alert_output_release(&o);
	}
	sqlite3_finalize(st);
	action_release(&act);
	free(ctx);
}

static void
print_draft(struct cli *cli, sqlite3_int64 id, long long n,
    const struct create_args *a, struct alert *al,
    const struct list *list)
{
	struct buf subject;

	buf_init(&subject, 4096);
	sample_subject(cli, id, a, al, list, &subject);
	printf("blast %lld: a draft, %lld recipient%s: %s\n", (long long)id, n,
	    n == 1 ? "" : "s", a->spec.segment);
	if (subject.len > 0)
		printf("  subject: %s\n", buf_cstr(&subject));
	printf("  nothing is sent until 'tocsin blast schedule %lld [--at "
	    "TIME]'; 'tocsin send --dry-run --outbox DIR %lld' shows every "
	    "message\n", (long long)id, (long long)id);
	buf_release(&subject);
}

static int
blast_create_cmd(struct cli *cli, int argc, char **argv)
{
	struct create_args a;
	struct list list = { 0 };
	struct alert al = { 0 };
	struct buf segment;
	char *text = NULL, *partials = NULL, due[48];
	sqlite3_int64 id;
	long long n;
	size_t len;
	int r;

	memset(&a, 0, sizeof(a));
	r = create_options(cli, argc, argv, &a);
	if (r != 0)
		return r;
	/* --at is read after the config: in the group's [blast] timezone */
	if (cli_open(cli, DB_EXISTING) == -1)
		return fail_exit_code();
	r = due_time(a.at, a.allow_past, &a.spec.due_at);
	if (r != 0)
		return r;
	buf_init(&segment, SEGMENT_WORDS_MAX);
	if (prepare(cli, argv[optind], argv[optind + 1], &a, &list, &al) == 0) {
		text = fsx_read(argv[optind + 1], ALERT_FILE_MAX, &len);
		partials = alert_partials_json(&al);
		describe(&segment, list.name, &a);
		a.spec.template_name = argv[optind + 1];
		a.spec.template_text = text;
		a.spec.partials_json = partials;
		a.spec.segment = buf_cstr(&segment);
		if (text == NULL)
			log_warn("cannot read '%s'", argv[optind + 1]);
		else if (blast_create(&cli->db, &a.spec, &id, &n) == 0 &&
		    a.schedule) {
			reltime_zoned(due, sizeof(due), a.spec.due_at);
			printf("blast %lld: %lld recipient%s, due %s%s\n",
			    (long long)id, n, n == 1 ? "" : "s", due,
			    a.at == NULL ? " (now)" : "");
		} else if (fail_get() == FAIL_NONE)
			print_draft(cli, id, n, &a, &al, &list);
		alert_release(&al);
	}
	free(text);
	free(partials);
	buf_release(&segment);
	list_release(&list);
	return fail_exit_code();
}

/* The blast ID of `blast COMMAND ID`; --force too when `force`. */
static int
blast_id_force_arg(struct cli *cli, int argc, char **argv,
    sqlite3_int64 *id, int *force)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "force", no_argument, NULL, 'F' }, { 0, 0, 0, 0 } };
	char *end;
	int ch;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch != 'F' || force == NULL)
			return cli_usage_error("unknown option for 'blast %s'",
			    argv[0]);
		*force = 1;
	}
	if (argc - optind != 1)
		return cli_usage_error("blast %s takes a blast ID", argv[0]);
	errno = 0;
	*id = strtoll(argv[optind], &end, 10);
	if (errno != 0 || *end != '\0' || *id < 1)
		return cli_usage_error("'%.20s' is not a blast ID",
		    argv[optind]);
	return cli_open(cli, DB_EXISTING) == -1 ? fail_exit_code() : 0;
}

static int
blast_id_arg(struct cli *cli, int argc, char **argv, sqlite3_int64 *id)
{
	return blast_id_force_arg(cli, argc, argv, id, NULL);
}

static int
blast_show_cmd(struct cli *cli, int argc, char **argv)
{
	sqlite3_int64 id;
	int r = blast_id_arg(cli, argc, argv, &id);

	if (r != 0)
		return r;
	(void)blast_show(&cli->db, id, &cli->conf);
	return fail_exit_code();
}

static int
change_state(struct cli *cli, int argc, char **argv, const char *from,
    const char *to)
{
	sqlite3_int64 id;
	int r = blast_id_arg(cli, argc, argv, &id);

	if (r != 0)
		return r;
	if (blast_set_state(&cli->db, id, from, to) == 1)
		printf("blast %lld is %s\n", (long long)id, to);
	return fail_exit_code();
}

static int
blast_schedule_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "at", required_argument, NULL, 't' },
	    { "allow-past", no_argument, NULL, 'P' }, { 0, 0, 0, 0 } };
	const char *at = NULL;
	char *end, due[48];
	sqlite3_int64 id;
	time_t when;
	int ch, allow_past = 0, r;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 't')
			at = optarg;
		else if (ch == 'P')
			allow_past = 1;
		else
			return cli_usage_error("unknown option");
	}
	if (argc - optind != 1)
		return cli_usage_error("blast schedule takes a blast ID");
	errno = 0;
	id = strtoll(argv[optind], &end, 10);
	if (errno != 0 || *end != '\0' || id < 1)
		return cli_usage_error("'%.20s' is not a blast ID",
		    argv[optind]);
	if (cli_open(cli, DB_EXISTING) == -1)
		return fail_exit_code();
	r = due_time(at, allow_past, &when);
	if (r != 0)
		return r;
	if (blast_schedule(&cli->db, id, when) == 1) {
		reltime_zoned(due, sizeof(due), when);
		printf("blast %lld is scheduled, due %s%s\n", (long long)id,
		    due, at == NULL ? " (now)" : "");
	}
	return fail_exit_code();
}

#define TEST_TO_MAX	16

static int
blast_test_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "to", required_argument, NULL, 'T' },
	    { "as", required_argument, NULL, 'A' }, { 0, 0, 0, 0 } };
	char to[TEST_TO_MAX][ADDR_MAX_LEN + 1], *top[TEST_TO_MAX];
	char as[ADDR_MAX_LEN + 1], *end;
	const char *why;
	size_t nto = 0;
	sqlite3_int64 id;
	int ch, has_as = 0;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch != 'T' && ch != 'A')
			return cli_usage_error("unknown option");
		if (ch == 'T' && nto == TEST_TO_MAX)
			return cli_usage_error("at most %d --to", TEST_TO_MAX);
		if (addr_normalise(optarg, strlen(optarg), ch == 'T' ? to[nto] :
		    as, &why) == -1)
			return cli_usage_error("--%s '%.254s': %s", ch == 'T' ?
			    "to" : "as", optarg, why);
		if (ch == 'T') {
			top[nto] = to[nto];
			nto++;
		} else
			has_as = 1;
	}
	if (argc - optind != 1 || nto == 0)
		return cli_usage_error("blast test takes a blast ID and "
		    "--to ADDR");
	errno = 0;
	id = strtoll(argv[optind], &end, 10);
	if (errno != 0 || *end != '\0' || id < 1)
		return cli_usage_error("'%.20s' is not a blast ID",
		    argv[optind]);
	if (cli_open(cli, DB_EXISTING) == 0)
		(void)send_test(cli, id, top, nto, has_as ? as : NULL);
	return fail_exit_code();
}

static int
blast_pause_cmd(struct cli *cli, int argc, char **argv)
{
	return change_state(cli, argc, argv, "scheduled", "paused");
}

/* --force: also past the list's complaint limit, from now on. */
static int
blast_resume_cmd(struct cli *cli, int argc, char **argv)
{
	sqlite3_int64 id;
	int force = 0, r = blast_id_force_arg(cli, argc, argv, &id, &force);

	if (r != 0)
		return r;
	if (blast_set_state(&cli->db, id, "paused", "scheduled") == 1 &&
	    (!force || blast_override_complaints(&cli->db, id) == 0))
		printf("blast %lld is scheduled%s\n", (long long)id, force ?
		    ", whatever its list's complaint rate" : "");
	return fail_exit_code();
}

static int
blast_cancel_cmd(struct cli *cli, int argc, char **argv)
{
	return change_state(cli, argc, argv, "scheduled|paused", "cancelled");
}

static int
blast_ls_cmd(struct cli *cli, int argc, char **argv)
{
	enum out_format format;
	int r = cli_listing_options(cli, argc, argv, &format);

	if (r != 0)
		return r;
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    blast_list(&cli->db, format) == -1)
		return fail_exit_code();
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "create", blast_create_cmd },
		{ "ls", blast_ls_cmd },
		{ "show", blast_show_cmd },
		{ "schedule", blast_schedule_cmd },
		{ "test", blast_test_cmd },
		{ "pause", blast_pause_cmd },
		{ "resume", blast_resume_cmd },
		{ "cancel", blast_cancel_cmd },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-blast", usage, commands);
}
