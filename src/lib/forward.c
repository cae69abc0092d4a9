/* forward: human replies sent on to a person (see forward.h). */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "buf.h"
#include "forward.h"
#include "log.h"
#include "mime.h"

#define FORWARD_BATCH		100
#define FORWARD_MESSAGE_MAX	(256 * 1024)
#define FORWARD_RETRY_SEC	300

int
forward_queue(struct db *db, sqlite3_int64 reply_id, sqlite3_int64 list_id,
    time_t now)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO forwards (reply_id, "
	    "list_id, to_addr, updated_at) SELECT ?1, id, reply_to, ?3 FROM "
	    "lists WHERE id = ?2 AND coalesce(reply_to, '') != '' ON CONFLICT "
	    "(reply_id) DO NOTHING");
	int r;

	sqlite3_bind_int64(st, 1, reply_id);
	sqlite3_bind_int64(st, 2, list_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)now);
	r = db_step_done(db, st, "cannot queue a forward");
	sqlite3_finalize(st);
	return r == -1 ? -1 : sqlite3_changes(db->handle) > 0;
}

long long
forward_due(struct db *db, time_t now)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM forwards WHERE "
	    "state IN ('queued', 'deferred') AND next_try_at <= ?1");
	long long n = -1;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	if (db_step_row(db, st, "cannot count forwards") == 1)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* One forward as it is read from the queue. */
struct forward {
	sqlite3_int64	 id;
	int		 attempts;
	char		 to[ADDR_MAX_LEN + 1];
	char		 sender[ADDR_MAX_LEN + 1];
	char		 subject[512];
	char		 date[256];
	char		 excerpt[2048];
	long long	 blast;
	char		 from_name[ADDR_NAME_MAX + 1];
	char		 from_addr[ADDR_MAX_LEN + 1];
	char		 list[128];
};

static int
set_state(struct db *db, sqlite3_int64 id, const char *state,
    const char *reply, time_t next)
{
	sqlite3_stmt *st = db_prepare(db, "UPDATE forwards SET state = ?2, "
	    "smtp_reply = coalesce(?3, smtp_reply), next_try_at = ?4, "
	    "attempts = attempts + (?2 = 'sending'), updated_at = "
	    "strftime('%s', 'now') WHERE id = ?1");
	int r;

	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, state);
	db_bind_text(st, 3, reply);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)next);
	if (db_begin(db) == -1)
		r = -1;
	else
		r = db_step_done(db, st, "cannot record a forward");
	sqlite3_finalize(st);
	if (r == -1 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/* "Ann <ann@x>" of the list, and the reply, into the message. */
static int
build(const struct sender *s, const struct forward *f, struct buf *out)
{
	struct message m;
	struct buf text;
	char subject[1024], mid[ADDR_MAX_LEN + 64], rnd[33], to_blast[40];
	int r;

	to_blast[0] = '\0';
	if (f->blast > 0)
		snprintf(to_blast, sizeof(to_blast), " to blast %lld",
		    f->blast);
	buf_init(&text, FORWARD_MESSAGE_MAX);
	(void)buf_printf(&text, "%s replied%s on %s:\n\n%s\n\n-- \n"
	    "Forwarded by tocsin: the whole message is in the IMAP folder of "
	    "replies, and 'tocsin replies' lists it. Answer them directly: "
	    "this message's Reply-To is theirs.\n", f->sender, to_blast,
	    f->date, f->excerpt);
	snprintf(subject, sizeof(subject), "Reply from %s: %s", f->sender,
	    f->subject);
	compose_random_hex(rnd, 12);
	snprintf(mid, sizeof(mid), "<%s@%s>", rnd, s->domain);
	memset(&m, 0, sizeof(m));
	m.from_name = f->from_name;
	m.from_addr = f->from_addr;
	m.to_addr = f->to;
	m.to_name = "";
	m.reply_to = f->sender;
	m.subject = subject;
	m.message_id = mid;
	m.date = time(NULL);
	m.text = buf_cstr(&text);
	m.text_len = text.len;
	buf_reset(out);
	r = text.failed ? -1 : mime_build(out, &m);
	buf_release(&text);
	return r;
}

static int
next_due(struct db *db, struct forward *f)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT f.id, f.attempts, f.to_addr, "
	    "r.sender, r.subject, r.sent_date, r.excerpt, coalesce(r.blast_id, "
	    "0), l.from_addr, l.name FROM forwards f JOIN replies r ON r.id = "
	    "f.reply_id JOIN lists l ON l.id = f.list_id WHERE f.state IN "
	    "('queued', 'deferred') AND f.next_try_at <= ?1 ORDER BY "
	    "f.id LIMIT 1");
	const char *why;
	int r;

	memset(f, 0, sizeof(*f));
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	r = db_step_row(db, st, "cannot read forwards");
	if (r == 1) {
		f->id = sqlite3_column_int64(st, 0);
		f->attempts = sqlite3_column_int(st, 1);
		snprintf(f->to, sizeof(f->to), "%s", db_column_text(st, 2));
		snprintf(f->sender, sizeof(f->sender), "%s",
		    db_column_text(st, 3));
		snprintf(f->subject, sizeof(f->subject), "%s",
		    db_column_text(st, 4));
		snprintf(f->date, sizeof(f->date), "%s", db_column_text(st, 5));
		snprintf(f->excerpt, sizeof(f->excerpt), "%s",
		    db_column_text(st, 6));
		f->blast = sqlite3_column_int64(st, 7);
		if (addr_parse_mailbox(db_column_text(st, 8), f->from_name,
		    f->from_addr, &why) == -1)
			f->from_addr[0] = '\0';
		snprintf(f->list, sizeof(f->list), "%s", db_column_text(st, 9));
	}
	sqlite3_finalize(st);
	return r;
}

