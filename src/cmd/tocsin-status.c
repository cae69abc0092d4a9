/*
 * tocsin-status: what is wrong before anyone asks: the database, the
 * blasts and why one is not moving, the oldest queued and deferred
 * messages, each relay's last success and error, the last send and
 * inbox runs, the replies waiting for a person, and the config problems
 * it can see. Exits 0 when all is well, 75 when something needs a
 * person, so that a monitoring check can run it.
 */
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "compose.h"
#include "dkim.h"
#include "log.h"
#include "migrate.h"
#include "out.h"
#include "reltime.h"

static const char usage[] =
    "usage: tocsin status [-c FILE] [-d DB] [--format json]\n"
    "\n"
    "The database, the blasts (and why one is not moving), the oldest\n"
    "queued and deferred messages, each relay's last success and error,\n"
    "the last send and inbox runs, the replies waiting for a person, and\n"
    "the config problems it can see. Each thing that needs a person is\n"
    "marked '!'. Exits 0 when none does, 75 when one does.\n";

/* How long before a quiet scheduler, or a deferral, needs a look. */
#define STALE_RUN_SEC		(10 * 60)
#define STALE_DEFERRED_SEC	(60 * 60)

struct status {
	cJSON	*doc;		/* what --format json prints */
	cJSON	*problems;
	int	 json;
};

/* A thing that needs a person: a "!" line, and one of "problems". */
static void
problem(struct status *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct status *s, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(s->problems, cJSON_CreateString(text));
	if (!s->json) {
		printf("! ");
		out_safe(text);
		printf("\n");
	}
}

/* "2026-12-02T02:51:14Z" for JSON; "2026-12-02 03:51 (5 minutes ago)"
 * for people. */
static void
when(char *out, size_t outsize, time_t t, time_t now, int json)
{
	char local[32], ago[RELTIME_MAX];
	struct tm tm;

	if (json) {
		gmtime_r(&t, &tm);
		strftime(out, outsize, "%Y-%m-%dT%H:%M:%SZ", &tm);
		return;
	}
	reltime_local(local, sizeof(local), t);
	reltime_ago(ago, sizeof(ago), t, now);
	snprintf(out, outsize, "%s (%s)", local, ago);
}

static void
add_time(cJSON *o, const char *name, sqlite3_stmt *st, int col, time_t now)
{
	char t[64];

	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		cJSON_AddNullToObject(o, name);
		return;
	}
	when(t, sizeof(t), (time_t)sqlite3_column_int64(st, col), now, 1);
	cJSON_AddStringToObject(o, name, t);
}

static void
database(struct status *s, struct cli *cli)
{
	struct stat sb;
	int version = 0;
	cJSON *o = cJSON_AddObjectToObject(s->doc, "database");

	(void)migrate_current(&cli->db, &version);
	cJSON_AddStringToObject(o, "path", cli->db.path);
	cJSON_AddNumberToObject(o, "bytes", stat(cli->db.path, &sb) == 0 ?
	    (double)sb.st_size : 0);
	cJSON_AddNumberToObject(o, "schema", version);
	if (!s->json)
		printf("database   %s: %.1f MB, schema %d\n", cli->db.path,
		    stat(cli->db.path, &sb) == 0 ? (double)sb.st_size / 1e6 :
		    0, version);
}

