/* webconfirm: double opt-in on tocsin web (see webconfirm.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "addr.h"
#include "confirm.h"
#include "log.h"
#include "utf8.h"
#include "webconfirm.h"
#include "xalloc.h"

#define NAME_MAX_BYTES		100
#define POSTCODE_MAX_BYTES	20
#define COMMENT_MAX_BYTES	1000
#define ORG_MAX_BYTES		200
#define DAY_SEC			86400

/* A form value: present (when required), short, with no control byte. */
static const char *
text_problem(const char *v, size_t max, int required, const char *what)
{
	static char why[128];
	const char *p;

	if (v == NULL || v[0] == '\0') {
		if (!required)
			return NULL;
		snprintf(why, sizeof(why), "Please give your %s.", what);
		return why;
	}
	if (strlen(v) > max) {
		snprintf(why, sizeof(why), "Your %s is too long.", what);
		return why;
	}
	if (!utf8_is_valid(v, strlen(v))) {
		snprintf(why, sizeof(why), "Your %s is not in an encoding we "
		    "can read (UTF-8).", what);
		return why;
	}
	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\r') {
			snprintf(why, sizeof(why), "Your %s has a character "
			    "we cannot take.", what);
			return why;
		}
	return NULL;
}

/* The action's confirmation blast, made the first time it is needed. */
static int
action_confirm_blast(struct webapp *a, sqlite3_int64 action_id,
    sqlite3_int64 list_id, time_t now, sqlite3_int64 *id)
{
	const char *text;
	size_t len;

	text = page_file(a->pages, "confirm.alert", &len);
	if (text == NULL) {
		log_warnx("no confirm.alert among the pages: signatures from "
		    "the form cannot be confirmed");
		return -1;
	}
	return confirm_blast(a->db, list_id, action_id, "confirm.alert", text,
	    now, id);
}

/* Already signed, or pending: 1 (nothing to do), 0 new, -1. */
static int
known(struct webapp *a, sqlite3_int64 action_id, sqlite3_int64 sub)
{
	sqlite3_stmt *st = db_prepare(a->db, "SELECT EXISTS (SELECT 1 FROM "
	    "signatures WHERE action_id = ?1 AND subscriber_id = ?2) OR EXISTS "
	    "(SELECT 1 FROM pending_signatures WHERE action_id = ?1 AND "
	    "subscriber_id = ?2)");
	int r, k = 0;

	sqlite3_bind_int64(st, 1, action_id);
	sqlite3_bind_int64(st, 2, sub);
	r = db_step_row(a->db, st, "look for a signature");
	if (r == 1)
		k = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return r == -1 ? -1 : k;
}

/* The pending signature and its confirmation delivery. */
static int
queue_confirmation(struct webapp *a, const struct web_request *rq,
    sqlite3_int64 action_id, sqlite3_int64 blast, sqlite3_int64 sub,
    time_t now)
{
	const char *first = web_field(rq, "first_name");
	const char *last = web_field(rq, "last_name");
	const char *consent = web_field(rq, "consent");
	char name[2 * NAME_MAX_BYTES + 2];
	sqlite3_int64 delivery;
	sqlite3_stmt *st;
	int r;

	r = confirm_queue(a->db, blast, sub, now, &delivery);
	if (r != 1)
		return r == 0 ? 0 : -1;	/* queued before: not twice */
	snprintf(name, sizeof(name), "%s%s%s", first, last != NULL &&
	    last[0] != '\0' ? " " : "", last != NULL ? last : "");
	st = db_prepare(a->db, "INSERT INTO pending_signatures (action_id, "
	    "subscriber_id, name, postcode, comment, consent, delivery_id, ip, "
	    "created_at, org, display_name) VALUES (?1, ?2, ?3, coalesce(?4, "
	    "''), coalesce(?5, ''), ?6, ?7, ?8, ?9, coalesce(?10, ''), ?11)");
	sqlite3_bind_int64(st, 1, action_id);
	sqlite3_bind_int64(st, 2, sub);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, web_field(rq, "postcode"));
	db_bind_text(st, 5, web_field(rq, "comment"));
	sqlite3_bind_int(st, 6, strcmp(consent, "yes") == 0);
	sqlite3_bind_int64(st, 7, delivery);
	db_bind_text(st, 8, rq->ip);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)now);
	db_bind_text(st, 10, web_field(rq, "org"));
	/* Only first names are public unless they ask for more. */
	db_bind_text(st, 11, web_field(rq, "show_full_name") != NULL &&
	    strcmp(web_field(rq, "show_full_name"), "yes") == 0 ? name : "");
	r = db_step_done(a->db, st, "keep a pending signature");
	sqlite3_finalize(st);
	return r;
}

