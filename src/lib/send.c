/*
 * send: the sending engine of tocsin send (see send.h): due blasts,
 * parallel SMTP, the per-session loop of durable steps, the dry run.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "alert.h"
#include "blast.h"
#include "buf.h"
#include "compose.h"
#include "forward.h"
#include "fsx.h"
#include "log.h"
#include "progress.h"
#include "rates.h"
#include "runs.h"
#include "signer.h"
#include "refusal.h"
#include "send.h"
#include "sendq.h"
#include "smtp.h"
#include "walsync.h"
#include "xalloc.h"

#define DUE_MAX			1000
#define MESSAGE_MAX		(16 * 1024 * 1024)
#define LOG_EVERY_SEC		5

static volatile sig_atomic_t stop_requested;

struct flight {
	struct sendq_item	 item;
	struct buf		 msg;
	char			 bounce[ADDR_MAX_LEN + 1];
	/* domain in ASCII */
	char			 rcpt[ADDR_MAX_LEN + 1];
	int			 active;	/* marked 'sending' */
	int			 started;	/* handed to SMTP */
	int			 held;		/* its end of data waits for
						   its commit to be durable */
	_Atomic int		 sign;		/* enum signer_state */
	unsigned long		 commit;	/* the commit that marked it,
						   until it is durable */
};

/*
 * A permanent refusal in a run of them, held until the run is known not
 * to be systemic: its bounce, if it has one, waits for the next message
 * a relay accepts (or the end of the blast).
 */
struct refused {
	sqlite3_int64	delivery_id;
	sqlite3_int64	subscriber_id;
	long		code;
	int		bounces;	/* a dead mailbox at RCPT */
	char		reply[SMTP_REPLY_MAX];
};

/*
 * The breaker: [smtp] pause_after_refusals permanent refusals in a row
 * look like the relay refusing us, not the recipients refusing mail.
 * The blast pauses itself, the run's refusals go back to the queue and
 * nobody is bounced by them.
 */
struct breaker {
	struct refused	*run;
	size_t		 n;
	size_t		 max;		/* 0: no breaker */
	int		 tripped;
};

struct counts {
	long long	sent;
	long long	deferred;
	long long	failed;
	long long	unknown;
	long long	skipped;
};

struct run {
	struct cli		*cli;
	struct sender		 sender;
	struct smtp_pool	*pool;
	struct signer		*signer;	/* DKIM on other cores */
	struct flight		*flights;
	const char		*outbox;	/* dry run */
	/* per relay per hour; 0: none */
	long			 cap;
	/* per relay, in the last hour */
	long long		*used;
	/* per relay: set aside this run */
	int			*down;
	size_t			 ndown;
	int			 capped;	/* every relay is at its cap */
	int			 unavailable;
	int			 tripped;	/* a blast's breaker */
	char			 why[SMTP_REPLY_MAX];
	/* every blast's */
	long long		 sent, deferred, failed;
};

void
send_stop(void)
{
	stop_requested = 1;
}

static int
count_result(struct counts *c, const struct smtp_result *r)
{
	switch (r->outcome) {
	case SMTP_ACCEPTED:
		c->sent++;
		break;
	case SMTP_TEMPORARY:
		c->deferred++;
		break;
	case SMTP_PERMANENT:
		c->failed++;
		break;
	case SMTP_UNKNOWN:
		c->unknown++;
		break;
	case SMTP_UNAVAILABLE:
		return 1;
	}
	return 0;
}

struct blast_run {
	struct run		*run;
	struct blast		 b;
	struct alert		 alert;
	struct alert_context	*ctx;
	struct composer		 comp;
	struct sendq		 q;
	struct counts		 c;
	struct breaker		 breaker;
	struct progress		 progress;
	double			 tokens;	/* the rate's token bucket */
	struct timespec		 refilled;
	int			 exhausted;
	/* paused or cancelled meanwhile */
	int			 halted;
	time_t			 logged;
	/* the last step's transaction */
	time_t			 stepped;
	struct walsync		*ws;		/* group commit */
};

static int
prepare_blast(struct run *r, struct blast_run *br, sqlite3_int64 id)
{
	struct db *db = &r->cli->db;
	struct composed_list list;
	struct action act = { 0 };

	memset(br, 0, sizeof(*br));
	br->run = r;
	br->ctx = xcalloc(1, sizeof(*br->ctx));
	if (blast_load(db, id, &br->b) != 1)
		return -1;
	if (br->b.action_id > 0) {
		if (action_find_id(db, br->b.action_id, &act) != 1 ||
		    action_context(db, &act, br->ctx, time(NULL)) == -1) {
			action_release(&act);
			return -1;
		}
		/* The context borrows the title and slug: keep copies. */
		br->ctx->action_title = xstrdup(act.title);
		br->ctx->action_slug = xstrdup(act.slug);
		action_release(&act);
	}
	br->ctx->list_name = br->b.list_title;
	br->ctx->list_slug = br->b.list_name;
	br->ctx->list_address = br->b.list_address;
	if (alert_load_snapshot(&br->alert, br->b.template_name,
	    br->b.template, br->b.partials) == -1)
		return -1;
	alert_context_counts(br->ctx, &br->alert);
	alert_context_ready(br->ctx);
	list.id = br->b.list_id;
	list.name = br->b.list_name;
	list.title = br->b.list_title;
	list.from = br->b.list_from;
	list.footer = br->b.list_footer;
	composer_init(&br->comp, &r->sender, &br->alert, br->ctx, &list);
	br->comp.confirm = br->b.is_confirm;
	composer_set_blast(&br->comp, br->b.id);
	br->comp.sign_later = r->signer != NULL;
	br->breaker.max = (size_t)r->cli->conf.smtp_pause_after_refusals;
	br->breaker.run = xcalloc(br->breaker.max + 1, sizeof(struct refused));
	br->tokens = br->b.rate > 0 ? 1 : 0;
	clock_gettime(CLOCK_MONOTONIC, &br->refilled);
	if (sendq_open(&br->q, db, id) == -1)
		return -1;
	br->q.confirm = br->b.is_confirm;
	return 0;
}