/* Every blast that is not over, with its counts and what holds it. */
static int
blasts(struct status *s, struct cli *cli, time_t now)
{
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT b.id, l.name, "
	    "coalesce(a.slug, ''), CASE WHEN b.draft THEN 'draft' WHEN "
	    "b.state = 'scheduled' AND b.started_at IS NOT NULL THEN "
	    "'sending' WHEN b.state = 'scheduled' AND b.due_at <= ?1 THEN "
	    "'due' ELSE b.state END, coalesce(b.state_reason, ''), "
	    "(SELECT count(*) FROM deliveries d WHERE d.blast_id = b.id AND "
	    "d.state = 'sent'), (SELECT count(*) FROM deliveries d WHERE "
	    "d.blast_id = b.id AND d.state IN ('queued', 'sending')), "
	    "(SELECT count(*) FROM deliveries d WHERE d.blast_id = b.id AND "
	    "d.state = 'deferred'), (SELECT count(*) FROM deliveries d WHERE "
	    "d.blast_id = b.id AND d.state = 'unknown'), b.due_at "
	    "FROM blasts b JOIN lists l ON l.id = b.list_id "
	    "LEFT JOIN actions a ON a.id = b.action_id "
	    "WHERE b.state IN ('scheduled', 'paused') ORDER BY b.id");
	cJSON *arr = cJSON_AddArrayToObject(s->doc, "blasts");
	int r, n = 0;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	while ((r = db_step_row(&cli->db, st, "cannot read the blasts")) == 1) {
		long long id = sqlite3_column_int64(st, 0);
		const char *state = db_column_text(st, 3);
		const char *reason = db_column_text(st, 4);
		long long unknown = sqlite3_column_int64(st, 8);
		cJSON *b = cJSON_CreateObject();

		cJSON_AddNumberToObject(b, "id", (double)id);
		cJSON_AddStringToObject(b, "list", db_column_text(st, 1));
		cJSON_AddStringToObject(b, "action", db_column_text(st, 2));
		cJSON_AddStringToObject(b, "state", state);
		cJSON_AddStringToObject(b, "reason", reason);
		cJSON_AddNumberToObject(b, "sent",
		    (double)sqlite3_column_int64(st, 5));
		cJSON_AddNumberToObject(b, "queued",
		    (double)sqlite3_column_int64(st, 6));
		cJSON_AddNumberToObject(b, "deferred",
		    (double)sqlite3_column_int64(st, 7));
		cJSON_AddNumberToObject(b, "unknown", (double)unknown);
		cJSON_AddItemToArray(arr, b);
		if (!s->json) {
			printf("%-10s blast %lld (%s%s%s): %s: %lld sent, %lld "
			    "queued, %lld deferred, %lld unknown\n", n++ == 0 ?
			    "blasts" : "", id, db_column_text(st, 1),
			    *db_column_text(st, 2) != '\0' ? ", " : "",
			    db_column_text(st, 2), state,
			    (long long)sqlite3_column_int64(st, 5),
			    (long long)sqlite3_column_int64(st, 6),
			    (long long)sqlite3_column_int64(st, 7), unknown);
		}
		if (strcmp(state, "paused") == 0 &&
		    strcmp(reason, "by the operator") != 0)
			problem(s, "blast %lld paused itself: %s", id, reason);
		if (unknown > 0)
			problem(s, "blast %lld: %lld messages in flight when a "
			    "sender died may or may not have arrived: 'tocsin "
			    "send --resend-unknown %lld' sends them again", id,
			    unknown, id);
	}
	if (n == 0 && !s->json)
		printf("blasts     none scheduled or paused\n");
	sqlite3_finalize(st);
	return r;
}

