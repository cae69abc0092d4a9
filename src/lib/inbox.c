/*
 * inbox: acting on bounces, complaints and replies (see inbox.h).
 *
 * Trust: only a token that verifies acts, and only at its own job. It
 * names the delivery (and so the person, the blast, its list and its
 * action), and says its purpose (token.h), which must be the purpose of
 * the place it was found in, and that place must be one whose word the
 * deed may take (see may_do). The addresses a report names are anyone's
 * to write: a bounce or complaint without a token acts on nobody and is
 * kept for a person, in `tocsin replies --unattributed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/sha2.h>

#include "encode.h"
#include "forward.h"
#include "inbox.h"
#include "log.h"
#include "mover.h"
#include "people.h"
#include "xalloc.h"

#define DAY_SEC		86400

/* Who a message is about, as far as we can tell. */
struct who {
	sqlite3_int64	subscriber;	/* 0: nobody we know */
	sqlite3_int64	delivery;	/* 0: no verified token */
	sqlite3_int64	blast;
	sqlite3_int64	list;
	sqlite3_int64	action;
	char		email[ADDR_MAX_LEN + 1];
};

/* Where a message goes once acted on: [imap] *_folder. */
enum folder {
	FOLDER_PROCESSED,
	FOLDER_REPLIES,
	FOLDER_UNKNOWN,
	FOLDER_COUNT,
};

struct inbox {
	struct db		*db;
	const struct conf	*conf;
	const struct token_key	*key;
	struct inbox_stats	*st;
	const char		*mailbox;
	const char		*folders[FOLDER_COUNT];	/* from the config */
	uint32_t		 uidvalidity;
	time_t			 now;
	sqlite3_int64		 message_id;	/* inbox_messages row */
	uint32_t		 uid;
	/* bad tokens of this message logged */
	unsigned		 warned;
	struct move		*pending;	/* to move after the commit */
	size_t			 npending;
	size_t			 cap;
	struct mover		*mover;
	sqlite3_stmt		*seen, *again, *record, *state;
	sqlite3_stmt		*delivery, *by_id, *event;
	struct people_bouncer	 bouncer;
	sqlite3_stmt		*soft_count, *complain, *suppress;
	sqlite3_stmt		*unsubscribe, *sign, *reply, *set_folder;
	sqlite3_stmt		*moved_stmt;
};

static void
prepare(struct inbox *in)
{
	struct db *db = in->db;

	in->seen = db_prepare(db, "SELECT id, folder FROM inbox_messages "
	    "WHERE digest = ?1");
	in->again = db_prepare(db, "UPDATE inbox_messages SET mailbox = ?2, "
	    "uidvalidity = ?3, uid = ?4, moved = 0 WHERE id = ?1");
	in->record = db_prepare(db, "INSERT INTO inbox_messages (digest, "
	    "mailbox, uidvalidity, uid, kind, folder, created_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	in->state = db_prepare(db, "UPDATE inbox_state SET last_uid = ?2, "
	    "updated_at = ?3 WHERE mailbox = ?1 AND last_uid < ?2");
	in->delivery = db_prepare(db, "SELECT d.subscriber_id, d.blast_id, "
	    "b.list_id, b.action_id, s.email FROM deliveries d JOIN blasts b "
	    "ON b.id = d.blast_id JOIN subscribers s ON s.id = "
	    "d.subscriber_id WHERE d.id = ?1");
	in->by_id = db_prepare(db, "SELECT email FROM subscribers WHERE "
	    "id = ?1");
	in->event = db_prepare(db, "INSERT INTO events (kind, subscriber_id, "
	    "list_id, detail, source, created_at, delivery_id, imap_uid, "
	    "inbox_message_id) VALUES (?1, ?2, ?3, ?4, 'inbox', ?5, "
	    "?6, ?7, ?8)");
	people_bouncer_init(&in->bouncer, db);
	in->soft_count = db_prepare(db, "SELECT count(*), coalesce(max("
	    "created_at) - min(created_at), 0) FROM events WHERE kind = "
	    "'softbounce' AND subscriber_id = ?1 AND created_at >= ?2");
	in->complain = db_prepare(db, "UPDATE memberships SET status = "
	    "'complained', status_at = ?2, status_reason = 'complaint' WHERE "
	    "subscriber_id = ?1 AND status <> 'complained'");
	in->suppress = db_prepare(db, "INSERT OR IGNORE INTO suppressions "
	    "(email, reason, created_at) VALUES (?1, 'complained', ?2)");
	in->unsubscribe = db_prepare(db, "UPDATE memberships SET status = "
	    "'unsubscribed', status_at = ?3, status_reason = 'reply' WHERE "
	    "list_id = ?1 AND subscriber_id = ?2 AND status IN "
	    "('subscribed', 'pending')");
	in->sign = db_prepare(db, "INSERT OR IGNORE INTO signatures "
	    "(action_id, subscriber_id, name, source, signed_at) SELECT ?1, "
	    "id, trim(first_name || ' ' || last_name), 'reply', ?3 FROM "
	    "subscribers WHERE id = ?2");
	in->reply = db_prepare(db, "INSERT INTO replies (inbox_message_id, "
	    "sender, subject, sent_date, excerpt, blast_id, subscriber_id, "
	    "created_at, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	in->set_folder = db_prepare(db, "UPDATE inbox_messages SET folder = "
	    "?2 WHERE id = ?1");
	in->moved_stmt = db_prepare(db, "UPDATE inbox_messages SET moved = 1 "
	    "WHERE mailbox = ?1 AND uidvalidity = ?2 AND uid = ?3");
}

