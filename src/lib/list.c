/*
 * list: making, changing, showing and removing lists: list create,
 * set, show and rm (see list.h; list_members.c shows who is on one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "buf.h"
#include "footer.h"
#include "log.h"
#include "list.h"
#include "slug.h"
#include "utf8.h"

#define TITLE_MAX	200
#define ADDRESS_MAX	500

/* Checks "Name <addr>" or "addr" and writes it back normalised. */
static const char *
parse_from(const char *from, struct buf *out)
{
	char name[ADDR_NAME_MAX + 1], addr[ADDR_MAX_LEN + 1];
	const char *why;

	if (addr_parse_mailbox(from, name, addr, &why) == -1)
		return why;
	if (name[0] == '\0')
		return buf_puts(out, addr) == 0 ? NULL : "too long";
	return buf_printf(out, "%s <%s>", name, addr) == 0 ? NULL : "too long";
}

/*
 * A title or a postal address as stored: valid UTF-8, tidied line by
 * line (utf8_tidy), no control but the line breaks of an address.
 */
static const char *
tidy_text(const char *in, size_t max, int lines, struct buf *out)
{
	char line[ADDRESS_MAX + 1], tidy[ADDRESS_MAX + 1];
	const char *p = in, *end;
	size_t n, i;

	if (strlen(in) > max)
		return max == TITLE_MAX ? "longer than 200 bytes" :
		    "longer than 500 bytes";
	if (!utf8_is_valid(in, strlen(in)))
		return "not UTF-8";
	for (; *p != '\0'; p = *end == '\n' ? end + 1 : end) {
		end = p + strcspn(p, "\n");
		if (*end == '\n' && !lines)
			return "a line break";
		n = (size_t)(end - p);
		memcpy(line, p, n);
		line[n] = '\0';
		for (i = 0; i < n; i++)
			if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
				return "a control character";
		n = utf8_tidy(line, tidy, sizeof(tidy));
		if (n > 0 && ((out->len > 0 && buf_putc(out, '\n') == -1) ||
		    buf_append(out, tidy, n) == -1))
			return "too long";
	}
	return NULL;
}

/*
 * The title a list gets when none is given: the From's name when it
 * makes a good one, or NAME (a slug: shorter than a title, so out never
 * has failed).
 */
static void
default_title(const char *from, const char *name, struct buf *out)
{
	char dname[ADDR_NAME_MAX + 1], addr[ADDR_MAX_LEN + 1];
	const char *why;

	if (addr_parse_mailbox(from, dname, addr, &why) == 0 &&
	    dname[0] != '\0' && tidy_text(dname, TITLE_MAX, 0, out) == NULL &&
	    out->len > 0)
		return;
	buf_reset(out);
	if (buf_puts(out, name) == -1)
		BUG("a list name longer than a title");
}

struct checked {
	struct buf	from;
	struct buf	title;
	struct buf	address;
	char		reply[ADDR_MAX_LEN + 1];
};

static void
checked_init(struct checked *c)
{
	buf_init(&c->from, 512);
	buf_init(&c->title, TITLE_MAX);
	buf_init(&c->address, ADDRESS_MAX);
	c->reply[0] = '\0';
}

static void
checked_release(struct checked *c)
{
	buf_release(&c->from);
	buf_release(&c->title);
	buf_release(&c->address);
}

/* Checks each setting given. 0, or -1 (logged, FAIL_DATA). */
static int
check(const struct list_settings *s, struct checked *c)
{
	char footer_why[300];
	const char *why;

	if (s->from != NULL && (why = parse_from(s->from, &c->from)) != NULL) {
		log_warnx("bad --from '%.120s': %s", s->from, why);
		goto bad;
	}
	if (s->reply_to != NULL && s->reply_to[0] != '\0' &&
	    addr_normalise(s->reply_to, strlen(s->reply_to), c->reply,
	    &why) == -1) {
		log_warnx("bad --reply-to '%.120s': %s", s->reply_to, why);
		goto bad;
	}
	if (s->title != NULL && ((why = tidy_text(s->title, TITLE_MAX, 0,
	    &c->title)) != NULL || (why = c->title.len == 0 ? "empty" :
	    NULL) != NULL)) {
		log_warnx("bad --title '%.120s': %s", s->title, why);
		goto bad;
	}
	if (s->address != NULL && (why = tidy_text(s->address, ADDRESS_MAX, 1,
	    &c->address)) != NULL) {
		log_warnx("bad --address: %s", why);
		goto bad;
	}
	if (s->footer != NULL && (why = footer_problem(s->footer, footer_why,
	    sizeof(footer_why))) != NULL) {
		log_warnx("bad --footer: %s", why);
		goto bad;
	}
	return 0;
bad:
	fail_set(FAIL_DATA);
	return -1;
}

int
list_create(struct db *db, const char *name,
    const struct list_settings *s)
{
	struct checked c;
	const char *why;
	sqlite3_stmt *st;
	int r = -1;

	checked_init(&c);
	why = slug_problem(name);
	if (why != NULL) {
		log_warnx("bad list name '%.64s': %s", name, why);
		fail_set(FAIL_DATA);
		goto done;
	}
	if (s->from == NULL)
		BUG("a list made without a From");
	if (check(s, &c) == -1)
		goto done;
	if (s->title == NULL)
		default_title(c.from.data, name, &c.title);
	st = db_prepare(db, "INSERT INTO lists (name, from_addr, reply_to, "
	    "created_at, title, postal_address, footer) VALUES (?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7) ON CONFLICT (name) DO NOTHING");
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, c.from.data);
	db_bind_text(st, 3, c.reply[0] != '\0' ? c.reply : NULL);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	db_bind_text(st, 5, buf_cstr(&c.title));
	db_bind_text(st, 6, buf_cstr(&c.address));
	db_bind_text(st, 7, s->footer);
	r = db_step_done(db, st, "cannot create the list");
	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(db->handle) == 0) {
		log_warnx("a list named '%s' exists already", name);
		fail_set(FAIL_DATA);
		r = -1;
	}