static const char *
form_problem(const struct web_request *rq, int is_letter, char *email)
{
	const char *consent = web_field(rq, "consent");
	const char *v = web_field(rq, "email"), *why;
	const struct text_field {
		const char	*name;
		size_t		 max;
		int		 required;
		const char	*what;
	} texts[] = {
		{ "first_name", NAME_MAX_BYTES, 1, "first name" },
		{ "last_name", NAME_MAX_BYTES, 0, "last name" },
		{ "postcode", POSTCODE_MAX_BYTES, 0, "postcode" },
		{ "comment", COMMENT_MAX_BYTES, 0, "comment" },
		{ "org", ORG_MAX_BYTES, is_letter, "organisation" },
	};
	size_t i;

	if (rq->bad_form)
		return "The form could not be read; please fill it in again.";
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		why = text_problem(web_field(rq, texts[i].name), texts[i].max,
		    texts[i].required, texts[i].what);
		if (why != NULL)
			return why;
	}
	if (v == NULL || addr_normalise(v, strlen(v), email, &why) == -1)
		return "Please give an email address we can write to.";
	if (consent == NULL || (strcmp(consent, "yes") != 0 &&
	    strcmp(consent, "no") != 0))
		return "Please say whether we may keep you informed by email.";
	return NULL;
}

int
webconfirm_sign(struct webapp *a, const struct web_request *rq,
    sqlite3_int64 action_id, sqlite3_int64 list_id, int is_letter,
    time_t now, const char **why)
{
	char email[ADDR_MAX_LEN + 1];
	struct person who;
	sqlite3_int64 sub, blast;
	int r;

	*why = form_problem(rq, is_letter, email);
	if (*why != NULL)
		return 0;
	memset(&who, 0, sizeof(who));
	who.email = email;
	who.first_name = web_field(rq, "first_name");
	who.last_name = web_field(rq, "last_name");
	if (db_begin(a->db) == -1)
		return -1;
	r = people_find_or_create(&a->people, &who, now, &sub);
	if (r == 0)
		r = known(a, action_id, sub);
	if (r == 0)
		r = action_confirm_blast(a, action_id, list_id, now, &blast);
	if (r == 0 && queue_confirmation(a, rq, action_id, blast, sub,
	    now) == 0)
		log_info("web kind=pending_signature subscriber=%lld "
		    "action=%lld", (long long)sub, (long long)action_id);
	else if (r == 0)
		r = -1;
	if (r == -1 || db_commit(a->db) == -1) {
		db_rollback(a->db);
		return -1;
	}
	return 1;
}

/* What a confirm token names: the pending signature of its delivery. */
struct pending {
	sqlite3_int64	 id;
	sqlite3_int64	 delivery_id;
	sqlite3_int64	 subscriber_id;
	sqlite3_int64	 list_id;
	int		 consent;
	int		 confirmed;
	time_t		 created_at;
	char		 email[ADDR_MAX_LEN + 1];
	char		 name[256];
	char		 display_name[256];
	char		 comment[COMMENT_MAX_BYTES + 1];
	char		 org[ORG_MAX_BYTES + 1];
	struct action	 action;
};