/* The oldest message waiting, queued or deferred, and why. */
static int
oldest(struct status *s, struct cli *cli, const char *state, time_t now)
{
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT d.id, d.blast_id, "
	    "d.updated_at, coalesce(d.smtp_reply, ''), d.attempts FROM "
	    "deliveries d JOIN blasts b ON b.id = d.blast_id WHERE "
	    "b.state = 'scheduled' AND NOT b.draft AND b.due_at <= ?2 AND "
	    "d.state = ?1 ORDER BY d.updated_at, d.id LIMIT 1");
	char name[32], t[96];
	cJSON *o;
	int r;

	db_bind_text(st, 1, state);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	snprintf(name, sizeof(name), "oldest_%s", state);
	r = db_step_row(&cli->db, st, "cannot read the queue");
	if (r != 1) {
		if (r == 0 && !s->json)
			printf("%-10s no %s message\n", strcmp(state,
			    "queued") == 0 ? "queue" : "", state);
		cJSON_AddNullToObject(s->doc, name);
		sqlite3_finalize(st);
		return r;
	}
	o = cJSON_AddObjectToObject(s->doc, name);
	cJSON_AddNumberToObject(o, "delivery",
	    (double)sqlite3_column_int64(st, 0));
	cJSON_AddNumberToObject(o, "blast",
	    (double)sqlite3_column_int64(st, 1));
	add_time(o, "since", st, 2, now);
	cJSON_AddStringToObject(o, "reply", db_column_text(st, 3));
	if (!s->json) {
		when(t, sizeof(t), (time_t)sqlite3_column_int64(st, 2), now, 0);
		printf("%-10s oldest %s: delivery %lld of blast %lld, since "
		    "%s", strcmp(state, "queued") == 0 ? "queue" : "", state,
		    (long long)sqlite3_column_int64(st, 0),
		    (long long)sqlite3_column_int64(st, 1), t);
		if (*db_column_text(st, 3) != '\0') {
			printf(", last reply \"");
			out_safe(db_column_text(st, 3));
			printf("\"");
		}
		printf("\n");
	}
	if (strcmp(state, "deferred") == 0 && now -
	    (time_t)sqlite3_column_int64(st, 2) > STALE_DEFERRED_SEC)
		problem(s, "delivery %lld has been deferred for over an hour "
		    "(%d tries): %s", (long long)sqlite3_column_int64(st, 0),
		    sqlite3_column_int(st, 4), db_column_text(st, 3));
	sqlite3_finalize(st);
	return 0;
}

/* Each relay's last message taken and last refused or deferred. */
static int
relays(struct status *s, struct cli *cli, time_t now)
{
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT relay, "
	    "max(CASE WHEN state = 'sent' THEN updated_at END), "
	    "max(CASE WHEN state IN ('deferred', 'failed') THEN updated_at "
	    "END) FROM deliveries WHERE relay IS NOT NULL AND updated_at >= "
	    "?1 GROUP BY relay ORDER BY relay");
	sqlite3_stmt *err = db_prepare(&cli->db, "SELECT coalesce(smtp_reply, "
	    "'') FROM deliveries WHERE relay = ?1 AND updated_at = ?2 AND "
	    "state IN ('deferred', 'failed') LIMIT 1");
	cJSON *arr = cJSON_AddArrayToObject(s->doc, "relays");
	char t1[96], t2[96];
	int r, n = 0;

	/* the relays of the last 30 days: an old config's are history */
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(now - 30 * 86400L));
	while ((r = db_step_row(&cli->db, st, "cannot read the relays")) == 1) {
		cJSON *o = cJSON_CreateObject();
		int has_ok = sqlite3_column_type(st, 1) != SQLITE_NULL;
		int has_err = sqlite3_column_type(st, 2) != SQLITE_NULL;
		const char *reply = "";

		if (has_err) {
			db_bind_text(err, 1, db_column_text(st, 0));
			sqlite3_bind_int64(err, 2, sqlite3_column_int64(st, 2));
			if (db_step_row(&cli->db, err,
			    "cannot read a reply") == 1)
				reply = db_column_text(err, 0);
		}
		cJSON_AddStringToObject(o, "relay", db_column_text(st, 0));
		add_time(o, "last_sent", st, 1, now);
		add_time(o, "last_error", st, 2, now);
		cJSON_AddStringToObject(o, "last_error_reply", reply);
		cJSON_AddItemToArray(arr, o);
		if (!s->json) {
			if (has_ok)
				when(t1, sizeof(t1), (time_t)
				    sqlite3_column_int64(st, 1), now, 0);
			if (has_err)
				when(t2, sizeof(t2), (time_t)
				    sqlite3_column_int64(st, 2), now, 0);
			printf("%-10s %s: last sent %s; last error %s",
			    n++ == 0 ? "relays" : "", db_column_text(st, 0),
			    has_ok ? t1 : "never", has_err ? t2 : "none");
			if (has_err && *reply != '\0') {
				printf(": \"");
				out_safe(reply);
				printf("\"");
			}
			printf("\n");
		}
		if (has_err && (!has_ok || sqlite3_column_int64(st, 2) >
		    sqlite3_column_int64(st, 1)))
			problem(s, "relay %s: its last answer was an error, "
			    "not a message taken: %s", db_column_text(st, 0),
			    reply);
		sqlite3_reset(err);
	}
	sqlite3_finalize(err);
	sqlite3_finalize(st);
	return r;
}