/* One forward through the relay: 1 sent, 0 not (recorded), -1. */
static int
send_one(struct db *db, const struct sender *s, struct smtp_pool *pool,
    const struct forward *f, struct buf *msg, char *from, int *unavailable)
{
	struct smtp_result res;
	time_t now = time(NULL);
	int n = 0, r;

	if (f->from_addr[0] == '\0' || build(s, f, msg) == -1)
		return set_state(db, f->id, "failed", "cannot build the "
		    "message (a bad address?)", 0) == -1 ? -1 : 0;
	if (set_state(db, f->id, "sending", NULL, 0) == -1 ||
	    smtp_send(pool, 0, from, f->to, msg->data, msg->len, 0, NULL) == -1)
		return -1;
	while (n == 0)
		n = smtp_poll(pool, 1000, &res, 1);
	if (n == -1)
		return -1;
	switch (res.outcome) {
	case SMTP_ACCEPTED:
		log_info("forward=%lld to=%s result=sent", (long long)f->id,
		    f->to);
		r = set_state(db, f->id, "sent", res.reply, 0);
		return r == -1 ? -1 : 1;
	case SMTP_PERMANENT:
		log_warnx("forward=%lld to=%s result=failed reply=\"%s\"",
		    (long long)f->id, f->to, res.reply);
		r = set_state(db, f->id, "failed", res.reply, 0);
		return r == -1 ? -1 : 0;
	case SMTP_UNKNOWN:
		r = set_state(db, f->id, "unknown", res.reply, 0);
		return r == -1 ? -1 : 0;
	case SMTP_UNAVAILABLE:
	case SMTP_TEMPORARY:
		/* unavailable: no attempt made; it waits for a later run */
		*unavailable = res.outcome == SMTP_UNAVAILABLE;
		r = set_state(db, f->id, "deferred", res.reply, now +
		    (FORWARD_RETRY_SEC << (f->attempts < 6 ? f->attempts : 6)));
		return r == -1 ? -1 : 0;
	}
	return 0;
}

int
forward_run(struct db *db, const struct sender *s, struct smtp_pool *pool,
    int *unavailable)
{
	char from[ADDR_MAX_LEN + 1];
	struct forward f;
	struct buf msg;
	int r = 0, sent = 0, i;

	*unavailable = 0;
	/* A forward left 'sending' by a dead sender may have gone. */
	if (db_exec(db, "UPDATE forwards SET state = 'unknown' WHERE state "
	    "= 'sending'") == -1)
		return -1;
	/* No token: a bounce of a forward acts on nobody. */
	snprintf(from, sizeof(from), "bounce@%s", s->bounce_domain);
	buf_init(&msg, FORWARD_MESSAGE_MAX + 4096);
	for (i = 0; i < FORWARD_BATCH && !*unavailable; i++) {
		r = next_due(db, &f);
		if (r != 1)
			break;
		r = send_one(db, s, pool, &f, &msg, from, unavailable);
		if (r == -1)
			break;
		sent += r;
	}
	buf_release(&msg);
	return r == -1 ? -1 : sent;
}