static int
find_pending(struct webapp *a, const char *token, struct pending *p)
{
	struct token_ids ids;
	sqlite3_stmt *st;
	int r;

	memset(p, 0, sizeof(*p));
	if (!token_check(&a->key, token, strlen(token), &ids) ||
	    ids.purpose != TOKEN_CONFIRM || ids.kind != 'd')
		return 0;
	st = db_prepare(a->db, "SELECT p.id, p.delivery_id, p.subscriber_id, "
	    "coalesce(x.list_id, 0), p.consent, p.confirmed_at IS NOT NULL, "
	    "p.created_at, s.email, p.name, p.comment, x.id, x.slug, x.title, "
	    "p.org, p.display_name "
	    "FROM pending_signatures p JOIN subscribers s ON s.id = "
	    "p.subscriber_id JOIN actions x ON x.id = p.action_id WHERE "
	    "p.delivery_id = ?1");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ids.a);
	r = db_step_row(a->db, st, "find a pending signature");
	if (r == 1) {
		p->id = sqlite3_column_int64(st, 0);
		p->delivery_id = sqlite3_column_int64(st, 1);
		p->subscriber_id = sqlite3_column_int64(st, 2);
		p->list_id = sqlite3_column_int64(st, 3);
		p->consent = sqlite3_column_int(st, 4);
		p->confirmed = sqlite3_column_int(st, 5);
		p->created_at = (time_t)sqlite3_column_int64(st, 6);
		snprintf(p->email, sizeof(p->email), "%s",
		    db_column_text(st, 7));
		snprintf(p->name, sizeof(p->name), "%s", db_column_text(st, 8));
		snprintf(p->comment, sizeof(p->comment), "%s",
		    db_column_text(st, 9));
		p->action.id = sqlite3_column_int64(st, 10);
		snprintf(p->action.slug, sizeof(p->action.slug), "%s",
		    db_column_text(st, 11));
		p->action.title = xstrdup(db_column_text(st, 12));
		snprintf(p->org, sizeof(p->org), "%s", db_column_text(st, 13));
		snprintf(p->display_name, sizeof(p->display_name), "%s",
		    db_column_text(st, 14));
	}
	sqlite3_finalize(st);
	return r;
}

/* Confirms: the signature counts, and with consent they join the list. */
static int
confirm(struct webapp *a, const struct web_request *rq, struct pending *p,
    time_t now)
{
	struct signature sig;
	struct person who;
	sqlite3_stmt *st;
	int r;

	memset(&sig, 0, sizeof(sig));
	sig.email = p->email;
	sig.name = p->name[0] != '\0' ? p->name : NULL;
	sig.comment = p->comment[0] != '\0' ? p->comment : NULL;
	sig.org = p->org[0] != '\0' ? p->org : NULL;
	sig.display_name = p->display_name[0] != '\0' ? p->display_name :
	    NULL;
	sig.source = "web";
	sig.signed_at = now;
	if (db_begin(a->db) == -1)
		return -1;
	st = db_prepare(a->db, "UPDATE pending_signatures SET confirmed_at = "
	    "?2, confirmed_ip = ?3 WHERE id = ?1 AND confirmed_at IS NULL");
	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)now);
	db_bind_text(st, 3, rq->ip);
	r = db_step_done(a->db, st, "confirm a signature");
	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(a->db->handle) == 1) {
		r = action_sign(&a->people, &p->action, &sig) == -1 ? -1 : 0;
		if (r == 0)
			r = webapp_event(a, "signature", p->subscriber_id,
			    p->list_id, "confirmed", p->delivery_id, now);
		if (r == 0 && p->consent && p->list_id > 0) {
			/* double opt-in done; the compliance rule holds */
			memset(&who, 0, sizeof(who));
			who.email = p->email;
			r = people_confirm(&a->people, p->list_id, &who, "web",
			    now) == -1 ? -1 : 0;
		}
		if (r == 0) {
			log_info("web kind=confirmed "
			    "subscriber=%lld action=%lld",
			    (long long)p->subscriber_id,
			    (long long)p->action.id);
			webapp_signed(a);
		}
	}
	if (r == -1 || db_commit(a->db) == -1) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

static void
confirm_page(struct webapp *a, struct web_response *rs,
    const struct pending *p, const char *token, const char *state)
{
	char action[WEB_TOKEN_MAX + 8], page[WEB_PATH_MAX];
	struct mval m[5];
	struct mval data;

	snprintf(action, sizeof(action), "/c/%s", token);
	snprintf(page, sizeof(page), "/a/%s", p->action.slug);
	m[0] = mval_string("title", p->action.title);
	m[1] = mval_string("action", action);
	m[2] = mval_string("page", page);
	m[3] = mval_string(state, "1");
	m[4] = mval_string("consent", p->consent ? "1" : "");
	data = mval_object(NULL, m, 5);
	rs->no_store = 1;
	webapp_page(a, rs, 200, "confirm", &data);
}

