/*
 * webapp: the unsubscribe side of tocsin web, and the routing (see
 * webapp.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "compose.h"
#include "log.h"
#include "webapp.h"
#include "webwho.h"

#define STATUS_MAX	16

int
webapp_init(struct webapp *a, struct db *db, const struct conf *c)
{
	char *secret;
	int r;

	memset(a, 0, sizeof(*a));
	a->db = db;
	a->conf = c;
	a->posts_per_minute = c->web_posts_per_minute;
	a->confirm_days = c->web_confirm_days;
	if (c->secret_file == NULL) {
		log_warnx("the config has no [sender] secret_file: tokens "
		    "cannot be checked");
		fail_set(FAIL_CONFIG);
		return -1;
	}
	secret = conf_path(c, c->secret_file);
	r = token_key_load(&a->key, secret);
	free(secret);
	if (r == -1)
		return -1;
	secret = c->web_templates != NULL ? conf_path(c, c->web_templates) :
	    NULL;
	a->pages = pages_new(secret);
	free(secret);
	people_init(&a->people, db);
	a->data_version = db_prepare(db, "PRAGMA data_version");
	return 0;
}

void
webapp_release(struct webapp *a)
{
	sqlite3_finalize(a->data_version);
	people_release(&a->people);
	pages_free(a->pages);
	token_key_release(&a->key);
}

/* (web.c checks rs->body.failed, for every handler) */
void
webapp_page(struct webapp *a, struct web_response *rs, int status,
    const char *name, const struct mval *data)
{
	rs->status = status;
	rs->content_type = "text/html; charset=utf-8";
	buf_reset(&rs->body);
	if (page_render(a->pages, name, data, &rs->body) == 0)
		return;
	rs->status = 500;
	rs->content_type = "text/plain; charset=utf-8";
	buf_reset(&rs->body);
	(void)buf_puts(&rs->body, "this page cannot be shown; the log says "
	    "why\n");
}

void
webapp_message(struct webapp *a, struct web_response *rs, int status,
    const char *title, const char *message)
{
	struct mval m[2] = { mval_string("title", title),
	    mval_string("message", message) };
	struct mval data = mval_object(NULL, m, 2);

	webapp_page(a, rs, status, "message", &data);
}

static int
data_version(struct webapp *a)
{
	int r, v = -1;

	r = db_step_row(a->db, a->data_version, "read the data version");
	if (r == 1) {
		v = sqlite3_column_int(a->data_version, 0);
		sqlite3_reset(a->data_version);
	}
	return v;
}

long long
webapp_signatures(struct webapp *a, sqlite3_int64 action_id)
{
	struct webapp_count *c = &a->counts[(size_t)action_id % WEBAPP_COUNTS];
	int version = data_version(a);
	sqlite3_stmt *st;
	int r;

	if (version != -1 && c->action_id == action_id && c->version == version)
		return c->count;
	st = db_prepare(a->db, "SELECT count(*) FROM signatures WHERE "
	    "action_id = ?1");
	sqlite3_bind_int64(st, 1, action_id);
	r = db_step_row(a->db, st, "count signatures");
	c->action_id = 0;
	if (r == 1) {
		c->count = sqlite3_column_int64(st, 0);
		c->action_id = version != -1 ? action_id : 0;
		c->version = version;
	}
	sqlite3_finalize(st);
	return r == 1 ? c->count : -1;
}

void
webapp_signed(struct webapp *a)
{
	memset(a->counts, 0, sizeof(a->counts));
}

int
webapp_event(struct webapp *a, const char *kind, sqlite3_int64 subscriber_id,
    sqlite3_int64 list_id, const char *detail, sqlite3_int64 delivery_id,
    time_t now)
{
	sqlite3_stmt *st = db_prepare(a->db, "INSERT INTO events (kind, "
	    "subscriber_id, list_id, detail, source, created_at, delivery_id) "
	    "VALUES (?1, ?2, ?3, ?4, 'web', ?5, ?6)");
	int r;

	db_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, subscriber_id);
	db_bind_positive(st, 3, list_id);
	db_bind_text(st, 4, detail);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)now);
	db_bind_positive(st, 6, delivery_id);
	r = db_step_done(a->db, st, "record an event");
	sqlite3_finalize(st);
	return r;
}

void
webapp_form_token(struct webapp *a, sqlite3_int64 id, int is_list, time_t now,
    char out[TOKEN_MAX])
{
	token_make(&a->key, TOKEN_FORM, 'm', (uint64_t)id,
	    (uint64_t)(now / 3600) * 2 + (is_list != 0), out);
}