done:
	checked_release(&c);
	return r;
}

int
list_set(struct db *db, const char *name,
    const struct list_settings *s)
{
	struct checked c;
	sqlite3_stmt *st;
	int r = -1;

	checked_init(&c);
	if (check(s, &c) == -1)
		goto done;
	/* NULL keeps a column; ?7 says the footer goes back to default. */
	st = db_prepare(db, "UPDATE lists SET "
	    "from_addr = coalesce(?2, from_addr), "
	    "reply_to = CASE WHEN ?3 IS NULL THEN reply_to "
	    "WHEN ?3 = '' THEN NULL ELSE ?3 END, "
	    "title = coalesce(?4, title), "
	    "postal_address = coalesce(?5, postal_address), "
	    "footer = CASE WHEN ?7 THEN NULL ELSE coalesce(?6, footer) END "
	    "WHERE name = ?1 AND removed_at IS NULL");
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, s->from != NULL ? c.from.data : NULL);
	db_bind_text(st, 3, s->reply_to == NULL ? NULL : c.reply);
	db_bind_text(st, 4, s->title != NULL ? c.title.data : NULL);
	db_bind_text(st, 5, s->address != NULL ? buf_cstr(&c.address) : NULL);
	db_bind_text(st, 6, s->footer);
	sqlite3_bind_int(st, 7, s->default_footer);
	r = db_step_done(db, st, "cannot change the list");
	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(db->handle) == 0) {
		log_warnx("no list named '%s' (see 'tocsin list ls')", name);
		fail_set(FAIL_DATA);
		r = -1;
	}
done:
	checked_release(&c);
	return r;
}

/* What keeps a list from going: a reason, or NULL. -1 on error. */
static int
still_needed(struct db *db, sqlite3_int64 id, char *why, size_t whysize)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "SELECT "
	    "(SELECT min(b.id) FROM blasts b WHERE b.list_id = ?1 AND "
	    "b.state IN ('scheduled', 'paused')), "
	    "(SELECT count(*) FROM forwards f WHERE f.list_id = ?1 AND "
	    "f.state IN ('queued', 'sending', 'deferred')), "
	    "(SELECT min(slug) FROM actions WHERE list_id = ?1)");
	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(db, st, "cannot read the list's blasts");
	why[0] = '\0';
	if (r == 1 && sqlite3_column_type(st, 0) != SQLITE_NULL)
		snprintf(why, whysize, "blast %lld may still send (cancel it "
		    "first: tocsin blast cancel %lld)",
		    (long long)sqlite3_column_int64(st, 0),
		    (long long)sqlite3_column_int64(st, 0));
	else if (r == 1 && sqlite3_column_int64(st, 1) > 0)
		snprintf(why, whysize, "%lld replies wait to be forwarded to "
		    "it (tocsin send sends them)",
		    (long long)sqlite3_column_int64(st, 1));
	else if (r == 1 && sqlite3_column_type(st, 2) != SQLITE_NULL)
		snprintf(why, whysize, "action '%s' gathers its signers "
		    "into it", db_column_text(st, 2));
	sqlite3_finalize(st);
	return r == 1 ? 0 : -1;
}

int
list_remove(struct db *db, const char *name)
{
	struct list l;
	char why[200];
	sqlite3_stmt *st;
	int r;

	if (db_begin(db) == -1)
		return -1;
	r = list_get(db, name, &l);
	if (r != 1)
		goto fail;
	if (still_needed(db, l.id, why, sizeof(why)) == -1)
		goto fail;
	if (why[0] != '\0') {
		log_warnx("list '%s' not removed: %s", name, why);
		fail_set(FAIL_DATA);
		goto fail;
	}
	/* '#' is in no list name: the name is free, the history stays. */
	st = db_prepare(db, "UPDATE lists SET name = name || '#' || id, "
	    "removed_at = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, l.id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	r = db_step_done(db, st, "cannot remove the list");
	sqlite3_finalize(st);
	if (r == -1 || db_commit(db) == -1)
		goto fail;
	list_release(&l);
	return 0;
fail:
	db_rollback(db);
	list_release(&l);
	return -1;
}

int
list_show(struct db *db, const char *name)
{
	struct list l;
	const char *p;
	size_t n;

	if (list_get(db, name, &l) != 1)
		return -1;
	printf("name: %s\ntitle: %s\nfrom: %s\n", l.name, l.title, l.from);
	printf("address:%s", l.address[0] == '\0' ? " (none: blasts are "
	    "refused until it is set)\n" : "\n");
	for (p = l.address; p != NULL && *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		printf("  %.*s\n", (int)n, p);
	}
	printf("footer: %s\n", l.footer == NULL ? "the default" : "its own");
	fputs(l.footer != NULL ? l.footer : footer_default, stdout);
	list_release(&l);
	if (fflush(stdout) == EOF) {
		log_warn("cannot write");
		fail_set(FAIL_TEMP);
		return -1;
	}
	return 0;
}
