/* compose: one recipient's message (see compose.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "compose.h"
#include "db.h"
#include "encode.h"
#include "header.h"
#include "list.h"
#include "log.h"
#include "xalloc.h"
#include "mime.h"

#define URL_MAX 900	/* a header line must stay under 998 */

static int
need(const struct conf *c, const char *value, const char *key)
{
	if (value != NULL && value[0] != '\0')
		return 0;
	log_warnx("%s: [sender] %s is not set; it is needed to render or "
	    "send (see tocsin.conf.example)", c->path != NULL ? c->path :
	    "the config (none found)", key);
	fail_set(FAIL_CONFIG);
	return -1;
}

/* A domain must make addresses: checked once here, not per message. */
static int
check_domain(const struct conf *c, const char *key, const char *domain)
{
	char probe[ADDR_MAX_LEN + 1], norm[ADDR_MAX_LEN + 1];
	const char *why;

	snprintf(probe, sizeof(probe), "bounce+d1-aaaaaaaaaaaaaaaa@%s", domain);
	if (addr_normalise(probe, strlen(probe), norm, &why) == 0)
		return 0;
	log_warnx("%s: [sender] %s '%.100s' cannot be the domain of "
	    "an address: %s", c->path != NULL ? c->path : "the config", key,
	    domain, why);
	fail_set(FAIL_CONFIG);
	return -1;
}

static int
check_url(const struct conf *c, const char *key, const char *url)
{
	if (strncmp(url, "https://", 8) == 0 && url[8] != '\0' &&
	    strpbrk(url, " \t\r\n<>\"'") == NULL)
		return 0;
	log_warnx("%s: %s must be an https:// URL without spaces or quotes",
	    c->path != NULL ? c->path : "the config", key);
	fail_set(FAIL_CONFIG);
	return -1;
}

/* base + path, with one '/' between. */
static char *
join_url(const char *base, const char *path)
{
	size_t n = strlen(base);
	char *s;

	while (n > 0 && base[n - 1] == '/')
		n--;
	s = xreallocarray(NULL, n + strlen(path) + 1, 1);
	memcpy(s, base, n);
	memcpy(s + n, path, strlen(path) + 1);
	return s;
}

/*
 * Feedback-ID's sender id: [sender] feedback_id, else made from the
 * domain ("river-example"), the same in every message, so a mailbox
 * provider's feedback loop counts complaints per blast and list.
 */