static void
confirm_signature(struct webapp *a, const struct web_request *rq,
    struct web_response *rs)
{
	struct pending p;
	time_t now = time(NULL);
	int r;

	r = find_pending(a, rq->token, &p);
	if (r != 1) {
		rs->no_store = 1;
		webapp_message(a, rs, r == -1 ? 503 : 404, "This link does not "
		    "work", "This confirmation link is not one of ours, or it "
		    "was cut short. Nothing was changed.");
		return;
	}
	if (!p.confirmed && now - p.created_at > a->confirm_days * DAY_SEC)
		webapp_message(a, rs, 410, "This link has expired",
		    "Please sign again on the petition's page: we will send "
		    "a new link.");
	else if (rq->method != WEB_POST)
		confirm_page(a, rs, &p, rq->token,
		    p.confirmed ? "done" : "ask");
	else if (confirm(a, rq, &p, now) == -1)
		webapp_message(a, rs, 503, "Please try again", "Your "
		    "confirmation could not be recorded just now.");
	else
		confirm_page(a, rs, &p, rq->token, "done");
	free(p.action.title);
}

/* A subscription waiting for its confirmation: the membership. */
struct joining {
	sqlite3_int64	 subscriber_id;
	sqlite3_int64	 list_id;
	char		 email[ADDR_MAX_LEN + 1];
	char		 status[16];
	char		 group[160];
	time_t		 asked_at;
};

