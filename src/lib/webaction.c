/*
 * webaction: the petition pages of tocsin web (see webapp.h): the page
 * of an action with its count, goal and newest signers, the one-click
 * signature of a sign link, the form for everyone else (confirmed by
 * email, webconfirm.c), and the count as JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "addr.h"
#include "log.h"
#include "reltime.h"
#include "webapp.h"
#include "webconfirm.h"
#include "webwho.h"
#include "xalloc.h"

#define SHOWN_FIRST	30	/* "Showing 30 of 1,204" */
#define SHOWN_MAX	1000
#define PARAS_MAX	40

/* An action as its page needs it. */
struct page_action {
	struct action	 a;		/* id, slug, title, is_letter */
	char		*text;
	long long	 goal;
	sqlite3_int64	 list_id;
	long long	 count;		/* signatures */
};

/* 1 found, 0 no such action (not logged: strangers type URLs), -1. */
static int
load_action(struct db *db, const char *slug, struct page_action *pa)
{
	sqlite3_stmt *st;
	int r;

	memset(pa, 0, sizeof(*pa));
	st = db_prepare(db, "SELECT a.id, a.slug, a.title, a.kind = 'letter', "
	    "a.text, coalesce(a.goal, 0), coalesce(a.list_id, 0) FROM "
	    "actions a WHERE a.slug = ?1");
	db_bind_text(st, 1, slug);
	r = db_step_row(db, st, "read an action");
	if (r == 1) {
		pa->a.id = sqlite3_column_int64(st, 0);
		snprintf(pa->a.slug, sizeof(pa->a.slug), "%s",
		    db_column_text(st, 1));
		pa->a.title = xstrdup(db_column_text(st, 2));
		pa->a.is_letter = sqlite3_column_int(st, 3);
		pa->text = xstrdup(db_column_text(st, 4));
		pa->goal = sqlite3_column_int64(st, 5);
		pa->list_id = sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	return r;
}

static void
release_action(struct page_action *pa)
{
	free(pa->a.title);
	free(pa->text);
}

/*
 * The goal the page shows: the action's own until it is reached, then
 * the next of 100, 250, 500, 1,000, 2,500 ... above the count.
 */
static long long
goal_for(long long count, long long goal)
{
	static const long long steps[] = { 10, 25, 50 };	/* tenths */
	long long scale = 100, g;
	size_t i = 0;

	if (goal > count)
		return goal;
	for (;;) {
		g = scale * steps[i] / 10;
		if (g > count && g >= goal)
			return g;
		if (++i == 3) {
			i = 0;
			scale *= 10;
		}
		if (scale > 1000000000000LL)
			return count + 1;
	}
}

/* What the petition page shows. */
struct petition_view {
	char		 count[24], count_n[24], goal[24], goal_n[24];
	char		 shown[24], total[24], more[WEB_PATH_MAX];
	char		 sign_action[WEB_PATH_MAX + WEB_TOKEN_MAX];
	char		 form_action[WEB_PATH_MAX];
	char		 form_token[TOKEN_MAX];
	char		 as_name[160];
	char		 names[SHOWN_MAX][64];
	char		 agos[SHOWN_MAX][RELTIME_MAX];
	char		 numbers[SHOWN_MAX][12];
	struct mval	 person[SHOWN_MAX][2];
	struct mval	 people[SHOWN_MAX];
	struct mval	 para[PARAS_MAX][1];
	struct mval	 paras[PARAS_MAX];
	struct mval	 m[32];
	size_t		 n;
};

/* The text in paragraphs, at blank lines (the text is cut in place). */
static size_t
paragraphs(char *text, struct petition_view *v)
{
	char *p = text, *end;
	size_t n = 0;

	while (*p != '\0' && n < PARAS_MAX) {
		while (*p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		end = strstr(p, "\n\n");
		if (end != NULL)
			*end = '\0';
		v->para[n][0] = mval_string("p", p);
		v->paras[n] = mval_object(NULL, v->para[n], 1);
		n++;
		if (end == NULL)
			break;
		p = end + 2;
	}
	return n;
}

/* The newest signers (or a letter's organisations), `shown` of them. */
static int
signers(struct webapp *a, const struct page_action *pa, long shown,
    struct petition_view *v, size_t *n)
{
	sqlite3_stmt *st;
	time_t now = time(NULL);
	int r;

	if (pa->a.is_letter)
		st = db_prepare(a->db, "SELECT row_number() OVER (ORDER BY "
		    "min(signed_at), min(id)), org, 0 FROM signatures WHERE "
		    "action_id = ?1 AND org != '' GROUP BY org COLLATE NOCASE "
		    "ORDER BY 1 LIMIT ?2");
	else
		st = db_prepare(a->db, "SELECT s.first_name, g.name, "
		    "g.signed_at, g.display_name FROM signatures g JOIN "
		    "subscribers s ON s.id = "
		    "g.subscriber_id WHERE g.action_id = ?1 ORDER BY "
		    "g.signed_at DESC, g.id DESC LIMIT ?2");
	sqlite3_bind_int64(st, 1, pa->a.id);
	sqlite3_bind_int64(st, 2, shown);
	*n = 0;
	while ((r = db_step_row(a->db, st, "list signers")) == 1 &&
	    *n < SHOWN_MAX) {
		size_t i = (*n)++;

		if (pa->a.is_letter) {
			snprintf(v->numbers[i], sizeof(v->numbers[i]), "%lld",
			    (long long)sqlite3_column_int64(st, 0));
			snprintf(v->names[i], sizeof(v->names[i]), "%s",
			    db_column_text(st, 1));
			v->person[i][0] = mval_string("number", v->numbers[i]);
		} else {
			/* only a first name and a relative time are public */
			action_public_name(db_column_text(st, 3),
			    db_column_text(st, 1), db_column_text(st, 0),
			    v->names[i], sizeof(v->names[i]));
			reltime_ago(v->agos[i], sizeof(v->agos[i]),
			    (time_t)sqlite3_column_int64(st, 2), now);
			v->person[i][0] = mval_string("ago", v->agos[i]);
		}
		v->person[i][1] = mval_string("name", v->names[i]);
		v->people[i] = mval_object(NULL, v->person[i], 2);
	}
	if (r == 1)
		sqlite3_reset(st);
	sqlite3_finalize(st);
	return r == -1 ? -1 : 0;
}

static long
shown_of(const struct web_request *rq)
{
	char *end;
	long n = strtol(rq->more, &end, 10);

	if (rq->more[0] == '\0' || *end != '\0' || n < SHOWN_FIRST)
		return SHOWN_FIRST;
	return n > SHOWN_MAX ? SHOWN_MAX : n;
}

static void
add(struct petition_view *v, struct mval m)
{
	if (v->n < sizeof(v->m) / sizeof(v->m[0]))
		v->m[v->n++] = m;
}

/*
 * The page: `who` when it was opened from a sign link ("Sign as Ann
 * L.?"), `state` one of "signed", "check_email", "error" or NULL.
 */
static void
petition_page(struct webapp *a, const struct web_request *rq,
    struct web_response *rs, struct page_action *pa,
    const struct webwho *who, const char *state, const char *error)
{
	struct petition_view *v = xcalloc(1, sizeof(*v));
	long shown = shown_of(rq);
	long long g = goal_for(pa->count, pa->goal);
	size_t nsigners = 0, nparas;
	struct mval data;

	if (signers(a, pa, shown, v, &nsigners) == -1) {
		webapp_message(a, rs, 503, "Please try again",
		    "This page cannot be shown just now.");
		free(v);
		return;
	}
	nparas = paragraphs(pa->text, v);
	action_count_text(v->count, sizeof(v->count), pa->count);
	snprintf(v->count_n, sizeof(v->count_n), "%lld", pa->count);
	action_count_text(v->goal, sizeof(v->goal), g);
	snprintf(v->goal_n, sizeof(v->goal_n), "%lld", g);
	action_count_text(v->shown, sizeof(v->shown), (long long)nsigners);
	action_count_text(v->total, sizeof(v->total), pa->count);
	add(v, mval_string("title", pa->a.title));
	add(v, mval_string("count", v->count));
	add(v, mval_string("count_n", v->count_n));
	add(v, mval_string(pa->count == 1 ? "one_signer" : "signers_word",
	    "1"));
	add(v, mval_string("goal", v->goal));
	add(v, mval_string("goal_n", v->goal_n));
	add(v, mval_list("text", v->paras, nparas));
	add(v, mval_list(pa->a.is_letter ? "organisations" : "recent",
	    v->people, nsigners));
	add(v, mval_string("shown", v->shown));
	add(v, mval_string("total", v->total));
	if (pa->a.is_letter)
		add(v, mval_string("letter", "1"));
	if ((long long)nsigners < pa->count && shown < SHOWN_MAX) {
		snprintf(v->more, sizeof(v->more), "/a/%s?shown=%ld",
		    pa->a.slug, shown + SHOWN_FIRST * 2 > SHOWN_MAX ?
		    SHOWN_MAX : shown + SHOWN_FIRST * 2);
		add(v, mval_string("more", v->more));
	}
	if (state != NULL)
		add(v, mval_string(state, "1"));
	if (error != NULL)
		add(v, mval_string("error", error));
	if (who != NULL && state == NULL) {
		/* "Ann L.": the person the link names, and one button */
		snprintf(v->as_name, sizeof(v->as_name), "%s%s%.1s%s",
		    who->first_name[0] != '\0' ? who->first_name : "you",
		    who->last_name[0] != '\0' ? " " : "", who->last_name,
		    who->last_name[0] != '\0' ? "." : "");
		snprintf(v->sign_action, sizeof(v->sign_action),
		    "/a/%s/sign?t=%s", pa->a.slug, rq->token);
		add(v, mval_string("as_name", v->as_name));
		add(v, mval_string("sign_action", v->sign_action));
		rs->no_store = 1;
	} else if (pa->list_id > 0 && a->conf->web_public_url != NULL &&
	    state == NULL) {
		snprintf(v->form_action, sizeof(v->form_action), "/a/%s/sign",
		    pa->a.slug);
		webapp_form_token(a, pa->a.id, 0, time(NULL), v->form_token);
		add(v, mval_string("form_action", v->form_action));
		add(v, mval_string("form_token", v->form_token));
		rs->no_store = 1;
	}
	data = mval_object(NULL, v->m, v->n);
	webapp_page(a, rs, error != NULL ? 400 : 200, "petition", &data);
	free(v);
}

/* The sign link's person signs: no mail needed, the token names them. */
static void
sign_with_token(struct webapp *a, const struct web_request *rq,
    struct web_response *rs, struct page_action *pa, const struct webwho *w)
{
	struct signature sig;
	char name[300];
	int r;

	memset(&sig, 0, sizeof(sig));
	snprintf(name, sizeof(name), "%s%s%s", w->first_name,
	    w->last_name[0] != '\0' ? " " : "", w->last_name);
	sig.email = w->email;
	sig.name = name[0] != '\0' ? name : NULL;
	sig.source = "web";
	sig.signed_at = time(NULL);
	if (db_begin(a->db) == -1)
		goto fail;
	r = action_sign(&a->people, &pa->a, &sig);
	if (r == 1 && webapp_event(a, "signature", w->subscriber_id,
	    w->list_id, pa->a.slug, w->delivery_id, sig.signed_at) == -1)
		r = -1;
	if (r == -1 || db_commit(a->db) == -1) {
		db_rollback(a->db);
		goto fail;
	}
	if (r == 1) {
		log_info("web kind=signature subscriber=%lld action=%lld",
		    (long long)w->subscriber_id, (long long)pa->a.id);
		webapp_signed(a);
		pa->count++;
	}
	petition_page(a, rq, rs, pa, NULL, "signed", NULL);
	return;
fail:
	webapp_message(a, rs, 503, "Please try again", "Your signature could "
	    "not be recorded just now. Please try again in a minute.");
}

/* A sign token for this action: a delivery's blast must be of it. */
static int
sign_token(struct webapp *a, const struct web_request *rq,
    const struct page_action *pa, struct webwho *w)
{
	int r;

	if (rq->token[0] == '\0')
		return 0;
	r = webwho_find(a->db, &a->key, rq->token, WEBWHO_SIGN, w);
	if (r == 1 && w->delivery_id > 0 && w->action_id != pa->a.id)
		return 0;
	return r;
}

/* The form, from anyone: checked, then confirmed by email. */
static void
sign_with_form(struct webapp *a, const struct web_request *rq,
    struct web_response *rs, struct page_action *pa)
{
	time_t now = time(NULL);
	const char *why;
	int r;

	if (pa->list_id == 0 || a->conf->web_public_url == NULL) {
		webapp_message(a, rs, 404, "Sign from your email",
		    "This page signs from the link in our email only.");
		return;
	}
	if (!webapp_rate_ok(a, rq->ip, now)) {
		webapp_message(a, rs, 429, "Too many tries", "Please wait a "
		    "minute and try again.");
		return;
	}
	if (!webapp_form_ok(a, pa->a.id, 0, web_field(rq, "form"), now)) {
		petition_page(a, rq, rs, pa, NULL, NULL, "This form is too old "
		    "or was not sent from this page: please fill it in again.");
		return;
	}
	/* The honeypot: a person never sees the field, a robot fills it. */
	if (web_field(rq, "website") != NULL &&
	    web_field(rq, "website")[0] != '\0') {
		log_info("web kind=honeypot action=%lld", (long long)pa->a.id);
		petition_page(a, rq, rs, pa, NULL, "check_email", NULL);
		return;
	}
	r = webconfirm_sign(a, rq, pa->a.id, pa->list_id, pa->a.is_letter, now,
	    &why);
	if (r == 0) {
		petition_page(a, rq, rs, pa, NULL, NULL, why);
		return;
	}
	if (r == -1) {
		webapp_message(a, rs, 503, "Please try again", "Your signature "
		    "could not be recorded just now. Please try again in "
		    "a minute.");
		return;
	}
	petition_page(a, rq, rs, pa, NULL, "check_email", NULL);
}

/*
 * {"count":12408,"recent":["Gabrielle","Yusuf"]} for the group's site
 * (web.c checks rs->body.failed).
 */
static void
count_json(struct webapp *a, struct web_response *rs,
    const struct page_action *pa)
{
	struct petition_view *v = xcalloc(1, sizeof(*v));
	size_t n = 0, i;
	const char *p;

	rs->content_type = "application/json";
	rs->any_origin = 1;
	rs->status = 200;
	if (signers(a, pa, pa->a.is_letter ? SHOWN_MAX : 10, v, &n) == -1) {
		rs->status = 503;
		(void)buf_puts(&rs->body, "{\"error\":\"try again\"}\n");
		free(v);
		return;
	}
	(void)buf_printf(&rs->body, "{\"count\":%lld,\"recent\":[", pa->count);
	for (i = 0; i < n; i++) {
		(void)buf_puts(&rs->body, i > 0 ? ",\"" : "\"");
		for (p = v->names[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				(void)buf_printf(&rs->body, "\\%c", *p);
			else if ((unsigned char)*p < 0x20 || *p == '<' ||
			    *p == '>' || *p == '&')
				(void)buf_printf(&rs->body, "\\u%04x",
				    (unsigned char)*p);
			else
				(void)buf_putc(&rs->body, *p);
		}
		(void)buf_putc(&rs->body, '"');
	}
	(void)buf_puts(&rs->body, "]}\n");
	free(v);
}

void
webaction_handle(struct webapp *a, const struct web_request *rq,
    struct web_response *rs)
{
	char slug[ACTION_SLUG_MAX + 1];
	const char *rest = rq->path + 3, *slash = strchr(rest, '/');
	size_t n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
	int post = rq->method == WEB_POST, r;
	struct page_action pa;
	struct webwho w;

	if (n == 0 || n > ACTION_SLUG_MAX) {
		webapp_message(a, rs, 404, "Not found",
		    "There is no such page.");
		return;
	}
	memcpy(slug, rest, n);
	slug[n] = '\0';
	r = load_action(a->db, slug, &pa);
	if (r == 1) {
		pa.count = webapp_signatures(a, pa.a.id);
		if (pa.count == -1) {
			release_action(&pa);
			r = -1;
		}
	}
	if (r != 1) {
		webapp_message(a, rs, r == -1 ? 503 : 404, "Not found",
		    "There is no such petition.");
		return;
	}
	rest = slash != NULL ? slash : "";
	if (strcmp(rest, "/count.json") == 0 && !post)
		count_json(a, rs, &pa);
	else if (strcmp(rest, "/sign") == 0 && post) {
		r = sign_token(a, rq, &pa, &w);
		if (r == 1)
			sign_with_token(a, rq, rs, &pa, &w);
		else if (r == -1 || rq->token[0] != '\0')
			webapp_message(a, rs, r == -1 ? 503 : 404, "This link "
			    "does not work", "This sign link is not one of "
			    "ours, or it was cut short. Nothing was changed.");
		else
			sign_with_form(a, rq, rs, &pa);
	} else if (rest[0] == '\0' && !post) {
		r = sign_token(a, rq, &pa, &w);
		petition_page(a, rq, rs, &pa, r == 1 ? &w : NULL, NULL, NULL);
	} else {
		rs->allow = rest[0] == '\0' || strcmp(rest, "/count.json") ==
		    0 ? "GET, HEAD" : "POST";
		webapp_message(a, rs, strcmp(rest, "/sign") == 0 ||
		    rest[0] == '\0' || strcmp(rest, "/count.json") == 0 ? 405 :
		    404, "Not here", "There is no such page.");
	}
	release_action(&pa);
}