int
webapp_form_ok(struct webapp *a, sqlite3_int64 id, int is_list,
    const char *t, time_t now)
{
	struct token_ids ids;
	uint64_t hour = (uint64_t)(now / 3600);

	return t != NULL && token_check(&a->key, t, strlen(t), &ids) &&
	    ids.purpose == TOKEN_FORM && ids.kind == 'm' &&
	    ids.a == (uint64_t)id && ids.b % 2 == (uint64_t)(is_list != 0) &&
	    ids.b / 2 <= hour && ids.b / 2 + WEBAPP_FORM_HOURS >= hour;
}

int
webapp_rate_ok(struct webapp *a, const char *ip, time_t now)
{
	struct webapp_rate *r;
	unsigned long h = 5381;
	const char *p;
	time_t minute = now / 60;

	if (a->posts_per_minute <= 0)
		return 1;
	for (p = ip; *p != '\0'; p++)
		h = h * 33 + (unsigned char)*p;
	/* One slot a client, by hash: a collision shares a limit, which
	 * errs on the side of refusing a stranger's flood. */
	r = &a->rate[h % WEBAPP_RATE_SLOTS];
	if (strcmp(r->ip, ip) != 0 || r->window != minute) {
		snprintf(r->ip, sizeof(r->ip), "%s", ip);
		r->window = minute;
		r->count = 0;
	}
	return ++r->count <= a->posts_per_minute;
}

/* "gabrielle@example.org" as "gab…@example.org": enough to recognise. */
static void
masked(const char *email, char *out, size_t outsize)
{
	const char *at = strrchr(email, '@');
	size_t local = at != NULL ? (size_t)(at - email) : strlen(email);

	if (local <= 3)
		snprintf(out, outsize, "%s", email);
	else
		snprintf(out, outsize, "%.3s\u2026%s", email, at != NULL ? at :
		    "");
}

/* The group's name for a list: its From name, else the list's name. */
static void
group_name(const char *from, const char *list, char *out, size_t outsize)
{
	char name[ADDR_NAME_MAX + 1], addr[ADDR_MAX_LEN + 1];
	const char *why;

	if (addr_parse_mailbox(from, name, addr, &why) == 0 && name[0] != '\0')
		snprintf(out, outsize, "%s", name);
	else
		snprintf(out, outsize, "%s", list);
}

/* What the unsubscribe page shows, in each of its states. */
struct unsub_view {
	const char	*state;		/* "ask", "done", "back", "gone" */
	char		 email[ADDR_MAX_LEN + 8];
	char		 group[160];
	char		 action[WEB_TOKEN_MAX + 32];
	int		 all;
};

static void
unsub_page(struct webapp *a, struct web_response *rs, int status,
    const struct unsub_view *v)
{
	struct mval m[8];
	struct mval data;
	size_t n = 0;

	m[n++] = mval_string("title", strcmp(v->state, "ask") == 0 ?
	    "Unsubscribe" : "Unsubscribed");
	m[n++] = mval_string("email", v->email);
	m[n++] = mval_string("group", v->group);
	m[n++] = mval_string("action", v->action);
	m[n++] = mval_string(v->state, "1");
	if (v->all)
		m[n++] = mval_string("all", "1");
	data = mval_object(NULL, m, n);
	rs->no_store = 1;
	webapp_page(a, rs, status, "unsubscribe", &data);
}