static int
find_joining(struct webapp *a, sqlite3_int64 delivery, struct joining *j)
{
	char name[ADDR_NAME_MAX + 1], addr[ADDR_MAX_LEN + 1];
	const char *why;
	sqlite3_stmt *st;
	int r;

	memset(j, 0, sizeof(*j));
	st = db_prepare(a->db, "SELECT s.id, l.id, s.email, "
	    "coalesce(m.status, ''), l.from_addr, l.name, "
	    "coalesce(m.status_at, 0) FROM deliveries d JOIN blasts b ON b.id "
	    "= d.blast_id JOIN subscribers s ON s.id = d.subscriber_id JOIN "
	    "lists l ON l.id = b.list_id LEFT JOIN memberships m ON m.list_id "
	    "= l.id AND m.subscriber_id = s.id WHERE d.id = ?1 AND b.kind = "
	    "'confirm' AND b.action_id IS NULL");
	sqlite3_bind_int64(st, 1, delivery);
	r = db_step_row(a->db, st, "find a subscription");
	if (r == 1) {
		j->subscriber_id = sqlite3_column_int64(st, 0);
		j->list_id = sqlite3_column_int64(st, 1);
		snprintf(j->email, sizeof(j->email), "%s",
		    db_column_text(st, 2));
		snprintf(j->status, sizeof(j->status), "%s",
		    db_column_text(st, 3));
		if (addr_parse_mailbox(db_column_text(st, 4), name, addr,
		    &why) == 0 && name[0] != '\0')
			snprintf(j->group, sizeof(j->group), "%s", name);
		else
			snprintf(j->group, sizeof(j->group), "%s",
			    db_column_text(st, 5));
		j->asked_at = (time_t)sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	return r;
}

static void
joining_page(struct webapp *a, struct web_response *rs, const char *group,
    const char *token, const char *state)
{
	char action[WEB_TOKEN_MAX + 8];
	struct mval m[4];
	struct mval data;

	snprintf(action, sizeof(action), "/c/%s", token);
	m[0] = mval_string("title", group);
	m[1] = mval_string("group", group);
	m[2] = mval_string("action", action);
	m[3] = mval_string(state, "1");
	data = mval_object(NULL, m, 4);
	rs->no_store = 1;
	webapp_page(a, rs, 200, "joined", &data);
}

/* The person confirms: subscribed (pending becomes subscribed). */
static int
join(struct webapp *a, const struct web_request *rq, const struct joining *j,
    time_t now)
{
	struct person who;
	int r;

	memset(&who, 0, sizeof(who));
	who.email = j->email;
	if (db_begin(a->db) == -1)
		return -1;
	r = people_confirm(&a->people, j->list_id, &who, "web", now);
	if (r != -1)
		r = webapp_event(a, "subscribe", j->subscriber_id, j->list_id,
		    rq->ip, 0, now);
	if (r == -1 || db_commit(a->db) == -1) {
		db_rollback(a->db);
		return -1;
	}
	log_info("web kind=subscribed subscriber=%lld list=%lld",
	    (long long)j->subscriber_id, (long long)j->list_id);
	return 0;
}

static void
confirm_subscription(struct webapp *a, const struct web_request *rq,
    struct web_response *rs, sqlite3_int64 delivery)
{
	time_t now = time(NULL);
	struct joining j;
	int r = find_joining(a, delivery, &j);

	if (r != 1) {
		webapp_message(a, rs, r == -1 ? 503 : 404, "This link does not "
		    "work", "This confirmation link is not one of ours, or it "
		    "was cut short. Nothing was changed.");
		return;
	}
	if (strcmp(j.status, "subscribed") == 0)
		joining_page(a, rs, j.group, rq->token, "done");
	else if (strcmp(j.status, "pending") != 0)
		/* they left, bounced or complained since: never undone here */
		webapp_message(a, rs, 410, "This link no longer works",
		    "Nothing was changed.");
	else if (now - j.asked_at > a->confirm_days * DAY_SEC)
		webapp_message(a, rs, 410, "This link has expired",
		    "Please ask again on the subscribe page: we will send "
		    "a new link.");
	else if (rq->method != WEB_POST)
		joining_page(a, rs, j.group, rq->token, "ask");
	else if (join(a, rq, &j, now) == -1)
		webapp_message(a, rs, 503, "Please try again", "Your "
		    "confirmation could not be recorded just now.");
	else
		joining_page(a, rs, j.group, rq->token, "done");
}

void
webconfirm_handle(struct webapp *a, const struct web_request *rq,
    struct web_response *rs)
{
	struct token_ids ids;

	rs->no_store = 1;
	if (rq->method == WEB_OTHER) {
		rs->allow = "GET, HEAD, POST";
		webapp_message(a, rs, 405, "Not allowed", "This page takes GET "
		    "and POST only.");
		return;
	}
	if (!token_check(&a->key, rq->token, strlen(rq->token), &ids) ||
	    ids.purpose != TOKEN_CONFIRM || ids.kind != 'd') {
		webapp_message(a, rs, 404, "This link does not work", "This "
		    "confirmation link is not one of ours, or it was cut "
		    "short. Nothing was changed.");
		return;
	}
	if (find_joining(a, (sqlite3_int64)ids.a, &(struct joining){ 0 }) == 1)
		confirm_subscription(a, rq, rs, (sqlite3_int64)ids.a);
	else
		confirm_signature(a, rq, rs);
}

/* The list a /s/LIST page is for: 1, 0 none (not logged), -1. */
static int
find_list(struct webapp *a, const char *name, sqlite3_int64 *id,
    char *group, size_t groupsize)
{
	char mname[ADDR_NAME_MAX + 1], addr[ADDR_MAX_LEN + 1];
	const char *why;
	sqlite3_stmt *st = db_prepare(a->db, "SELECT id, from_addr FROM lists "
	    "WHERE name = ?1");
	int r;

	db_bind_text(st, 1, name);
	r = db_step_row(a->db, st, "find a list");
	if (r == 1) {
		*id = sqlite3_column_int64(st, 0);
		if (addr_parse_mailbox(db_column_text(st, 1), mname, addr,
		    &why) == 0 && mname[0] != '\0')
			snprintf(group, groupsize, "%s", mname);
		else
			snprintf(group, groupsize, "%s", name);
	}
	sqlite3_finalize(st);
	return r;
}

static void
subscribe_page(struct webapp *a, struct web_response *rs, int status,
    const char *list, sqlite3_int64 id, const char *group, const char *state,
    const char *error)
{
	char action[WEB_PATH_MAX], token[TOKEN_MAX];
	struct mval m[6];
	struct mval data;
	size_t n = 0;

	snprintf(action, sizeof(action), "/s/%s", list);
	webapp_form_token(a, id, 1, time(NULL), token);
	m[n++] = mval_string("title", group);
	m[n++] = mval_string("group", group);
	m[n++] = mval_string("action", action);
	m[n++] = mval_string("form_token", token);
	if (state != NULL)
		m[n++] = mval_string(state, "1");
	if (error != NULL)
		m[n++] = mval_string("error", error);
	data = mval_object(NULL, m, n);
	rs->no_store = 1;
	webapp_page(a, rs, status, "subscribe", &data);
}

/* The form's address and name, checked; NULL or why not. */
static const char *
join_problem(const struct web_request *rq, char *email)
{
	const char *v = web_field(rq, "email"), *why;
	const char *consent = web_field(rq, "consent");

	if (rq->bad_form)
		return "The form could not be read; please fill it in again.";
	why = text_problem(web_field(rq, "first_name"), NAME_MAX_BYTES, 0,
	    "first name");
	if (why != NULL)
		return why;
	if (v == NULL || addr_normalise(v, strlen(v), email, &why) == -1)
		return "Please give an email address we can write to.";
	if (consent == NULL || strcmp(consent, "yes") != 0)
		return "Please tick the box to say we may email you.";
	return NULL;
}

/* Pending, and its confirmation queued. 0 or -1. */
static int
ask_to_join(struct webapp *a, sqlite3_int64 list_id, const char *email,
    const char *first, time_t now)
{
	struct person who;
	sqlite3_int64 sub, blast, delivery;
	const char *text;
	size_t len;
	int r;

	memset(&who, 0, sizeof(who));
	who.email = email;
	who.first_name = first;
	text = page_file(a->pages, "subscribe.alert", &len);
	if (text == NULL) {
		log_warnx("no subscribe.alert among the pages");
		return -1;
	}
	if (db_begin(a->db) == -1)
		return -1;
	r = people_request(&a->people, list_id, &who, "web", now, &sub);
	/* Only someone newly pending gets mail: nobody is told who is on
	 * a list, and a repeat sends nothing twice. */
	if (r == PEOPLE_IMPORTED)
		r = confirm_blast(a->db, list_id, 0, "subscribe.alert", text,
		    now, &blast) == -1 || confirm_queue(a->db, blast, sub, now,
		    &delivery) == -1 ? -1 : 0;
	if (r == -1 || db_commit(a->db) == -1) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

void
webconfirm_subscribe(struct webapp *a, const struct web_request *rq,
    struct web_response *rs)
{
	const char *list = rq->path + 3, *why;
	char email[ADDR_MAX_LEN + 1], group[160];
	time_t now = time(NULL);
	sqlite3_int64 id;
	int r = strchr(list, '/') != NULL || a->conf->web_public_url == NULL ?
	    0 : find_list(a, list, &id, group, sizeof(group));

	if (r != 1) {
		webapp_message(a, rs, r == -1 ? 503 : 404, "Not found", "There "
		    "is no such list.");
		return;
	}
	if (rq->method != WEB_POST) {
		subscribe_page(a, rs, 200, list, id, group, NULL, NULL);
		return;
	}
	if (!webapp_rate_ok(a, rq->ip, now)) {
		webapp_message(a, rs, 429, "Too many tries", "Please wait a "
		    "minute and try again.");
		return;
	}
	why = !webapp_form_ok(a, id, 1, web_field(rq, "form"), now) ?
	    "This form is too old or was not sent from this page: please fill "
	    "it in again." : join_problem(rq, email);
	if (why != NULL) {
		subscribe_page(a, rs, 400, list, id, group, NULL, why);
		return;
	}
	if (web_field(rq, "website") != NULL &&
	    web_field(rq, "website")[0] != '\0')
		log_info("web kind=honeypot list=%lld", (long long)id);
	else if (ask_to_join(a, id, email, web_field(rq, "first_name"),
	    now) == -1) {
		webapp_message(a, rs, 503, "Please try again", "We could not "
		    "record this just now.");
		return;
	}
	subscribe_page(a, rs, 200, list, id, group, "check_email", NULL);
}