static void
finalize(struct inbox *in)
{
	sqlite3_stmt *all[] = { in->seen, in->again, in->record, in->state,
	    in->delivery, in->by_id, in->event,
	    in->soft_count, in->complain, in->suppress, in->unsubscribe,
	    in->sign, in->reply, in->set_folder, in->moved_stmt };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		sqlite3_finalize(all[i]);
	people_bouncer_release(&in->bouncer);
	free(in->pending);
}

static int
event(struct inbox *in, const char *kind, const struct who *w,
    sqlite3_int64 list, const char *detail)
{
	sqlite3_stmt *st = in->event;

	db_bind_text(st, 1, kind);
	db_bind_positive(st, 2, w->subscriber);
	db_bind_positive(st, 3, list);
	db_bind_text(st, 4, detail);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)in->now);
	db_bind_positive(st, 6, w->delivery);
	sqlite3_bind_int64(st, 7, in->uid);
	sqlite3_bind_int64(st, 8, in->message_id);
	return db_step_done(in->db, st, "record an event");
}

static int
lookup_delivery(struct inbox *in, sqlite3_int64 id, struct who *w)
{
	sqlite3_stmt *st = in->delivery;
	int r;

	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(in->db, st, "find a delivery");
	if (r == 1) {
		w->delivery = id;
		w->subscriber = sqlite3_column_int64(st, 0);
		w->blast = sqlite3_column_int64(st, 1);
		w->list = sqlite3_column_int64(st, 2);
		w->action = sqlite3_column_int64(st, 3);
		snprintf(w->email, sizeof(w->email), "%s",
		    db_column_text(st, 4));
		sqlite3_reset(st);
	}
	return r;
}

/* What a message may do to a person, on the word of a token. */
enum deed {
	DEED_BOUNCE,
	DEED_COMPLAIN,
	DEED_UNSUBSCRIBE,
	DEED_SIGN,
	DEED_ATTRIBUTE,		/* only say whose reply it is */
};

static const char *const deed_names[] = { "bounce", "complain",
    "unsubscribe", "sign", "attribute" };

/*
 * Whether a token of purpose `p`, found at a place of role `role`
 * (addressed: one of our addresses the message was sent to), may do
 * the deed. A token works only in the place it was made for; legacy
 * tokens (mail sent before purposes) only unsubscribe or attribute.
 */
static int
may_do(enum deed d, const struct classify_token *t, enum token_purpose p)
{
	if (p != TOKEN_LEGACY && (char)p != t->role)
		return 0;	/* moved from another place */
	switch (d) {
	case DEED_BOUNCE:
		return p == TOKEN_BOUNCE;
	case DEED_COMPLAIN:
		/* An ARF report returns the original's Return-Path, Reply-To
		 * or List-Unsubscribe. */
		return p == TOKEN_BOUNCE || p == TOKEN_REPLY ||
		    p == TOKEN_UNSUBSCRIBE;
	case DEED_UNSUBSCRIBE:
		return t->addressed && (t->role == CLASSIFY_ROLE_UNSUBSCRIBE ||
		    t->role == CLASSIFY_ROLE_REPLY);
	case DEED_SIGN:
		return t->addressed && p != TOKEN_LEGACY &&
		    (p == TOKEN_SIGN || p == TOKEN_REPLY);
	case DEED_ATTRIBUTE:
		return t->addressed && t->role != CLASSIFY_ROLE_BOUNCE;
	}
	return 0;
}