static int
feedback_id(const struct conf *c, char *out)
{
	const char *given = c->feedback_id, *d = c->domain;
	size_t n = 0;

	if (given != NULL) {
		n = strlen(given);
		if (n < COMPOSE_FEEDBACK_ID_MIN ||
		    n > COMPOSE_FEEDBACK_ID_MAX ||
		    strspn(given, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != n) {
			log_warnx("%s: [sender] feedback_id is %d to %d "
			    "letters, digits, '-' or '_' (Gmail's rule), "
			    "not '%.40s'", conf_or(c->path, "(defaults)"),
			    COMPOSE_FEEDBACK_ID_MIN, COMPOSE_FEEDBACK_ID_MAX,
			    given);
			fail_set(FAIL_CONFIG);
			return -1;
		}
		memcpy(out, given, n + 1);
		return 0;
	}
	for (; *d != '\0' && n < COMPOSE_FEEDBACK_ID_MAX; d++)
		out[n++] = *d == '.' ? '-' : *d;
	for (d = "-mail"; n < COMPOSE_FEEDBACK_ID_MIN; d++)
		out[n++] = *d;
	out[n] = '\0';
	return 0;
}

int
sender_init(struct sender *s, const struct conf *c)
{
	char *secret;
	int r;

	memset(s, 0, sizeof(*s));
	if (need(c, c->domain, "domain") == -1 ||
	    need(c, c->bounce_domain, "bounce_domain") == -1 ||
	    (c->web_public_url == NULL && need(c, c->unsubscribe_url,
	    "unsubscribe_url") == -1) ||
	    need(c, c->secret_file, "secret_file") == -1)
		return -1;
	if (check_domain(c, "domain", c->domain) == -1 ||
	    check_domain(c, "bounce_domain", c->bounce_domain) == -1)
		return -1;
	if (c->web_public_url != NULL) {
		if (check_url(c, "[web] public_url", c->web_public_url) == -1)
			return -1;
		/* tocsin web serves /unsubscribe under the public base. */
		s->public_url = join_url(c->web_public_url, "");
		s->unsubscribe_url = join_url(c->web_public_url,
		    "/unsubscribe");
	} else {
		if (check_url(c, "[sender] unsubscribe_url",
		    c->unsubscribe_url) == -1)
			return -1;
		s->unsubscribe_url = xstrdup(c->unsubscribe_url);
	}
	s->domain = c->domain;
	s->bounce_domain = c->bounce_domain;
	secret = conf_path(c, c->secret_file);
	r = token_key_load(&s->key, secret);
	free(secret);
	if (r == 0 && (feedback_id(c, s->feedback_id) == -1 ||
	    dkim_init(&s->dkim, c) == -1))
		r = -1;
	if (r == -1)
		sender_release(s);	/* the URLs made above */
	return r;
}

void
sender_release(struct sender *s)
{
	free(s->unsubscribe_url);
	free(s->public_url);
	token_key_release(&s->key);
	dkim_release(&s->dkim);
	memset(s, 0, sizeof(*s));
}

/*
 * Random bytes for Message-IDs and boundaries, which must not repeat but
 * guard nothing: a pool refilled 4 KB at a time, so that one getrandom
 * serves a few hundred messages instead of two calls each.
 */
static void
random_bytes(unsigned char *out, size_t n)
{
	static unsigned char pool[4096];
	static size_t left;

	if (n > left) {
		if (getrandom(pool, sizeof(pool), 0) != (ssize_t)sizeof(pool))
			fatal("cannot read random bytes");
		left = sizeof(pool);
	}
	memcpy(out, pool + sizeof(pool) - left, n);
	/* Never hand out the same bytes twice. */
	explicit_bzero(pool + sizeof(pool) - left, n);
	left -= n;
}

void
compose_random_hex(char *out, size_t n)
{
	unsigned char bytes[32];

	if (n > sizeof(bytes))
		BUG("too many random bytes asked for");
	random_bytes(bytes, n);
	encode_hex(out, bytes, n);
}

void
composer_init(struct composer *c, const struct sender *s,
    const struct alert *a, struct alert_context *ctx,
    const struct composed_list *list)
{
	const char *why;

	memset(c, 0, sizeof(*c));
	c->sender = s;
	c->alert = a;
	c->context = ctx;
	c->list = *list;
	alert_output_init(&c->parts);
	c->footer_ok = footer_init(&c->footer, list->footer, a) == 0;
	/* The From is the same for every message: parsed once here. */
	if (addr_parse_mailbox(a->from != NULL ? a->from : list->from,
	    c->from_name, c->from_addr, &why) == -1) {
		log_warnx("the From '%.100s' is not a mailbox: %s", a->from !=
		    NULL ? a->from : list->from, why);
		c->from_addr[0] = '\0';
	}
}

void
composer_set_blast(struct composer *c, sqlite3_int64 blast_id)
{
	/* Gmail's form: campaign, customer, type, then the sender; the
	 * same for every message of the blast, so made once. */
	snprintf(c->feedback_id, sizeof(c->feedback_id), "%lld:%s:%s:%s",
	    (long long)blast_id, c->list.name, c->confirm ? "confirm" :
	    c->context->has_action ? c->context->action_slug : "alert",
	    c->sender->feedback_id);
}

void
composer_release(struct composer *c)
{
	alert_output_release(&c->parts);
	if (c->footer_ok)
		footer_release(&c->footer);
	memset(c, 0, sizeof(*c));
}

/* "Ann Lee", "Ann", or "" */
static void
full_name(char *out, size_t outsize, const struct composed_recipient *r)
{
	snprintf(out, outsize, "%s%s%s", r->first_name, r->first_name[0] &&
	    r->last_name[0] ? " " : "", r->last_name);
}

struct addresses {
	char	bounce_token[TOKEN_MAX];
	char	reply_token[TOKEN_MAX];
	char	unsubscribe_token[TOKEN_MAX];
	char	sign_token[TOKEN_MAX];
	char	reply[ADDR_MAX_LEN + 1];
	char	unsubscribe[ADDR_MAX_LEN + 1];
	char	sign[ADDR_MAX_LEN + 1];
	char	url[URL_MAX];
	char	sign_url[URL_MAX];
	char	confirm_url[URL_MAX];
	char	message_id[ADDR_MAX_LEN + 64];
	char	list_id[ADDR_MAX_LEN + 1];
};

#define COMPOSE_SUBJECT_MAX	(64 * 1024)

static int
fmt(char *out, size_t size, const char *what, const char *f, const char *a,
    const char *b)
{
	int n = snprintf(out, size, f, a, b);

	if (n < 0 || (size_t)n >= size) {
		log_warnx("the %s is too long for the token and domain", what);
		fail_set(FAIL_CONFIG);
		return -1;
	}
	return 0;
}

/* A delivery's token, or for render (no delivery) a membership's. */
static void
place_token(const struct composer *c, const struct composed_recipient *r,
    enum token_purpose purpose, char out[TOKEN_MAX])
{
	const struct sender *s = c->sender;

	if (r->delivery_id > 0)
		token_make(&s->key, purpose, 'd', (uint64_t)r->delivery_id, 0,
		    out);
	else
		token_make(&s->key, purpose, 'm', (uint64_t)c->list.id,
		    (uint64_t)r->subscriber_id, out);
}

/*
 * The action's page, where one click signs: [web] public_url/a/SLUG
 * with a sign token. Without tocsin web, mail to the sign address.
 */
static int
sign_url(const struct composer *c, struct addresses *ad)
{
	const struct sender *s = c->sender;
	int n;

	ad->sign_url[0] = '\0';
	if (c->context == NULL || !c->context->has_action)
		return 0;
	if (s->public_url == NULL)
		return fmt(ad->sign_url, sizeof(ad->sign_url), "sign URL",
		    "mailto:%s%s", ad->sign, "?subject=SIGN");
	/* public_url has no trailing '/' (sender_init trims it). */
	n = snprintf(ad->sign_url, sizeof(ad->sign_url), "%s/a/%s?t=%s",
	    s->public_url, c->context->action_slug, ad->sign_token);
	if (n < 0 || (size_t)n >= sizeof(ad->sign_url)) {
		log_warnx("the sign URL is too long for the token and domain");
		fail_set(FAIL_CONFIG);
		return -1;
	}
	return 0;
}

/* A confirmation's link: public_url/c/TOKEN for its delivery. */
static int
confirm_url(const struct composer *c, const struct composed_recipient *r,
    struct addresses *ad)
{
	const struct sender *s = c->sender;
	char token[TOKEN_MAX];
	int n;

	ad->confirm_url[0] = '\0';
	if (!c->confirm)
		return 0;
	if (s->public_url == NULL || r->delivery_id <= 0) {
		log_warnx("a confirmation needs [web] public_url and "
		    "a delivery");
		fail_set(FAIL_CONFIG);
		return -1;
	}
	token_make(&s->key, TOKEN_CONFIRM, 'd', (uint64_t)r->delivery_id, 0,
	    token);
	n = snprintf(ad->confirm_url, sizeof(ad->confirm_url), "%s/c/%s",
	    s->public_url, token);
	return n > 0 && (size_t)n < sizeof(ad->confirm_url) ? 0 : -1;
}

static int
addresses(struct composer *c, const struct composed_recipient *r,
    struct addresses *ad)
{
	const struct sender *s = c->sender;
	char rnd[33];

	/* One token a place, each good for that place's job only. */
	place_token(c, r, TOKEN_BOUNCE, ad->bounce_token);
	place_token(c, r, TOKEN_REPLY, ad->reply_token);
	place_token(c, r, TOKEN_UNSUBSCRIBE, ad->unsubscribe_token);
	place_token(c, r, TOKEN_SIGN, ad->sign_token);
	compose_random_hex(rnd, 12);
	if (fmt(c->bounce, sizeof(c->bounce), "bounce address",
	    "bounce+%s@%s", ad->bounce_token, s->bounce_domain) ||
	    fmt(ad->reply, sizeof(ad->reply), "reply address", "reply+%s@%s",
	    ad->reply_token, s->domain) ||
	    fmt(ad->unsubscribe, sizeof(ad->unsubscribe), "unsubscribe address",
	    "unsubscribe+%s@%s", ad->unsubscribe_token, s->domain) ||
	    fmt(ad->sign, sizeof(ad->sign), "sign address", "sign+%s@%s",
	    ad->sign_token, s->domain) ||
	    fmt(ad->url, sizeof(ad->url), "unsubscribe URL",
	    strchr(s->unsubscribe_url, '?') ? "%s&t=%s" : "%s?t=%s",
	    s->unsubscribe_url, ad->unsubscribe_token) ||
	    sign_url(c, ad) == -1 || confirm_url(c, r, ad) == -1 ||
	    fmt(ad->message_id, sizeof(ad->message_id), "Message-ID",
	    "<%s@%s>", rnd, s->domain) ||
	    fmt(ad->list_id, sizeof(ad->list_id), "List-Id", "%s.%s",
	    c->list.name, s->domain))
		return -1;
	return 0;
}

int
compose(struct composer *c, const struct composed_recipient *r,
    int return_path, struct buf *out)
{
	char to_name[2 * 4096 + 2], boundary[48], rnd[33];
	struct alert_recipient ar;
	struct alert_data data;
	struct addresses ad;
	struct message m;
	struct buf subject;
	const char *why;
	size_t signed_from;
	int rc;

	if (c->from_addr[0] == '\0' || !c->footer_ok ||
	    addresses(c, r, &ad) != 0)
		return -1;
	/* An IDN travels as its A-label: no relay needs to know IDNA. */
	if (addr_ascii_domain(r->email, c->rcpt, &why) == -1) {
		log_warnx("cannot send to '%.254s': %s", r->email, why);
		fail_set(FAIL_DATA);
		return -1;
	}
	memset(&ar, 0, sizeof(ar));
	ar.first_name = r->first_name;
	ar.last_name = r->last_name;
	ar.email = r->email;
	ar.fields_json = r->fields_json;
	ar.unsubscribe_url = ad.url;
	ar.unsubscribe_mailto = ad.unsubscribe;
	ar.sign_mailto = ad.sign;
	ar.sign_url = ad.sign_url;
	ar.confirm_url = c->confirm ? ad.confirm_url : NULL;
	alert_data_build(&data, c->context, &ar);
	rc = alert_render(c->alert, &data.root, &c->parts);
	if (rc == 0)
		rc = footer_add(&c->footer, &data.root, &c->parts);
	alert_data_release(&data);
	if (rc == -1)
		return -1;
	full_name(to_name, sizeof(to_name), r);
	snprintf(c->message_id, sizeof(c->message_id), "%s", ad.message_id);
	compose_random_hex(rnd, 12);
	snprintf(boundary, sizeof(boundary), "=_tocsin_%s", rnd);
	memset(&m, 0, sizeof(m));
	m.from_name = c->from_name;
	m.from_addr = c->from_addr;
	m.to_name = to_name;
	m.to_addr = c->rcpt;
	m.reply_to = ad.reply;
	buf_init(&subject, COMPOSE_SUBJECT_MAX);
	if (buf_printf(&subject, "%s%s", c->subject_prefix != NULL ?
	    c->subject_prefix : "", buf_cstr(&c->parts.subject)) == -1) {
		buf_release(&subject);
		log_warnx("the subject for %s is too long", r->email);
		fail_set(FAIL_DATA);
		return -1;
	}
	m.subject = buf_cstr(&subject);
	m.message_id = ad.message_id;
	m.date = time(NULL);
	m.list_id = ad.list_id;
	m.list_name = c->list.title != NULL ? c->list.title : c->list.name;
	m.unsubscribe_mailto = ad.unsubscribe;
	m.unsubscribe_url = ad.url;
	m.text = buf_cstr(&c->parts.text);
	m.text_len = c->parts.text.len;
	m.html = c->alert->has_html ? buf_cstr(&c->parts.html) : NULL;
	m.html_len = c->parts.html.len;
	m.boundary = boundary;
	m.feedback_id = c->feedback_id[0] != '\0' ? c->feedback_id : NULL;
	buf_reset(out);
	/* The envelope's, as a delivered message shows it: not signed. */
	rc = return_path ? header_address(out, "Return-Path", NULL,
	    c->bounce) : 0;
	signed_from = out->len;
	if (rc == 0)
		rc = mime_build(out, &m);
	if (rc == 0 && !c->sign_later)
		rc = dkim_sign(&c->sender->dkim, out, signed_from, m.date);
	buf_release(&subject);
	if (rc == -1) {
		log_warnx("cannot build the message to %s: a bad address, "
		    "or too large", r->email);
		fail_set(FAIL_DATA);
		return -1;
	}
	return 0;
}

int
compose_has_address(struct db *db, sqlite3_int64 list_id)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "SELECT name FROM lists WHERE id = ?1 AND "
	    "postal_address = ''");
	sqlite3_bind_int64(st, 1, list_id);
	r = db_step_row(db, st, "cannot read the list");
	if (r == 1) {
		log_warnx("list '%s' has no postal address, which every "
		    "message must show (CAN-SPAM): tocsin list set %s "
		    "--address TEXT", db_column_text(st, 0),
		    db_column_text(st, 0));
		fail_set(FAIL_DATA);
	}
	sqlite3_finalize(st);
	return r == 0 ? 1 : r == 1 ? 0 : -1;
}

int
compose_lint(struct db *db, const struct alert *a, sqlite3_int64 list_id,
    int with_action)
{
	char *fields[LIST_FIELDS_MAX + 1] = { 0 };
	struct alert_context ctx;
	struct alert_data schema;
	int n, i;

	if (compose_has_address(db, list_id) != 1)
		return -1;
	n = list_field_names(db, list_id, NULL, fields);
	if (n == -1)
		return -1;
	alert_schema(&schema, &ctx, a, with_action,
	    (const char *const *)fields);
	n = alert_lint(a, &schema.root);
	alert_data_release(&schema);
	for (i = 0; fields[i] != NULL; i++)
		free(fields[i]);
	if (n != 0) {
		if (n > 0)
			log_warnx("%s: %d unknown variable%s", a->path, n,
			    n == 1 ? "" : "s");
		fail_set(FAIL_DATA);
		return -1;
	}
	return 0;
}