/* Off the token's list, or (scope=all) every list; in one commit. */
static int
unsubscribe(struct webapp *a, const struct webwho *w, int all, time_t now)
{
	char status[STATUS_MAX];
	int r = 0, k;
	size_t i;

	if (db_begin(a->db) == -1)
		return -1;
	for (i = 0; r == 0 && i < (all ? w->nlists : 1); i++) {
		/* the list the link is for names its delivery */
		k = people_unsubscribe(&a->people, all ? w->lists[i] :
		    w->list_id, w->email, "web", !all || w->lists[i] ==
		    w->list_id ? w->delivery_id : 0, now, status,
		    sizeof(status));
		if (k == -1)
			r = -1;
		else if (k == 1)
			log_info("web kind=unsubscribe "
			    "subscriber=%lld list=%lld",
			    (long long)w->subscriber_id, (long long)(all ?
			    w->lists[i] : w->list_id));
	}
	if (r == -1 || db_commit(a->db) == -1) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

/* Undo: back on the list, only from an unsubscribe (never a bounce). */
static int
resubscribe(struct webapp *a, const struct webwho *w, time_t now)
{
	struct person who;
	int r;

	if (strcmp(w->status, "unsubscribed") != 0)
		return 0;
	memset(&who, 0, sizeof(who));
	who.email = w->email;
	if (db_begin(a->db) == -1)
		return -1;
	r = people_subscribe(&a->people, w->list_id, &who, "web",
	    "undone on the unsubscribe page by the person", now);
	if (r == -1 || db_commit(a->db) == -1) {
		db_rollback(a->db);
		return -1;
	}
	log_info("web kind=resubscribe subscriber=%lld list=%lld",
	    (long long)w->subscriber_id, (long long)w->list_id);
	return 1;
}

/*
 * RFC 8058: a POST with List-Unsubscribe=One-Click (either form
 * encoding), with no cookie, login or CSRF check: the token is the
 * authority. The page's own buttons post the same, or undo=1.
 */
static void
unsub_post(struct webapp *a, const struct web_request *rq,
    struct web_response *rs, struct webwho *w, struct unsub_view *v)
{
	const char *one = web_field(rq, "List-Unsubscribe");
	const char *scope = web_field(rq, "scope");
	const char *undo = web_field(rq, "undo");
	time_t now = time(NULL);

	if (rq->bad_form || (undo == NULL && (one == NULL ||
	    strcmp(one, "One-Click") != 0))) {
		webapp_message(a, rs, 400, "Not an unsubscribe request",
		    "This request did not ask to unsubscribe "
		    "(List-Unsubscribe=One-Click). Nothing was changed.");
		return;
	}
	if (undo != NULL && strcmp(undo, "1") == 0) {
		if (resubscribe(a, w, now) == -1)
			goto fail;
		v->state = "back";
	} else {
		v->all = scope != NULL && strcmp(scope, "all") == 0;
		if (unsubscribe(a, w, v->all, now) == -1)
			goto fail;
		v->state = "done";
	}
	unsub_page(a, rs, 200, v);
	return;
fail:
	webapp_message(a, rs, 503, "Please try again",
	    "We could not record this just now. Nothing was changed; please "
	    "try again in a minute.");
}

static void
unsub(struct webapp *a, const struct web_request *rq, struct web_response *rs)
{
	struct unsub_view v;
	struct webwho w;
	int r;

	r = webwho_find(a->db, &a->key, rq->token, WEBWHO_UNSUBSCRIBE, &w);
	if (r <= 0) {
		rs->no_store = 1;
		webapp_message(a, rs, r == -1 ? 503 : rq->token[0] == '\0' ?
		    400 : 404, "This link does not work",
		    "This unsubscribe link is not one of ours, or it was cut "
		    "short. Nothing was changed. Use the link in the message "
		    "itself, or reply to it with the word unsubscribe.");
		return;
	}
	memset(&v, 0, sizeof(v));
	masked(w.email, v.email, sizeof(v.email));
	group_name(w.list_from, w.list_name, v.group, sizeof(v.group));
	snprintf(v.action, sizeof(v.action), "/unsubscribe?t=%s", rq->token);
	v.state = strcmp(w.status, "subscribed") == 0 ||
	    strcmp(w.status, "pending") == 0 ? "ask" : "gone";
	if (rq->method == WEB_POST)
		unsub_post(a, rq, rs, &w, &v);
	else
		unsub_page(a, rs, 200, &v);
}

/* (web.c checks rs->body.failed) */
static void
static_file(struct webapp *a, const char *name, const char *type,
    struct web_response *rs)
{
	size_t len;
	const char *text = page_file(a->pages, name, &len);

	if (text == NULL) {
		webapp_message(a, rs, 404, "Not found",
		    "There is no such page.");
		return;
	}
	rs->status = 200;
	rs->content_type = type;
	(void)buf_append(&rs->body, text, len);
}

static int
is_read(const struct web_request *rq)
{
	return rq->method == WEB_GET || rq->method == WEB_HEAD;
}

void
webapp_handle(void *app, const struct web_request *rq,
    struct web_response *rs)
{
	struct webapp *a = app;

	if (strcmp(rq->path, "/unsubscribe") == 0) {
		if (is_read(rq) || rq->method == WEB_POST)
			unsub(a, rq, rs);
		else {
			rs->allow = "GET, HEAD, POST";
			webapp_message(a, rs, 405, "Not allowed",
			    "This page takes GET and POST only.");
		}
	} else if (strcmp(rq->path, "/static/tocsin.css") == 0 && is_read(rq))
		static_file(a, "tocsin.css", "text/css; charset=utf-8", rs);
	else if (strncmp(rq->path, "/a/", 3) == 0)
		webaction_handle(a, rq, rs);
	else if (strcmp(rq->path, "/c") == 0)
		webconfirm_handle(a, rq, rs);
	else if (strncmp(rq->path, "/s/", 3) == 0)
		webconfirm_subscribe(a, rq, rs);
	else if (strcmp(rq->path, "/favicon.ico") == 0)
		rs->status = 204;	/* browsers ask; there is none */
	else
		webapp_message(a, rs, 404, "Not found",
		    "There is no such page.");
}