/* A membership token's person, by id. 1, 0 if gone, -1. */
static int
lookup_subscriber(struct inbox *in, const struct token_ids *ids,
    struct who *w)
{
	sqlite3_stmt *st = in->by_id;
	int r;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)ids->b);
	r = db_step_row(in->db, st, "find a subscriber");
	if (r == 1) {
		w->list = (sqlite3_int64)ids->a;
		w->subscriber = (sqlite3_int64)ids->b;
		snprintf(w->email, sizeof(w->email), "%s",
		    db_column_text(st, 0));
		sqlite3_reset(st);
	}
	return r;
}

/* Logs a token that does nothing, once a message however often asked. */
static void
refuse_token(struct inbox *in, size_t i, const struct classify_token *t,
    const char *why)
{
	if ((in->warned & 1u << i) == 0)
		log_warnx("uid=%u token=%s role=%c: attributes nothing",
		    (unsigned)in->uid, why, t->role);
	in->warned |= 1u << i;
}

/*
 * The first token (addressed ones first) that verifies, may do `deed`
 * where it was found, and names someone we have. 1, 0 for none, -1.
 */
static int
by_token(struct inbox *in, const struct classify *c, enum deed deed,
    struct who *w)
{
	struct token_ids ids;
	size_t i;
	int r;

	for (i = 0; i < c->ntokens; i++) {
		const struct classify_token *t = &c->tokens[i];

		if (!token_check(in->key, t->value, strlen(t->value), &ids)) {
			refuse_token(in, i, t, "invalid");
			continue;
		}
		if (ids.purpose != TOKEN_LEGACY && (char)ids.purpose !=
		    t->role) {
			/* a link's token written into a bounce+ address */
			refuse_token(in, i, t, "misplaced");
			continue;
		}
		if (!may_do(deed, t, ids.purpose)) {
			/* quietly: a DSN's Reply-To token is no fault */
			log_debug("uid=%u token=%s role=%c: may not %s",
			    (unsigned)in->uid, token_purpose_name(ids.purpose),
			    t->role, deed_names[deed]);
			continue;
		}
		memset(w, 0, sizeof(*w));
		r = ids.kind == 'm' ? lookup_subscriber(in, &ids, w) :
		    lookup_delivery(in, (sqlite3_int64)ids.a, w);
		if (r != 0)
			return r;
	}
	return 0;
}

static int
mark_bounced(struct inbox *in, const struct who *w, const char *why)
{
	struct people_bounce b;
	int changed;

	memset(&b, 0, sizeof(b));
	b.subscriber_id = w->subscriber;
	b.list_id = w->list;
	b.delivery_id = w->delivery;
	b.reason = why;
	b.detail = why;
	b.source = "inbox";
	b.imap_uid = in->uid;
	b.inbox_message_id = in->message_id;
	b.now = in->now;
	changed = people_mark_bounced(&in->bouncer, &b);
	if (changed > 0)
		in->st->bounced++;
	return changed == -1 ? -1 : 0;
}

/* A soft bounce counts; enough of them over enough days is a bounce. */
static int
soft_bounce(struct inbox *in, const struct who *w, const char *why)
{
	sqlite3_stmt *st = in->soft_count;
	long n, span;
	char detail[128];
	int r;

	if (event(in, "softbounce", w, 0, why) == -1)
		return -1;
	in->st->soft++;
	sqlite3_bind_int64(st, 1, w->subscriber);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)in->now -
	    INBOX_SOFT_WINDOW_DAYS * DAY_SEC);
	r = db_step_row(in->db, st, "count soft bounces");
	if (r != 1)
		return r;
	n = (long)sqlite3_column_int64(st, 0);
	span = (long)sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (n < in->conf->inbox_soft_bounces ||
	    span < in->conf->inbox_soft_bounce_days * DAY_SEC)
		return 0;
	snprintf(detail, sizeof(detail), "%ld soft bounces over %ld days",
	    n, span / DAY_SEC);
	return mark_bounced(in, w, detail);
}