/* The last run of send or inbox: when, how it ended, what it did. */
static int
last_run(struct status *s, struct cli *cli, const char *program,
    int expected, time_t now)
{
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT ran_at, ok, "
	    "coalesce(problem, ''), acted_at, coalesce(summary, '') FROM runs "
	    "WHERE program = ?1");
	cJSON *runs = cJSON_GetObjectItem(s->doc, "runs"), *o;
	char t[96], a[96];
	int r;

	if (runs == NULL)
		runs = cJSON_AddObjectToObject(s->doc, "runs");
	db_bind_text(st, 1, program);
	r = db_step_row(&cli->db, st, "cannot read the runs");
	if (r != 1) {
		cJSON_AddNullToObject(runs, program);
		if (!s->json)
			printf("%-10s never ran%s\n", program, expected ?
			    "" : " (nothing configured for it)");
		if (r == 0 && expected)
			problem(s, "tocsin %s has never run: is its timer or "
			    "cron entry installed?", program);
		sqlite3_finalize(st);
		return r == -1 ? -1 : 0;
	}
	o = cJSON_AddObjectToObject(runs, program);
	add_time(o, "ran_at", st, 0, now);
	cJSON_AddBoolToObject(o, "ok", sqlite3_column_int(st, 1));
	cJSON_AddStringToObject(o, "problem", db_column_text(st, 2));
	add_time(o, "acted_at", st, 3, now);
	cJSON_AddStringToObject(o, "summary", db_column_text(st, 4));
	if (!s->json) {
		when(t, sizeof(t), (time_t)sqlite3_column_int64(st, 0), now, 0);
		printf("%-10s last run %s, %s", program, t,
		    sqlite3_column_int(st, 1) ? "ok" : "failed");
		if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
			when(a, sizeof(a), (time_t)sqlite3_column_int64(st, 3),
			    now, 0);
			printf("; last did something %s: %s", a,
			    db_column_text(st, 4));
		}
		printf("\n");
	}
	if (!sqlite3_column_int(st, 1))
		problem(s, "the last tocsin %s failed: %s", program,
		    db_column_text(st, 2));
	if (expected && now - (time_t)sqlite3_column_int64(st, 0) >
	    STALE_RUN_SEC)
		problem(s, "tocsin %s has not run for over 10 minutes: is its "
		    "timer or cron entry running?", program);
	sqlite3_finalize(st);
	return 0;
}

static int
replies_waiting(struct status *s, struct cli *cli)
{
	sqlite3_stmt *st = db_prepare(&cli->db, "SELECT count(*) FROM "
	    "replies WHERE kind = 'reply' AND handled_at IS NULL");
	int r = db_step_row(&cli->db, st, "cannot count the replies");
	long long n = r == 1 ? sqlite3_column_int64(st, 0) : 0;

	sqlite3_finalize(st);
	cJSON_AddNumberToObject(s->doc, "replies_waiting", (double)n);
	if (!s->json)
		printf("replies    %lld waiting for a person%s\n", n, n > 0 ?
		    " (tocsin replies)" : "");
	return r == -1 ? -1 : 0;
}