static void
release_blast(struct blast_run *br)
{
	sendq_close(&br->q);
	free(br->breaker.run);
	composer_release(&br->comp);
	alert_release(&br->alert);
	if (br->ctx != NULL) {
		free((char *)br->ctx->action_title);
		free((char *)br->ctx->action_slug);
		free(br->ctx);
	}
	blast_release(&br->b);
}

/* One message a token; the bucket holds at most a second's worth. */
static int
take_token(struct blast_run *br)
{
	struct timespec now;
	double dt;

	if (br->b.rate <= 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = (double)(now.tv_sec - br->refilled.tv_sec) +
	    (double)(now.tv_nsec - br->refilled.tv_nsec) / 1e9;
	br->refilled = now;
	br->tokens += dt * (double)br->b.rate;
	if (br->tokens > (double)br->b.rate)
		br->tokens = (double)br->b.rate;
	if (br->tokens < 1)
		return 0;
	br->tokens -= 1;
	return 1;
}

/* What became of the delivery a session was given (take). */
enum taken {
	TAKEN_READY,		/* rendered and ready to mark sending */
	TAKEN_SETTLED,		/* skipped, deferred or failed, and recorded */
	TAKEN_DB_FAILED,	/* the database failed: the step fails */
};

static enum taken
recorded(struct blast_run *br, struct flight *f, const struct smtp_result *res,
    time_t now)
{
	return sendq_record(&br->q, &f->item, res, now) == -1 ?
	    TAKEN_DB_FAILED : TAKEN_SETTLED;
}

/* Renders one delivery into its flight, or records it failed. */
static enum taken
render_flight(struct blast_run *br, struct flight *f, time_t now)
{
	struct composed_recipient rc;
	struct smtp_result bad;

	memset(&rc, 0, sizeof(rc));
	rc.subscriber_id = f->item.subscriber_id;
	rc.delivery_id = f->item.delivery_id;
	rc.email = f->item.email;
	rc.first_name = f->item.first_name;
	rc.last_name = f->item.last_name;
	rc.fields_json = f->item.fields;
	if (compose(&br->comp, &rc, 0, &f->msg) == 0) {
		snprintf(f->bounce, sizeof(f->bounce), "%s", br->comp.bounce);
		snprintf(f->rcpt, sizeof(f->rcpt), "%s", br->comp.rcpt);
		return TAKEN_READY;
	}
	memset(&bad, 0, sizeof(bad));
	bad.outcome = SMTP_PERMANENT;
	snprintf(bad.reply, sizeof(bad.reply), "cannot build the message");
	br->c.failed++;
	return recorded(br, f, &bad, now);
}

/*
 * An address whose local part is not ASCII may go only where the relay
 * offered SMTPUTF8 (RFC 6531): elsewhere it waits, deferred, for a
 * session whose EHLO offers it.
 */
static enum taken
needs_smtputf8(struct blast_run *br, struct flight *f, time_t now)
{
	struct smtp_result later;

	memset(&later, 0, sizeof(later));
	later.outcome = SMTP_TEMPORARY;
	snprintf(later.reply, sizeof(later.reply), "not sent: the part "
	    "before '@' is not ASCII and needs SMTPUTF8 (RFC 6531), which "
	    "the relay has not offered");
	br->c.deferred++;
	return recorded(br, f, &later, now);
}

/*
 * Whether the delivery goes: the person is still subscribed, and has
 * not had this action's alert from another blast lately, nor too many
 * blasts today ([blast] duplicate_days, max_per_day). 1, 0 (why says),
 * -1.
 */
static int
wanted(struct blast_run *br, const struct flight *f, time_t now, char *why,
    size_t whysize)
{
	const struct conf *c = &br->run->cli->conf;
	int r = sendq_still_wanted(&br->q, &f->item);

	snprintf(why, whysize, "no longer subscribed");
	if (r != 1)
		return r;
	r = sendq_had_enough(&br->q, &f->item, now, c->blast_duplicate_days,
	    c->blast_max_per_day, why, whysize);
	return r == -1 ? -1 : !r;
}

/*
 * The delivery just read for session `i`: skipped if the recipient
 * left since the blast was made (or had enough), deferred if it needs
 * SMTPUTF8 the session lacks, else rendered.
 */
static enum taken
take(struct blast_run *br, struct flight *f, size_t i, time_t now)
{
	char why[128];
	int r = wanted(br, f, now, why, sizeof(why));

	if (r == -1)
		return TAKEN_DB_FAILED;
	if (r == 0) {
		br->c.skipped++;
		return sendq_mark_skipped(&br->q, &f->item, now, why) ?
		    TAKEN_DB_FAILED : TAKEN_SETTLED;
	}
	if (!addr_local_is_ascii(f->item.email) &&
	    smtp_session_utf8(br->run->pool, (int)i) != SMTP_UTF8_OFFERED)
		return needs_smtputf8(br, f, now);
	return render_flight(br, f, now);
}

/*
 * Gives idle sessions their next delivery, in the open transaction:
 * skipped if the recipient left since the blast was made, else
 * rendered and marked 'sending'. Returns how many are ready, or -1.
 */
static int
fill_sessions(struct blast_run *br, time_t now)
{
	struct run *r = br->run;
	size_t i, n = smtp_pool_size(r->pool);
	enum taken taken;
	int ready = 0, got;

	for (i = 0; i < n && !br->exhausted; i++) {
		struct flight *f = &r->flights[i];
		size_t relay = smtp_session_relay(r->pool, (int)i);

		if (r->cap > 0 && r->used[relay] >= r->cap)
			continue;	/* this relay has had its hour */
		if (r->down[relay])
			continue;	/* unreachable: the others carry it */
		while (!f->active && !br->exhausted && take_token(br)) {
			got = sendq_next(&br->q, now, &f->item);
			if (got == -1)
				return -1;
			if (got == 0) {
				br->exhausted = 1;
				break;
			}
			taken = take(br, f, i, now);
			if (taken == TAKEN_READY) {
				if (sendq_mark_sending(&br->q, &f->item, now,
				    br->comp.message_id,
				    smtp_relay_name(r->pool, relay)) == -1)
					return -1;
				r->used[relay]++;
				f->active = 1;
				if (r->signer != NULL)
					signer_submit(r->signer, &f->msg,
					    &f->sign);
				ready++;
				break;
			}
			sendq_item_release(&f->item);
			if (taken == TAKEN_DB_FAILED)
				return -1;
		}
	}
	if (r->cap > 0) {
		for (i = 0; i < smtp_pool_relays(r->pool); i++)
			if (r->used[i] < r->cap && !r->down[i])
				break;
		r->capped = i == smtp_pool_relays(r->pool);
	}
	return ready;
}

/* The run was not systemic: its dead mailboxes bounce now. */
static int
breaker_settle(struct blast_run *br, time_t now)
{
	struct breaker *k = &br->breaker;
	size_t i;

	for (i = 0; i < k->n; i++) {
		const struct refused *f = &k->run[i];

		if (f->bounces && sendq_bounce(&br->q, f->delivery_id,
		    f->subscriber_id, f->code, f->reply, now) == -1)
			return -1;
	}
	k->n = 0;
	return 0;
}

/* The run looks systemic: take its refusals back and pause the blast. */
static int
breaker_trip(struct blast_run *br, time_t now)
{
	struct breaker *k = &br->breaker;
	const struct refused *last = &k->run[k->n - 1];
	char why[SMTP_REPLY_MAX + 160];
	size_t i;

	for (i = 0; i < k->n; i++)
		if (sendq_requeue(&br->q, k->run[i].delivery_id) == -1)
			return -1;
	br->c.failed -= (long long)k->n;
	snprintf(why, sizeof(why), "%zu permanent refusals in a row, the "
	    "last: %s; nobody was bounced: check the relay and the sender, "
	    "then tocsin blast resume %lld", k->n, last->reply,
	    (long long)br->b.id);
	if (sendq_pause(&br->q, why, now) == -1)
		return -1;
	log_warnx("blast=%lld paused: %s", (long long)br->b.id, why);
	k->n = 0;
	k->tripped = 1;
	br->run->tripped = 1;
	return 0;
}

/* A permanent refusal: whose problem it is, and whether it is systemic. */
static int
breaker_note(struct blast_run *br, const struct flight *f,
    const struct smtp_result *res, time_t now)
{
	struct breaker *k = &br->breaker;
	struct refused *one = &k->run[k->n];
	enum refusal why = refusal_judge(res->at, res->reply);

	/* (its outcome has its line already: sendq_record) */
	log_info("blast=%lld delivery=%lld refused at=%s about=%s",
	    (long long)br->b.id, (long long)f->item.delivery_id,
	    smtp_command_name(res->at), refusal_name(why));
	if (k->tripped) {
		br->c.failed--;
		return sendq_requeue(&br->q, f->item.delivery_id);
	}
	one->delivery_id = f->item.delivery_id;
	one->subscriber_id = f->item.subscriber_id;
	one->code = res->code;
	one->bounces = why == REFUSAL_MAILBOX;
	snprintf(one->reply, sizeof(one->reply), "%s", res->reply);
	k->n++;
	if (k->max == 0)
		return breaker_settle(br, now);
	return k->n >= k->max ? breaker_trip(br, now) : 0;
}

/*
 * A relay that cannot be reached (or refuses the login) is set aside
 * for the rest of the run, and its message goes back to the queue for
 * another relay to carry; only when every relay is down is the run over.
 */
static void
relay_down(struct blast_run *br, size_t session, const char *why)
{
	struct run *r = br->run;
	size_t relay = smtp_session_relay(r->pool, (int)session);

	if (!r->down[relay]) {
		r->down[relay] = 1;
		r->ndown++;
		log_warnx("relay %s is unavailable (%s): set aside for "
		    "this run",
		    smtp_relay_name(r->pool, relay), why);
	}
	sendq_rewind(&br->q, r->flights[session].item.delivery_id);
	br->exhausted = 0;
	if (r->ndown == smtp_pool_relays(r->pool) && !r->unavailable) {
		r->unavailable = 1;
		snprintf(r->why, sizeof(r->why), "%s", why);
	}
}

/* Records the outcomes of finished messages, in the open transaction. */
static int
record_results(struct blast_run *br, struct smtp_result *res, int n,
    time_t now)
{
	struct run *r = br->run;
	int i;

	for (i = 0; i < n; i++) {
		struct flight *f = res[i].user;

		if (count_result(&br->c, &res[i]))
			relay_down(br, (size_t)(f - r->flights), res[i].reply);
		if (sendq_record(&br->q, &f->item, &res[i], now) == -1)
			return -1;
		if (res[i].outcome == SMTP_ACCEPTED &&
		    breaker_settle(br, now) == -1)
			return -1;
		if (res[i].outcome == SMTP_PERMANENT &&
		    breaker_note(br, f, &res[i], now) == -1)
			return -1;
		sendq_item_release(&f->item);
		f->active = 0;
		f->started = 0;
		f->held = 0;
		f->commit = 0;
	}
	return 0;
}

/*
 * A pause or a cancel from another process takes effect at the next
 * step (within a second: no wait lasts longer): nothing more is taken
 * for the blast, and what is in flight is finished and recorded.
 */
static int
check_still_scheduled(struct blast_run *br)
{
	int r = sendq_is_scheduled(&br->q);

	if (r == 0) {
		br->halted = 1;
		log_warnx("blast=%lld is no longer scheduled (paused or "
		    "cancelled): nothing more is sent for it; the messages "
		    "in flight are finished and recorded", (long long)br->b.id);
	}
	return r == -1 ? -1 : 0;
}

/* Whether a session has no message: the next step may give it one. */
static int
any_free(const struct blast_run *br)
{
	size_t i;

	for (i = 0; i < smtp_pool_size(br->run->pool); i++)
		if (!br->run->flights[i].active)
			return 1;
	return 0;
}

/* Messages marked sending whose commit is not durable yet. */
static size_t
waiting(const struct blast_run *br, unsigned long *last)
{
	size_t i, n = 0;

	*last = 0;
	for (i = 0; i < smtp_pool_size(br->run->pool); i++) {
		const struct flight *f = &br->run->flights[i];

		if (f->active && !f->started) {
			n++;
			if (f->commit > *last)
				*last = f->commit;
		}
	}
	return n;
}

/*
 * A message the signer could not sign (it outgrew its buffer) is not
 * sent unsigned: it is deferred, in the open transaction, with why.
 */
static int
record_unsigned(struct blast_run *br, time_t now)
{
	struct run *r = br->run;
	struct smtp_result later;
	size_t i;

	for (i = 0; i < smtp_pool_size(r->pool); i++) {
		struct flight *f = &r->flights[i];

		if (!f->active || f->started ||
		    atomic_load(&f->sign) != SIGNER_FAILED)
			continue;
		memset(&later, 0, sizeof(later));
		later.outcome = SMTP_TEMPORARY;
		snprintf(later.reply, sizeof(later.reply), "not sent: the "
		    "message could not be DKIM-signed");
		br->c.deferred++;
		if (sendq_record(&br->q, &f->item, &later, now) == -1)
			return -1;
		sendq_item_release(&f->item);
		atomic_store(&f->sign, SIGNER_NONE);
		f->active = 0;
		f->commit = 0;
	}
	return 0;
}

/* Messages handed to the signer and not back yet. */
static size_t
signing(const struct blast_run *br)
{
	size_t i, n = 0;

	for (i = 0; i < smtp_pool_size(br->run->pool); i++)
		n += atomic_load(&br->run->flights[i].sign) == SIGNER_PENDING;
	return n;
}

/*
 * Hands to SMTP each message whose 'sending' mark (and its session's
 * last outcome, in the same commit) is committed, and lets its end of
 * data go once that commit is durable: the envelope and the body cross
 * the wire while the sync runs, but the relay takes nothing it may
 * deliver before the mark is on disk. 0 or -1.
 */
static int
start_durable(struct blast_run *br)
{
	struct run *r = br->run;
	unsigned long done = walsync_done(br->ws);
	size_t i;

	for (i = 0; i < smtp_pool_size(r->pool); i++) {
		struct flight *f = &r->flights[i];
		int held = f->commit > done;

		if (f->started && f->held && !held) {
			smtp_release(r->pool, (int)i);
			f->held = 0;
			f->commit = 0;
		}
		if (!f->active || f->started || f->commit == 0 ||
		    atomic_load(&f->sign) == SIGNER_PENDING ||
		    atomic_load(&f->sign) == SIGNER_FAILED)
			continue;
		if (smtp_send(r->pool, (int)i, f->bounce, f->rcpt,
		    f->msg.data, f->msg.len, held, f) == -1)
			return -1;
		f->started = 1;
		f->held = held;
		if (!held)
			f->commit = 0;
	}
	return 0;
}

/*
 * One step: outcomes recorded and new messages marked sending in one
 * commit, when no sync is under way; then what is durable started. A
 * session never takes a new message before its last outcome is durable.
 * Returns how many of the `nres` outcomes it recorded (all, or none
 * while a sync runs: the caller keeps them for the next step), or -1.
 */
static int
step(struct blast_run *br, struct smtp_result *res, int nres)
{
	struct run *r = br->run;
	time_t now = time(NULL);
	unsigned long commit;
	sqlite3_int64 changes;
	size_t i;

	if (walsync_failed(br->ws))
		return -1;
	if (!walsync_has_room(br->ws))
		return start_durable(br) == -1 ? -1 : 0;
	/* A sync's wake-up with nothing to record or fill: only start
	 * what became durable (the pause check still runs each second). */
	if (nres == 0 && !any_free(br) && now == br->stepped)
		return start_durable(br) == -1 ? -1 : 0;
	br->stepped = now;
	if (db_begin(&r->cli->db) == -1)
		return -1;
	changes = sqlite3_total_changes64(r->cli->db.handle);
	if (record_results(br, res, nres, now) == -1 ||
	    record_unsigned(br, now) == -1)
		goto fail;
	/* (a blast the breaker paused is not news to this sender) */
	if (!br->halted && !br->breaker.tripped &&
	    check_still_scheduled(br) == -1)
		goto fail;
	if (!stop_requested && !r->unavailable && !br->breaker.tripped &&
	    !br->halted && fill_sessions(br, now) == -1)
		goto fail;
	changes = sqlite3_total_changes64(r->cli->db.handle) - changes;
	if (db_commit(&r->cli->db) == -1)
		goto fail;
	/* The commit is on its way to disk; its messages go once it is. */
	if (changes > 0) {
		commit = walsync_request(br->ws);
		for (i = 0; i < smtp_pool_size(r->pool); i++) {
			struct flight *f = &r->flights[i];

			if (f->active && !f->started && f->commit == 0)
				f->commit = commit;
		}
	}
	return start_durable(br) == -1 ? -1 : nres;
fail:
	db_rollback(&r->cli->db);
	return -1;
}

static void
report_progress(struct blast_run *br, int final)
{
	long long done = br->c.sent + br->c.deferred + br->c.failed +
	    br->c.unknown + br->c.skipped;
	double secs = progress_elapsed(&br->progress);
	time_t now = time(NULL);

	progress_update(&br->progress, (unsigned long long)done, 0);
	if (!final && (br->progress.on || now - br->logged < LOG_EVERY_SEC))
		return;
	br->logged = now;
	if (final)
		progress_done(&br->progress);
	log_info("blast=%lld sent=%lld deferred=%lld failed=%lld unknown=%lld "
	    "skipped=%lld seconds=%.1f rate=%.0f/s%s", (long long)br->b.id,
	    br->c.sent, br->c.deferred, br->c.failed, br->c.unknown,
	    br->c.skipped, secs, secs > 0 ? (double)br->c.sent / secs : 0.0,
	    final ? "" : " (sending)");
}

/* Waits for progress: a finished message, or the next rate token. */
static int
wait_for(struct blast_run *br, struct smtp_result *res, int max)
{
	struct run *r = br->run;
	unsigned long last;
	int timeout = 1000;

	if (br->b.rate > 0 && br->tokens < 1)
		timeout = (int)((1 - br->tokens) * 1000 /
		    (double)br->b.rate) + 1;

	if (smtp_pool_busy(r->pool) == 0 && !walsync_busy(br->ws) &&
	    signing(br) > 0) {
		/* durable, and only the signatures to wait for */
		signer_wait(r->signer);
		return 0;
	}
	if (smtp_pool_busy(r->pool) == 0 && (waiting(br, &last) > 0 ||
	    walsync_busy(br->ws)))
		/* then the next step starts them, or commits */
		return walsync_wait(br->ws, 0) == -1 ? -1 : 0;
	if (smtp_pool_busy(r->pool) == 0) {
		if (br->exhausted || stop_requested || r->unavailable ||
		    r->capped || br->breaker.tripped || br->halted)
			return 0;
		usleep((useconds_t)timeout * 1000);
		return 0;
	}
	return smtp_poll(r->pool, timeout, res, max);
}

/* The refusals of a run too short to trip the breaker, as it ends. */
static int
settle_last_run(struct blast_run *br)
{
	struct db *db = &br->run->cli->db;

	if (br->breaker.n == 0)
		return 0;
	if (db_begin(db) == -1)
		return -1;
	if (breaker_settle(br, time(NULL)) == -1 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/*
 * A list whose complaints pass [blast] complaint_limit gets no more
 * alerts until someone looks: the blast is paused with the figures.
 * 0 to go on, 1 paused, -1 on error. Confirmations are asked for.
 */
static int
complaint_guard(struct run *r, struct blast_run *br)
{
	char why[512];
	time_t now = time(NULL);
	int over;

	if (br->b.is_confirm || br->b.complaint_override)
		return 0;
	over = rates_over_complaint_limit(&r->cli->db, br->b.list_id,
	    r->cli->conf.blast_complaint_limit, now, why, sizeof(why));
	if (over != 1)
		return over;
	if (sendq_pause(&br->q, why, now) == -1)
		return -1;
	log_warnx("blast=%lld paused: %s", (long long)br->b.id, why);
	return 1;
}

static int
send_blast(struct run *r, sqlite3_int64 id)
{
	struct smtp_result res[SMTP_SESSIONS_MAX];
	struct blast_run br;
	char label[64];
	int n = 0, rc = -1, go = -1;

	if (prepare_blast(r, &br, id) == 0)
		go = complaint_guard(r, &br);
	if (go == 1)
		rc = 0;		/* paused: nothing to send */
	if (go == 0) {
		snprintf(label, sizeof(label), "blast %lld", (long long)id);
		progress_init(&br.progress, label, 0);
		br.progress.unit = "messages";
		br.progress.total_items = (unsigned long long)sendq_pending(
		    &br.q, time(NULL));
		br.logged = time(NULL);
		br.ws = sendq_start(&br.q) == -1 ? NULL :
		    walsync_start(&r->cli->db, smtp_pool_wakeup, r->pool);
		/* Every state the queue writes is a literal of sendq.c's. */
		if (br.ws == NULL || db_checks(&r->cli->db, 0) == -1) {
			(void)walsync_stop(br.ws);
			release_blast(&br);
			return -1;
		}
		for (;;) {
			unsigned long last;
			int got;

			/* Outcomes a running sync held back stay in res. */
			got = step(&br, res, n);
			if (got == -1)
				break;
			memmove(res, res + got,
			    (size_t)(n - got) * sizeof(*res));
			n -= got;
			report_progress(&br, 0);
			if (smtp_pool_busy(r->pool) == 0 &&
			    waiting(&br, &last) == 0 && n == 0 &&
			    !walsync_busy(br.ws) && (br.exhausted ||
			    stop_requested || r->unavailable || r->capped ||
			    br.breaker.tripped || br.halted)) {
				rc = 0;
				break;
			}
			got = wait_for(&br, res + n, SMTP_SESSIONS_MAX - n);
			if (got == -1)
				break;
			n += got;
		}
		report_progress(&br, 1);
		r->sent += br.c.sent;
		r->deferred += br.c.deferred;
		r->failed += br.c.failed;
		if (rc == 0 && settle_last_run(&br) == -1)
			rc = -1;
		if (rc == 0 && br.exhausted && !stop_requested &&
		    !br.breaker.tripped && !br.halted &&
		    sendq_finish(&br.q, time(NULL)) == 1)
			log_info("blast=%lld done", (long long)id);
		/* The last outcomes, durable before the run says it ended. */
		if (walsync_stop(br.ws) == -1 ||
		    db_checks(&r->cli->db, 1) == -1)
			rc = -1;
	}
	release_blast(&br);
	return rc;
}

/* Every message of the blast into a Maildir; no delivery changes. */
static int
dry_run_blast(struct run *r, sqlite3_int64 id)
{
	struct composed_recipient rc;
	struct sendq_item it;
	struct blast_run br;
	struct buf msg;
	long long written = 0, skipped = 0;
	int got = -1, w;

	buf_init(&msg, MESSAGE_MAX);
	if (prepare_blast(r, &br, id) == 0) {
		for (;;) {
			got = sendq_next(&br.q, time(NULL), &it);
			if (got != 1)
				break;
			w = sendq_still_wanted(&br.q, &it);
			memset(&rc, 0, sizeof(rc));
			rc.subscriber_id = it.subscriber_id;
			rc.delivery_id = it.delivery_id;
			rc.email = it.email;
			rc.first_name = it.first_name;
			rc.last_name = it.last_name;
			rc.fields_json = it.fields;
			if (w == 0)
				skipped++;
			else if (w == -1 ||
			    compose(&br.comp, &rc, 1, &msg) == -1)
				got = -1;
			else if (fsx_maildir_put(r->outbox, msg.data,
			    msg.len)) {
				log_warn("cannot write to the outbox '%s'",
				    r->outbox);
				fail_set(FAIL_TEMP);
				got = -1;
			} else
				written++;
			sendq_item_release(&it);
			if (got == -1)
				break;
		}
		printf("blast %lld: %lld message%s written to %s/new, %lld "
		    "skipped (no longer subscribed); no delivery changed\n",
		    (long long)id, written, written == 1 ? "" : "s", r->outbox,
		    skipped);
	}
	release_blast(&br);
	buf_release(&msg);
	return got == 0 ? 0 : -1;
}

/* What each relay took in the last hour, for [smtp] hourly_cap. */
static int
relay_usage(struct run *r, const struct conf *c)
{
	size_t i, n = smtp_pool_relays(r->pool);

	r->cap = c->smtp_hourly_cap;
	r->used = xcalloc(n, sizeof(*r->used));
	r->down = xcalloc(n, sizeof(*r->down));
	for (i = 0; r->cap > 0 && i < n; i++) {
		r->used[i] = sendq_relay_used(&r->cli->db,
		    smtp_relay_name(r->pool, i), time(NULL) - 3600);
		if (r->used[i] == -1)
			return -1;
	}
	return 0;
}

/* One sender per database: the lock is on the database file itself. */
static int
lock_database(struct run *r)
{
	int fd = fsx_lock_job(r->cli->db.path, FSX_JOB_SEND);

	if (fd == -1) {
		log_warn("cannot lock '%s'", r->cli->db.path);
		fail_set(FAIL_TEMP);
	}
	return fd;
}

static int
send_all(struct run *r, const struct send_opts *a, sqlite3_int64 *ids, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if ((a->outbox != NULL ? dry_run_blast(r, ids[i]) :
		    send_blast(r, ids[i])) == -1)
			return -1;
		if (r->unavailable || stop_requested || r->capped ||
		    r->tripped)
			break;
	}
	if (r->capped)
		log_info("every relay has taken its hourly cap of %ld "
		    "messages: the rest waits for a later run", r->cap);
	if (r->unavailable) {
		log_warnx("the SMTP server is unavailable (%s): everything not "
		    "sent stays queued; run again later", r->why);
		fail_set(FAIL_TEMP);
	} else if (r->tripped) {
		log_warnx("a blast met a run of permanent refusals and paused "
		    "itself (see tocsin blast show): nothing else is sent "
		    "this run");
		fail_set(FAIL_TEMP);
	} else if (stop_requested) {
		log_warnx("stopped: the messages in flight were finished and "
		    "recorded; run again to go on");
		fail_set(FAIL_TEMP);
	}
	return 0;
}

/* The replies to forward to a person, after the blasts (forward.h). */
static void
send_forwards(struct run *r)
{
	int unavailable, n;

	if (smtp_pool_busy(r->pool) > 0)
		return;	/* cannot be: every blast waited for its sessions */
	n = forward_run(&r->cli->db, &r->sender, r->pool, &unavailable);
	if (n > 0)
		log_info("forwarded %d repl%s to a person", n, n == 1 ? "y" :
		    "ies");
	if (unavailable) {
		log_warnx("the SMTP server is unavailable: the replies to "
		    "forward wait for a later run");
		fail_set(FAIL_TEMP);
	}
}

/* The run, for tocsin status: whether it ended well, what it sent. */
static void
record_run(struct run *r, int due)
{
	char summary[160];

	snprintf(summary, sizeof(summary), "%d blast%s: %lld sent, %lld "
	    "deferred, %lld failed", due, due == 1 ? "" : "s", r->sent,
	    r->deferred, r->failed);
	(void)runs_record(&r->cli->db, "send", fail_get() == FAIL_NONE,
	    due > 0 ? summary : NULL, time(NULL));
}

int
send_run(struct cli *cli, const struct send_opts *a)
{
	sqlite3_int64 ids[DUE_MAX];
	struct run r;
	size_t i;
	int n = 0, lock = -1;

	memset(&r, 0, sizeof(r));
	r.cli = cli;
	r.outbox = a->outbox;
	if (sender_init(&r.sender, &cli->conf) == -1)
		return -1;
	if (a->outbox == NULL) {
		lock = lock_database(&r);
		if (lock < 0) {
			sender_release(&r.sender);
			return lock == -2 ? 1 : -1;
		}
		if (sendq_recover(&cli->db) == -1)
			goto done;
		if (a->resend_unknown &&
		    sendq_requeue_unknown(&cli->db, a->only) == -1)
			goto done;
	}
	n = sendq_due(&cli->db, a->only, (a->now ? SENDQ_NOW : 0) |
	    (a->outbox != NULL ? SENDQ_DRAFTS | SENDQ_NOW : 0), ids, DUE_MAX);
	if (n == 0 && a->only > 0)
		(void)sendq_why_not(&cli->db, a->only);
	if (n < 0)
		goto done;
	if (a->outbox == NULL && (n > 0 || (a->only == 0 &&
	    forward_due(&cli->db, time(NULL)) > 0))) {
		r.pool = smtp_pool_new(&cli->conf, r.sender.domain);
		if (r.pool == NULL)
			goto done;
		r.flights = xcalloc(smtp_pool_size(r.pool), sizeof(*r.flights));
		if (relay_usage(&r, &cli->conf) == -1)
			goto done;
		if (r.sender.dkim.nkeys > 0 && (r.signer = signer_start(
		    &r.sender.dkim, signer_threads(), smtp_pool_wakeup,
		    r.pool)) == NULL)
			goto done;
		for (i = 0; i < smtp_pool_size(r.pool); i++)
			buf_init(&r.flights[i].msg, MESSAGE_MAX);
	}
	if (n > 0)
		(void)send_all(&r, a, ids, n);
	if (r.pool != NULL && a->only == 0 && !r.unavailable &&
	    !stop_requested)
		send_forwards(&r);
done:
	/* What it was handed is finished before the flights go. */
	signer_stop(r.signer);
	if (a->outbox == NULL && lock >= 0)
		record_run(&r, n);
	for (i = 0; r.flights != NULL && i < smtp_pool_size(r.pool); i++) {
		sendq_item_release(&r.flights[i].item);
		buf_release(&r.flights[i].msg);
	}
	free(r.flights);
	free(r.used);
	free(r.down);
	smtp_pool_free(r.pool);
	sender_release(&r.sender);
	if (lock >= 0)
		close(lock);
	return fail_get() == FAIL_NONE ? 0 : -1;
}


/* The sample whose data a test merges: `as`, or the first recipient. */
static int
test_sample(struct db *db, sqlite3_int64 blast_id, const char *as,
    struct sendq_item *it)
{
	sqlite3_stmt *st;
	int r;

	memset(it, 0, sizeof(*it));
	st = db_prepare(db, as != NULL ? "SELECT email, first_name, last_name, "
	    "fields FROM subscribers WHERE email = ?2" : "SELECT s.email, "
	    "s.first_name, s.last_name, s.fields FROM deliveries d JOIN "
	    "subscribers s ON s.id = d.subscriber_id WHERE d.blast_id = ?1 "
	    "ORDER BY d.id LIMIT 1");
	sqlite3_bind_int64(st, 1, blast_id);
	db_bind_text(st, 2, as);
	r = db_step_row(db, st, "cannot read a recipient");
	if (r == 1) {
		it->email = xstrdup(db_column_text(st, 0));
		it->first_name = xstrdup(db_column_text(st, 1));
		it->last_name = xstrdup(db_column_text(st, 2));
		it->fields = xstrdup(db_column_text(st, 3));
	}
	sqlite3_finalize(st);
	if (r == 0 && as != NULL)
		log_warnx("no subscriber %s to take the data of", as);
	else if (r == 0)
		log_warnx("blast %lld has no recipient to take the data of "
		    "(--as EMAIL names one)", (long long)blast_id);
	if (r == 0)
		fail_set(FAIL_DATA);
	return r == 1 ? 0 : -1;
}

/* One message to one address over the pool's first session. */
static int
test_one(struct smtp_pool *pool, const char *from, const char *to,
    const struct buf *msg, long long blast_id)
{
	struct smtp_result res;
	int n = 0;

	if (smtp_send(pool, 0, from, to, msg->data, msg->len, 0, NULL) == -1)
		return -1;
	while (n == 0)
		n = smtp_poll(pool, 1000, &res, 1);
	if (n == -1)
		return -1;
	if (res.outcome == SMTP_ACCEPTED) {
		printf("test of blast %lld sent to %s: %s\n", blast_id, to,
		    res.reply);
		return 0;
	}
	log_warnx("test of blast %lld to %s: %s", blast_id, to, res.reply);
	fail_set(res.outcome == SMTP_PERMANENT ? FAIL_DATA : FAIL_TEMP);
	return -1;
}

int
send_test(struct cli *cli, sqlite3_int64 blast_id, char *const *to,
    size_t nto, const char *as)
{
	struct composed_recipient rc;
	struct sendq_item it;
	struct blast_run br;
	struct smtp_pool *pool = NULL;
	struct conf one;
	struct buf msg;
	struct run r;
	size_t i;
	int ok = -1;

	memset(&r, 0, sizeof(r));
	memset(&it, 0, sizeof(it));
	r.cli = cli;
	buf_init(&msg, MESSAGE_MAX);
	if (sender_init(&r.sender, &cli->conf) == -1)
		goto done;
	if (prepare_blast(&r, &br, blast_id) == -1 ||
	    test_sample(&cli->db, blast_id, as, &it) == -1)
		goto release;
	/* Tokens for subscriber 0 of the list: they verify, and name nobody. */
	memset(&rc, 0, sizeof(rc));
	rc.email = it.email;
	rc.first_name = it.first_name;
	rc.last_name = it.last_name;
	rc.fields_json = it.fields;
	br.comp.subject_prefix = "[TEST] ";
	if (compose(&br.comp, &rc, 0, &msg) == -1)
		goto release;
	one = cli->conf;
	one.smtp_sessions = 1;
	pool = smtp_pool_new(&one, r.sender.domain);
	if (pool == NULL)
		goto release;
	for (ok = 0, i = 0; i < nto; i++)
		if (test_one(pool, br.comp.bounce, to[i], &msg,
		    (long long)blast_id) == -1)
			ok = -1;
release:
	release_blast(&br);
done:
	smtp_pool_free(pool);
	sendq_item_release(&it);
	buf_release(&msg);
	sender_release(&r.sender);
	return ok;
}