static int
bounce_one(struct inbox *in, const struct who *w,
    const struct classify_rcpt *r)
{
	char why[96];

	if (r->reason == REASON_NONE || r->reason == REASON_DELIVERED ||
	    r->delayed)
		return 0;	/* not a failure: nothing to do */
	snprintf(why, sizeof(why), "%s%s%s", reason_name(r->reason),
	    r->status[0] != '\0' ? " " : "", r->status);
	log_info("uid=%u kind=bounce subscriber=%lld delivery=%lld "
	    "reason=%s hard=%d", (unsigned)in->uid, (long long)w->subscriber,
	    (long long)w->delivery, why, r->hard);
	return r->hard == 1 ? mark_bounced(in, w, why) :
	    soft_bounce(in, w, why);
}

/* What acting on a message came to, which says where it moves. */
enum acted {
	ACTED_FAILED = -1,	/* the database failed: it stays, for later */
	ACTED_NOBODY = 0,	/* no token of ours verifies: unknown */
	ACTED_DONE = 1,		/* acted on: processed */
	ACTED_KEPT = 2,		/* for a person to read: replies */
};

/*
 * Done when the bounce's token named someone, else nobody (or failed).
 * The report's own addresses name nobody: anyone can write them.
 */
static enum acted
act_bounce(struct inbox *in, const struct classify *c)
{
	const struct classify_rcpt *pick;
	struct who w;
	size_t i;
	int r = by_token(in, c, DEED_BOUNCE, &w);

	if (r != 1 || c->nrcpt == 0)
		return r == -1 ? ACTED_FAILED : ACTED_NOBODY;
	pick = &c->rcpt[0];
	for (i = 0; i < c->nrcpt; i++)
		if (strcasecmp(c->rcpt[i].addr, w.email) == 0)
			pick = &c->rcpt[i];
	return bounce_one(in, &w, pick) == -1 ? ACTED_FAILED :
	    ACTED_DONE;
}

/* The token's subscriber complained: off every list, and suppressed. */
static enum acted
act_complaint(struct inbox *in, const struct classify *c)
{
	struct who w;
	int r = by_token(in, c, DEED_COMPLAIN, &w);

	if (r != 1)
		return r == -1 ? ACTED_FAILED : ACTED_NOBODY;
	sqlite3_bind_int64(in->complain, 1, w.subscriber);
	sqlite3_bind_int64(in->complain, 2, (sqlite3_int64)in->now);
	if (db_step_done(in->db, in->complain, "record a complaint") == -1)
		return ACTED_FAILED;
	db_bind_text(in->suppress, 1, w.email);
	sqlite3_bind_int64(in->suppress, 2, (sqlite3_int64)in->now);
	if (db_step_done(in->db, in->suppress, "suppress an address") == -1 ||
	    event(in, "complaint", &w, 0, "feedback report") == -1)
		return ACTED_FAILED;
	in->st->complained++;
	log_info("uid=%u kind=complaint subscriber=%lld", (unsigned)in->uid,
	    (long long)w.subscriber);
	return ACTED_DONE;
}

/*
 * Keeps a message for a person: a reply ("reply", `w` may be nobody),
 * or a report no token of ours verifies for ("bounce", "complaint"),
 * shown with the addresses it names.
 */
static int
keep_for_person(struct inbox *in, const struct classify *c,
    const struct who *w, const char *kind)
{
	sqlite3_stmt *st = in->reply;
	char named[CLASSIFY_EXCERPT_MAX];
	size_t i, o = 0;

	named[0] = '\0';
	for (i = 0; i < c->nrcpt && o + 1 < sizeof(named); i++) {
		int n = snprintf(named + o, sizeof(named) - o, "%s%s%s%s",
		    i == 0 ? "names: " : ", ", c->rcpt[i].addr[0] != '\0' ?
		    c->rcpt[i].addr : "(nobody)", c->rcpt[i].reason !=
		    REASON_NONE ? " " : "", reason_name(c->rcpt[i].reason));

		if (n < 0 || (size_t)n >= sizeof(named) - o)
			break;	/* a long list: the first ones say enough */
		o += (size_t)n;
	}
	sqlite3_bind_int64(st, 1, in->message_id);
	db_bind_text(st, 2, c->from);
	db_bind_text(st, 3, c->subject);
	db_bind_text(st, 4, c->date);
	db_bind_text(st, 5, strcmp(kind, "reply") == 0 ? c->excerpt : named);
	db_bind_positive(st, 6, w->blast);
	db_bind_positive(st, 7, w->subscriber);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)in->now);
	db_bind_text(st, 9, kind);
	if (db_step_done(in->db, st, "keep a message for a person") == -1)
		return -1;
	if (strcmp(kind, "reply") != 0)
		return 0;
	/* A person reads it where the group reads its mail. */
	if (w->list > 0 && forward_queue(in->db, sqlite3_last_insert_rowid(
	    in->db->handle), w->list, in->now) == -1)
		return -1;
	return w->subscriber > 0 ? event(in, "reply", w, w->list, c->subject) :
	    0;
}