/* Whether something listens on [web] listen (127.0.0.1:8080). */
static int
web_listening(const char *listen_at)
{
	char host[256];
	const char *colon = strrchr(listen_at, ':');
	struct addrinfo hints, *ai = NULL;
	int fd, ok = 0;

	if (colon == NULL || (size_t)(colon - listen_at) >= sizeof(host))
		return 0;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen_at),
	    listen_at);
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return 0;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd != -1) {
		ok = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
		close(fd);
	}
	freeaddrinfo(ai);
	return ok;
}

/* What the config gets wrong that status can see from here. */
static void
config(struct status *s, struct cli *cli)
{
	const struct conf *c = &cli->conf;
	struct sender sender;
	int problems = (int)cJSON_GetArraySize(s->problems);

	if (!s->json)
		fflush(stdout);
	/* sender_init checks the domains, the URLs, the secret's mode and
	 * the DKIM keys, logging what is wrong. */
	if (sender_init(&sender, c) == -1)
		problem(s, "the config cannot send: %s", log_last_warning());
	else {
		if (sender.dkim.nkeys == 0)
			problem(s, "no DKIM key: tocsin signs nothing, so "
			    "one-click unsubscribe counts only if the relay "
			    "signs ('tocsin dkim keygen', then tocsin dns)");
		sender_release(&sender);
	}
	if (c->web_listen != NULL && !web_listening(c->web_listen))
		problem(s, "nothing listens on [web] listen %s: the "
		    "unsubscribe links every message carries are not served "
		    "(is tocsin web running?)", c->web_listen);
	if (!s->json && (int)cJSON_GetArraySize(s->problems) == problems)
		printf("config     ok\n");
}

static int
status(struct cli *cli, int json)
{
	struct status s;
	time_t now = time(NULL);
	char *text;
	int r = 0, n;

	memset(&s, 0, sizeof(s));
	s.json = json;
	s.doc = cJSON_CreateObject();
	s.problems = cJSON_CreateArray();
	database(&s, cli);
	if (blasts(&s, cli, now) == -1 || oldest(&s, cli, "queued", now) ==
	    -1 || oldest(&s, cli, "deferred", now) == -1 ||
	    relays(&s, cli, now) == -1 ||
	    last_run(&s, cli, "send", cli->conf.smtp_url != NULL, now) == -1 ||
	    last_run(&s, cli, "inbox", cli->conf.imap_url != NULL, now) ==
	    -1 || replies_waiting(&s, cli) == -1)
		r = -1;
	if (r == 0)
		config(&s, cli);
	n = cJSON_GetArraySize(s.problems);
	cJSON_AddItemToObject(s.doc, "problems", s.problems);
	if (r == 0 && json) {
		text = cJSON_PrintUnformatted(s.doc);
		printf("%s\n", text);
		free(text);
	} else if (r == 0)
		printf(n == 0 ? "all well\n" : n == 1 ?
		    "1 thing needs a person\n" : "%d things need a person\n",
		    n);
	cJSON_Delete(s.doc);
	if (r == -1)
		return fail_exit_code();
	return n > 0 ? EX_TEMPFAIL : 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "format", required_argument, NULL, 'f' }, { 0, 0, 0, 0 } };
	struct cli cli;
	int ch, json = 0, code;

	cli_init(&cli, "tocsin-status", usage);
	while ((ch = cli_next_option(&cli, argc, argv, CLI_SHORTOPTS,
	    opts)) != -1) {
		if (ch != 'f' || strcmp(optarg, "json") != 0)
			return cli_usage_error("status takes --format json");
		json = 1;
	}
	if (optind != argc)
		return cli_usage_error("status takes no arguments");
	if (cli_open(&cli, DB_EXISTING) == -1)
		code = fail_exit_code();
	else
		code = status(&cli, json);
	cli_release(&cli);
	if (fflush(stdout) != 0 && code == 0)
		code = EX_IOERR;
	return code;
}
