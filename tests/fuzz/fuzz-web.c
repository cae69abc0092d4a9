/*
 * libFuzzer: any bytes as a request to tocsin web's handlers, against a
 * real database (a list, a subscriber, an action with a list): the
 * first line is the method, the second the path, the third the token,
 * then key=value lines the form. Routing, token checks, form checks and
 * page rendering must answer every one with a status and never crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "db.h"
#include "migrate.h"
#include "webapp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct conf conf;
static struct db db;
static struct webapp app;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/tocsin-fuzz-web-XXXXXX", path[128];
	FILE *fp;

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/secret.key", dir);
	umask(077);	/* the secret must be private, as everywhere */
	fp = fopen(path, "w");
	if (fp == NULL || fputs("0123456789abcdef0123456789abcdef", fp) < 0 ||
	    fclose(fp) != 0)
		abort();
	conf_init(&conf);
	conf.secret_file = strdup(path);
	conf.web_public_url = strdup("https://river.example");
	conf.web_posts_per_minute = 0;
	snprintf(path, sizeof(path), "%s/tocsin.db", dir);
	if (db_open(&db, path, DB_CREATE) == -1 ||
	    migrate_to(&db, migrate_latest()) < 0 ||
	    db_exec(&db, "INSERT INTO lists (name, from_addr, created_at) "
	    "VALUES ('river', 'River <a@river.example>', 0); INSERT INTO "
	    "subscribers (email, first_name, created_at, updated_at) VALUES "
	    "('ann@example.org', 'Ann', 0, 0); INSERT INTO memberships VALUES "
	    "(1, 1, 'subscribed', 'cli', 0, 0, NULL); INSERT INTO actions "
	    "(slug, title, kind, created_at, list_id, goal, text) VALUES "
	    "('resign', 'Resign', 'petition', 0, 1, 10, 'Go.')") == -1 ||
	    webapp_init(&app, &db, &conf) == -1)
		abort();
	return 0;
}

/* The next line of the input (NUL-terminated in a copy), or NULL. */
static const char *
next_line(const char **p, const char *end, char *out, size_t outsize)
{
	const char *nl;
	size_t n;

	if (*p >= end)
		return NULL;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	n = (size_t)((nl != NULL ? nl : end) - *p);
	if (n >= outsize)
		n = outsize - 1;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p = nl != NULL ? nl + 1 : end;
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *eq;
	struct web_request *rq = calloc(1, sizeof(*rq));
	struct web_response rs;
	char line[WEB_FIELD_MAX + 40];

	if (rq == NULL)
		return 0;
	if (next_line(&p, end, line, sizeof(line)) != NULL)
		rq->method = line[0] == 'P' ? WEB_POST : line[0] == 'H' ?
		    WEB_HEAD : line[0] == 'G' ? WEB_GET : WEB_OTHER;
	if (next_line(&p, end, line, sizeof(line)) != NULL)
		snprintf(rq->path, sizeof(rq->path), "%s", line);
	if (next_line(&p, end, line, sizeof(line)) != NULL)
		snprintf(rq->token, sizeof(rq->token), "%s", line);
	snprintf(rq->ip, sizeof(rq->ip), "127.0.0.1");
	while (rq->nfields < WEB_FIELDS_MAX &&
	    next_line(&p, end, line, sizeof(line)) != NULL) {
		struct web_field *f = &rq->fields[rq->nfields];

		eq = strchr(line, '=');
		if (eq == NULL || (size_t)(eq - line) >= sizeof(f->key))
			continue;
		memcpy(f->key, line, (size_t)(eq - line));
		f->key[eq - line] = '\0';
		snprintf(f->value, sizeof(f->value), "%s", eq + 1);
		f->len = strlen(f->value);
		rq->nfields++;
		rq->form = 1;
	}
	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body, WEB_PAGE_MAX);
	rs.content_type = "text/html; charset=utf-8";
	webapp_handle(&app, rq, &rs);
	if (rs.status < 100 || rs.status > 599)
		abort();	/* every request gets an answer */
	buf_release(&rs.body);
	free(rq);
	return 0;
}