/*
 * An unsubscribe or sign reply, acted on only with a token that
 * verifies: done, or nobody when a person must read it (or failed).
 */
static enum acted
act_request(struct inbox *in, const struct classify *c, struct who *w)
{
	sqlite3_stmt *st;
	int r = by_token(in, c, c->kind == CLASSIFY_UNSUBSCRIBE ?
	    DEED_UNSUBSCRIBE : DEED_SIGN, w);

	if (r != 1)
		return r == -1 ? ACTED_FAILED : ACTED_NOBODY;
	if (c->kind == CLASSIFY_UNSUBSCRIBE) {
		st = in->unsubscribe;
		sqlite3_bind_int64(st, 1, w->list);
		sqlite3_bind_int64(st, 2, w->subscriber);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)in->now);
		if (db_step_done(in->db, st, "unsubscribe") == -1)
			return ACTED_FAILED;
		if (sqlite3_changes(in->db->handle) == 0)
			return ACTED_DONE;	/* already off the list */
		in->st->unsubscribed++;
		log_info("uid=%u kind=unsubscribe subscriber=%lld list=%lld",
		    (unsigned)in->uid, (long long)w->subscriber,
		    (long long)w->list);
		return event(in, "unsubscribe", w, w->list, "reply") == -1 ?
		    ACTED_FAILED : ACTED_DONE;
	}
	if (w->action <= 0)
		/* a blast with no action: nothing to sign */
		return ACTED_NOBODY;
	st = in->sign;
	sqlite3_bind_int64(st, 1, w->action);
	sqlite3_bind_int64(st, 2, w->subscriber);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)in->now);
	if (db_step_done(in->db, st, "sign") == -1)
		return ACTED_FAILED;
	if (sqlite3_changes(in->db->handle) == 0)
		return ACTED_DONE;	/* signed already */
	in->st->signed_up++;
	log_info("uid=%u kind=sign subscriber=%lld action=%lld",
	    (unsigned)in->uid, (long long)w->subscriber, (long long)w->action);
	return event(in, "signature", w, w->list,
	    "reply") == -1 ? ACTED_FAILED :
	    ACTED_DONE;
}

/* Acts on one classified message; returns the folder it goes to. */
static const char *
act(struct inbox *in, const struct classify *c, int *err)
{
	struct who w;
	enum acted r = ACTED_NOBODY;

	memset(&w, 0, sizeof(w));
	switch (c->kind) {
	case CLASSIFY_BOUNCE:
	case CLASSIFY_COMPLAINT:
		r = c->kind == CLASSIFY_BOUNCE ? act_bounce(in, c) :
		    act_complaint(in, c);
		/* A report no token of ours verifies for: a person reads it. */
		if (r == ACTED_NOBODY && keep_for_person(in, c, &w,
		    classify_kind_name(c->kind)) == -1)
			r = ACTED_FAILED;
		break;
	case CLASSIFY_AUTOREPLY:
		return in->folders[FOLDER_PROCESSED];	/* nothing to do */
	case CLASSIFY_UNSUBSCRIBE:
	case CLASSIFY_SIGN:
		r = act_request(in, c, &w);
		if (r != ACTED_NOBODY)
			break;
		/* FALLTHROUGH - with no valid token, a person decides */
	case CLASSIFY_REPLY:
		if (w.subscriber == 0 && by_token(in, c, DEED_ATTRIBUTE, &w) ==
		    -1)
			r = ACTED_FAILED;
		else if (keep_for_person(in, c, &w, "reply") == -1)
			r = ACTED_FAILED;
		else
			r = ACTED_KEPT;
		break;
	case CLASSIFY_UNKNOWN:
		break;
	}
	*err = r == ACTED_FAILED;
	if (r == ACTED_KEPT)
		return in->folders[FOLDER_REPLIES];
	if (r == ACTED_DONE)
		return in->folders[FOLDER_PROCESSED];
	in->st->unattributed++;
	log_warnx("uid=%u kind=%s: %s; moved to '%s'", (unsigned)in->uid,
	    classify_kind_name(c->kind), c->kind == CLASSIFY_UNKNOWN ?
	    "not a bounce, complaint or reply to an alert" :
	    "no token of ours verifies for it: it changed nobody (see tocsin "
	    "replies --unattributed)", in->folders[FOLDER_UNKNOWN]);
	return in->folders[FOLDER_UNKNOWN];
}

static void
digest_hex(const char *msg, size_t len, char out[SHA256_DIGEST_SIZE * 2 + 1])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)msg);
	sha256_digest(&ctx, sizeof(d), d);
	encode_hex(out, d, sizeof(d));
}

static void
push_move(struct inbox *in, uint32_t uid, const char *folder)
{
	if (in->npending == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 64;
		in->pending = xreallocarray(in->pending, in->cap,
		    sizeof(*in->pending));
	}
	in->pending[in->npending].uid = uid;
	in->pending[in->npending].folder = folder;
	in->npending++;
}

/* The configured folder called `name` (a stable pointer), or unknown. */
static const char *
folder_named(const struct inbox *in, const char *name)
{
	size_t i;

	for (i = 0; i < FOLDER_UNKNOWN; i++)
		if (strcmp(in->folders[i], name) == 0)
			return in->folders[i];
	return in->folders[FOLDER_UNKNOWN];
}

/* A message seen before: 1 (and queued for its move), 0 new, -1. */
static int
seen_before(struct inbox *in, const char *digest)
{
	const char *folder;
	int r;

	db_bind_text(in->seen, 1, digest);
	r = db_step_row(in->db, in->seen, "look up a message");
	if (r != 1)
		return r;
	in->message_id = sqlite3_column_int64(in->seen, 0);
	folder = folder_named(in, db_column_text(in->seen, 1));
	sqlite3_reset(in->seen);
	sqlite3_bind_int64(in->again, 1, in->message_id);
	db_bind_text(in->again, 2, in->mailbox);
	sqlite3_bind_int64(in->again, 3, in->uidvalidity);
	sqlite3_bind_int64(in->again, 4, in->uid);
	if (db_step_done(in->db, in->again, "note a message again") == -1)
		return -1;
	push_move(in, in->uid, folder);
	in->st->again++;
	return 1;
}

/* Classifies, acts and records one message, in the batch's transaction. */
static int
take(void *arg, uint32_t uid, const char *msg, size_t len)
{
	struct inbox *in = arg;
	char digest[SHA256_DIGEST_SIZE * 2 + 1];
	struct classify c;
	const char *folder;
	int r, err = 0;

	in->uid = uid;
	in->warned = 0;
	in->st->seen++;
	digest_hex(msg, len, digest);
	r = seen_before(in, digest);
	if (r != 0)
		return r == -1 ? -1 : 0;
	classify_message(msg, len, &c);
	in->st->kinds[c.kind]++;
	db_bind_text(in->record, 1, digest);
	db_bind_text(in->record, 2, in->mailbox);
	sqlite3_bind_int64(in->record, 3, in->uidvalidity);
	sqlite3_bind_int64(in->record, 4, uid);
	db_bind_text(in->record, 5, classify_kind_name(c.kind));
	db_bind_text(in->record, 6, "");
	sqlite3_bind_int64(in->record, 7, (sqlite3_int64)in->now);
	if (db_step_done(in->db, in->record, "record a message") == -1)
		return -1;
	in->message_id = sqlite3_last_insert_rowid(in->db->handle);
	folder = act(in, &c, &err);
	if (err)
		return -1;
	sqlite3_bind_int64(in->set_folder, 1, in->message_id);
	db_bind_text(in->set_folder, 2, folder);
	if (db_step_done(in->db, in->set_folder, "record a folder") == -1)
		return -1;
	if (!c.mime_ok)
		log_warnx("uid=%u: libetpan could not read its MIME structure; "
		    "read as plain text", (unsigned)uid);
	push_move(in, uid, folder);
	return 0;
}

/*
 * Hands what is pending to the mover. The moves come after the commit: a
 * crash in between leaves rows with moved = 0, which the next run moves
 * first.
 */
static int
move_pending(struct inbox *in)
{
	int r = mover_put(in->mover, in->pending, in->npending);

	in->npending = 0;
	return r;
}

/*
 * Notes moves done, inside the caller's transaction: they ride along
 * with the next batch rather than cost a commit (and its fsync) of
 * their own. A move not noted when a run stops is only done again,
 * harmlessly: a UID MOVE of messages already gone moves nothing.
 */
static int
note_moved(struct inbox *in, uint32_t *moved, size_t n)
{
	size_t i;
	int r = 0;

	in->st->moved += n;
	for (i = 0; i < n && r == 0; i++) {
		db_bind_text(in->moved_stmt, 1, in->mailbox);
		sqlite3_bind_int64(in->moved_stmt, 2, in->uidvalidity);
		sqlite3_bind_int64(in->moved_stmt, 3, moved[i]);
		r = db_step_done(in->db, in->moved_stmt, "note a move");
	}
	free(moved);
	return r;
}

/* Moves left over from a run that stopped between commit and move. */
static int
leftover_moves(struct inbox *in)
{
	sqlite3_stmt *st = db_prepare(in->db, "SELECT uid, folder FROM "
	    "inbox_messages WHERE mailbox = ?1 AND uidvalidity = ?2 AND "
	    "moved = 0 ORDER BY uid");
	int r;

	db_bind_text(st, 1, in->mailbox);
	sqlite3_bind_int64(st, 2, in->uidvalidity);
	while ((r = db_step_row(in->db, st, "find unmoved messages")) == 1)
		push_move(in, (uint32_t)sqlite3_column_int64(st, 0),
		    folder_named(in, db_column_text(st, 1)));
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	if (in->npending > 0)
		log_info("finishing %zu moves a previous run left",
		    in->npending);
	return move_pending(in);
}

/*
 * Where reading got to: the last UID done, after a UIDVALIDITY change
 * 0 (the digests keep what was done from being done again).
 */
static int
load_state(struct inbox *in, uint32_t *last)
{
	sqlite3_stmt *st = db_prepare(in->db, "SELECT uidvalidity, last_uid "
	    "FROM inbox_state WHERE mailbox = ?1");
	sqlite3_stmt *put;
	int r;

	*last = 0;
	db_bind_text(st, 1, in->mailbox);
	r = db_step_row(in->db, st, "read the inbox state");
	if (r == 1 &&
	    (uint32_t)sqlite3_column_int64(st, 0) == in->uidvalidity) {
		*last = (uint32_t)sqlite3_column_int64(st, 1);
		sqlite3_finalize(st);
		return 0;
	}
	if (r == 1)
		log_warnx("mailbox '%s': UIDVALIDITY changed from %lld to %u; "
		    "reading it all again (nothing is acted on twice)",
		    in->mailbox, (long long)sqlite3_column_int64(st, 0),
		    (unsigned)in->uidvalidity);
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	put = db_prepare(in->db, "INSERT OR REPLACE INTO inbox_state (mailbox, "
	    "uidvalidity, last_uid, updated_at) VALUES (?1, ?2, 0, ?3)");
	db_bind_text(put, 1, in->mailbox);
	sqlite3_bind_int64(put, 2, in->uidvalidity);
	sqlite3_bind_int64(put, 3, (sqlite3_int64)in->now);
	r = db_step_done(in->db, put, "write the inbox state");
	sqlite3_finalize(put);
	return r;
}

/* One batch: fetch, act and commit together, then move. */
static int
batch(struct inbox *in, struct imap *im, uint32_t first, uint32_t last,
    size_t head)
{
	size_t nmoved;
	uint32_t *moved;
	int r;

	if (db_begin(in->db) == -1)
		return -1;
	moved = mover_take(in->mover, &nmoved);
	r = note_moved(in, moved, nmoved);
	if (r == 0)
		r = imap_fetch(im, first, last, head, take, in);
	if (r == 0) {
		db_bind_text(in->state, 1, in->mailbox);
		sqlite3_bind_int64(in->state, 2, last);
		sqlite3_bind_int64(in->state, 3, (sqlite3_int64)in->now);
		r = db_step_done(in->db, in->state, "note the last UID");
	}
	if (r != 0) {
		db_rollback(in->db);
		in->npending = 0;
		return -1;
	}
	if (db_commit(in->db) == -1)
		return -1;
	return move_pending(in);
}

/*
 * The UIDs first..last in batches by count and by bytes, from their
 * sizes: a batch ends before it would pass INBOX_BATCH_BYTES, and a
 * message over INBOX_MESSAGE_MAX is a batch of its own, read from its
 * start only. The batches' UID ranges cover first..last whole, so the
 * last UID done moves on even over UIDs that no longer exist.
 */
static int
window(struct inbox *in, struct imap *im, uint32_t first, uint32_t last)
{
	struct imap_size *sz;
	size_t n, i = 0, j, bytes;
	uint32_t from = first;
	int r = 0;

	if (imap_sizes(im, first, last, &sz, &n) == -1)
		return -1;
	if (n == 0)
		r = batch(in, im, first, last, 0);
	while (r == 0 && i < n) {
		int big = sz[i].size > INBOX_MESSAGE_MAX;

		bytes = sz[i].size;
		for (j = i + 1; !big && j < n && sz[j].size <=
		    INBOX_MESSAGE_MAX &&
		    bytes + sz[j].size <= INBOX_BATCH_BYTES;
		    j++)
			bytes += sz[j].size;
		if (big)
			log_info("uid=%u size=%u: larger than %d bytes; read "
			    "from its start only", (unsigned)sz[i].uid,
			    (unsigned)sz[i].size, INBOX_MESSAGE_MAX);
		r = batch(in, im, from, j == n ? last : sz[j - 1].uid, big ?
		    INBOX_MESSAGE_MAX : 0);
		from = j == n ? last : sz[j - 1].uid + 1;
		i = j;
	}
	free(sz);
	return r;
}

/*
 * Waits for the last moves and notes them, even after a failure: what
 * was moved was moved. 0 or -1.
 */
static int
finish_moves(struct inbox *in)
{
	uint32_t *moved;
	size_t n;
	int r = mover_stop(in->mover, &moved, &n);

	in->mover = NULL;
	if (n == 0) {
		free(moved);
		return r;
	}
	if (db_begin(in->db) == -1) {
		free(moved);
		return -1;
	}
	if (note_moved(in, moved, n) == -1 || db_commit(in->db) == -1) {
		db_rollback(in->db);
		return -1;
	}
	return r;
}

int
inbox_run(struct db *db, const struct conf *c, const struct token_key *key,
    struct imap *im, struct inbox_stats *st)
{
	struct inbox in;
	uint32_t uidnext, last;
	uint64_t first;
	int r = -1;

	memset(&in, 0, sizeof(in));
	memset(st, 0, sizeof(*st));
	in.db = db;
	in.conf = c;
	in.key = key;
	in.st = st;
	in.now = time(NULL);
	in.mailbox = conf_or(c->imap_mailbox, "INBOX");
	in.folders[FOLDER_PROCESSED] = conf_or(c->imap_processed_folder,
	    "processed");
	in.folders[FOLDER_REPLIES] = conf_or(c->imap_replies_folder, "replies");
	in.folders[FOLDER_UNKNOWN] = conf_or(c->imap_unknown_folder, "unknown");
	prepare(&in);
	if (imap_select(im, in.mailbox, &in.uidvalidity, &uidnext) == -1 ||
	    load_state(&in, &last) == -1)
		goto done;
	in.mover = mover_start(c, im, in.mailbox, in.uidvalidity);
	if (leftover_moves(&in) == -1)
		goto done;
	if (uidnext == 0)
		uidnext = UINT32_MAX;
	for (first = (uint64_t)last + 1; first < uidnext;
	    first += INBOX_BATCH) {
		uint64_t to = first + INBOX_BATCH - 1;

		if (to >= uidnext)
			to = uidnext - 1;
		if (window(&in, im, (uint32_t)first, (uint32_t)to) == -1)
			goto done;
	}
	r = 0;
done:
	if (in.mover != NULL && finish_moves(&in) == -1)
		r = -1;
	finalize(&in);
	return r;
}
