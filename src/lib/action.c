/* action: petitions, sign-on letters and signatures (see action.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "addr.h"
#include "log.h"
#include "reltime.h"
#include "utf8.h"
#include "xalloc.h"

#define PUBLIC_NAME_MAX 64

const char *
action_title_problem(const char *title)
{
	size_t len = strlen(title);

	if (len == 0 || len > ACTION_TITLE_MAX)
		return "a title has 1 to 200 bytes";
	for (; *title != '\0'; title++)
		if ((unsigned char)*title < 0x20 || *title == 0x7f)
			return "a title has no control characters "
			    "or line breaks";
	return NULL;
}

int
action_create(struct db *db, const char *slug, const char *title,
    int is_letter)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "INSERT INTO actions (slug, title, kind, "
	    "created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (slug) "
	    "DO NOTHING");
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, title);
	db_bind_text(st, 3, is_letter ? "letter" : "petition");
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	r = db_step_done(db, st, "cannot create the action");
	sqlite3_finalize(st);
	if (r == 0 && sqlite3_changes(db->handle) == 0) {
		log_warnx("an action named '%s' exists already", slug);
		fail_set(FAIL_DATA);
		return -1;
	}
	return r;
}

int
action_set_page(struct db *db, const char *slug, sqlite3_int64 list_id,
    long goal, const char *text)
{
	sqlite3_stmt *st;
	int r;

	st = db_prepare(db, "UPDATE actions SET list_id = coalesce(?2, "
	    "list_id), goal = coalesce(?3, goal), text = coalesce(?4, text) "
	    "WHERE slug = ?1");
	db_bind_text(st, 1, slug);
	db_bind_positive(st, 2, list_id);
	db_bind_positive(st, 3, goal);
	db_bind_text(st, 4, text);
	r = db_step_done(db, st, "cannot set the action's page");
	sqlite3_finalize(st);
	return r;
}

int
action_find(struct db *db, const char *slug, struct action *a)
{
	sqlite3_stmt *st;
	int r;

	memset(a, 0, sizeof(*a));
	st = db_prepare(db, "SELECT id, slug, title, kind FROM actions "
	    "WHERE slug = ?1");
	db_bind_text(st, 1, slug);
	r = db_step_row(db, st, "cannot look up the action");
	if (r == 1) {
		a->id = sqlite3_column_int64(st, 0);
		snprintf(a->slug, sizeof(a->slug), "%s",
		    db_column_text(st, 1));
		a->title = xstrdup(db_column_text(st, 2));
		a->is_letter = strcmp(db_column_text(st, 3), "letter") == 0;
	}
	sqlite3_finalize(st);
	if (r == 0) {
		log_warnx("no action named '%s' (see 'tocsin action ls')",
		    slug);
		fail_set(FAIL_DATA);
	}
	return r;
}

int
action_find_id(struct db *db, sqlite3_int64 id, struct action *a)
{
	sqlite3_stmt *st;
	char slug[ACTION_SLUG_MAX + 1] = "";
	int r;

	st = db_prepare(db, "SELECT slug FROM actions WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	r = db_step_row(db, st, "cannot look up the action");
	if (r == 1)
		snprintf(slug, sizeof(slug), "%s", db_column_text(st, 0));
	sqlite3_finalize(st);
	if (r != 1) {
		if (r == 0)
			BUG("a blast's action is gone");
		return -1;
	}
	return action_find(db, slug, a);
}

void
action_release(struct action *a)
{
	free(a->title);
	memset(a, 0, sizeof(*a));
}

int
action_sign(struct people *p, const struct action *a,
    const struct signature *sig)
{
	struct person who;
	struct buf scratch;
	sqlite3_stmt *st;
	sqlite3_int64 sub_id;
	char name[IMPORT_VALUE_MAX + 1], org[IMPORT_VALUE_MAX + 1];
	char display[IMPORT_VALUE_MAX + 1];
	const char *tidy_name = NULL, *tidy_org = NULL, *tidy_display = NULL;
	int r;

	/* As people paste them: no-break spaces, zero-width characters. */
	if (sig->name != NULL && utf8_tidy(sig->name, name, sizeof(name)) > 0)
		tidy_name = name;
	if (sig->org != NULL && utf8_tidy(sig->org, org, sizeof(org)) > 0)
		tidy_org = org;
	if (sig->display_name != NULL && utf8_tidy(sig->display_name, display,
	    sizeof(display)) > 0)
		tidy_display = display;
	memset(&who, 0, sizeof(who));
	who.email = sig->email;
	buf_init(&scratch, IMPORT_VALUE_MAX + 2);
	if (tidy_name != NULL)
		import_split_name(tidy_name, &scratch, &who.first_name,
		    &who.last_name);
	r = people_find_or_create(p, &who, sig->signed_at, &sub_id);
	buf_release(&scratch);
	if (r == -1)
		return -1;
	st = db_prepare(p->db, "INSERT INTO signatures (action_id, "
	    "subscriber_id, name, org, comment, source, signed_at, "
	    "display_name) VALUES (?1, ?2, coalesce(?3, ''), coalesce(?4, ''), "
	    "coalesce(?5, ''), ?6, ?7, coalesce(?8, '')) "
	    "ON CONFLICT (action_id, subscriber_id) DO NOTHING");
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, sub_id);
	db_bind_text(st, 3, tidy_name);
	db_bind_text(st, 4, tidy_org);
	db_bind_text(st, 5, sig->comment);
	db_bind_text(st, 6, sig->source);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)sig->signed_at);
	db_bind_text(st, 8, tidy_display);
	r = db_step_done(p->db, st, "cannot record the signature");
	sqlite3_finalize(st);
	if (r == -1)
		return -1;
	return sqlite3_changes(p->db->handle) > 0;
}

#define SIGNED_AT_SKEW_SEC	300

struct signature_import {
	struct people			*p;
	const struct action		*a;
	const struct import_header	*h;
	const char			*name;
	sqlite3_stmt			*forgotten;	/* ?1 an address */
};

/* 1 if person forget left this address's hash, 0 if not, -1. */
static int
is_forgotten(struct db *db, sqlite3_stmt *st, const char *email)
{
	int r;

	db_bind_text(st, 1, email);
	r = db_step_row(db, st, "cannot read the suppression list");
	sqlite3_reset(st);
	return r;
}

/* One data row of a signature file, counted: 0, or -1 on error. */
static int
import_signature_row(void *ctx, const struct csvin_row *row,
    struct import_counts *c)
{
	const struct signature_import *si = ctx;
	struct people *p = si->p;
	const struct action *a = si->a;
	const struct import_header *h = si->h;
	const char *name = si->name;
	char email[ADDR_MAX_LEN + 1];
	struct signature sig;
	const char *when;
	int r;

	if (import_row_check(h, row, name, email) == -1) {
		c->rejected++;
		return 0;
	}
	memset(&sig, 0, sizeof(sig));
	sig.email = email;
	sig.name = import_row_value(h, row, COL_NAME);
	sig.display_name = import_row_value(h, row, COL_DISPLAY_NAME);
	sig.org = import_row_value(h, row, COL_ORG);
	sig.comment = import_row_value(h, row, COL_COMMENT);
	sig.source = name;
	sig.signed_at = time(NULL);
	when = import_row_value(h, row, COL_SIGNED_AT);
	if (when != NULL && reltime_parse(when, &sig.signed_at) == -1) {
		log_warnx("%s:%zu: rejected: signed_at '%.40s' is not "
		    "'YYYY-MM-DD HH:MM'", name, row->line, when);
		c->rejected++;
		return 0;
	}
	/* A time ahead of ours (a clock or zone wrong in the old tool)
	 * would read "signed just now" in every alert until it passed; a
	 * few minutes of skew are allowed. */
	if (sig.signed_at > time(NULL) + SIGNED_AT_SKEW_SEC) {
		log_warnx("%s:%zu: rejected: signed_at '%.40s' is in "
		    "the future", name, row->line, when);
		c->rejected++;
		return 0;
	}
	r = is_forgotten(p->db, si->forgotten, email);
	if (r == 1) {
		log_warnx("%s:%zu: rejected: %s asked to be forgotten (tocsin "
		    "person forget); 'tocsin suppress rm' first if they "
		    "came back", name, row->line, email);
		c->rejected++;
		return 0;
	}
	r = r == -1 ? -1 : action_sign(p, a, &sig);
	if (r == 1)
		c->imported++;
	else if (r == 0)
		c->unchanged++;
	return r == -1 ? -1 : 0;
}

int
action_import(struct db *db, const struct action *a, FILE *fp,
    const char *name, struct import_counts *counts)
{
	struct import_header h;
	struct people p;
	struct csvin in;
	int r = -1;

	memset(counts, 0, sizeof(*counts));
	csvin_init(&in, fp);
	if (import_header_read(&h, &in, name, IMPORT_SIGNATURES) == 0) {
		struct signature_import si = { &p, a, &h, name, NULL };

		people_init(&p, db);
		si.forgotten = db_prepare(db, "SELECT 1 FROM suppressions "
		    "WHERE email = " PEOPLE_FORGOTTEN_SQL("?1"));
		r = import_each_row(db, &in, name, import_file_size(fp), counts,
		    import_signature_row, &si);
		sqlite3_finalize(si.forgotten);
		people_release(&p);
	}
	import_header_release(&h);
	csvin_release(&in);
	return r;
}

int
action_list(struct db *db, enum out_format format)
{
	static const char *const headers[] = { "slug", "kind", "signatures",
	    "title", "created" };
	char created[32], count[24];
	const char *values[5];
	sqlite3_stmt *st;
	struct out o;
	int r;

	st = db_prepare(db, "SELECT a.slug, a.kind, (SELECT count(*) FROM "
	    "signatures s WHERE s.action_id = a.id), a.title, a.created_at "
	    "FROM actions a ORDER BY a.created_at, a.id");
	out_begin(&o, format, 5, headers);
	for (;;) {
		r = db_step_row(db, st, "cannot list actions");
		if (r != 1)
			break;
		snprintf(count, sizeof(count), "%lld",
		    (long long)sqlite3_column_int64(st, 2));
		reltime_local(created, sizeof(created),
		    (time_t)sqlite3_column_int64(st, 4));
		values[0] = db_column_text(st, 0);
		values[1] = db_column_text(st, 1);
		values[2] = count;
		values[3] = db_column_text(st, 3);
		values[4] = created;
		out_row(&o, values);
	}
	sqlite3_finalize(st);
	if (out_end(&o) == -1)
		return -1;
	return r;
}

void
action_public_name(const char *display, const char *name,
    const char *first_name, char *out, size_t outsize)
{
	const char *src = display;
	size_t i, n = 0;
	int whole = 1;

	/* The name they asked to be shown by, whole; or the first word of
	 * the name they signed with; or of the list's first name. */
	if (src == NULL || *src == '\0') {
		src = name != NULL && *name != '\0' ? name : first_name;
		whole = 0;
	}
	if (src == NULL)
		src = "";
	while (*src == ' ')
		src++;
	for (i = 0; src[i] != '\0' && (whole || src[i] != ' ') &&
	    n + 1 < outsize && n < PUBLIC_NAME_MAX; i++)
		out[n++] = (unsigned char)src[i] < 0x20 ? '?' : src[i];
	/* Cut at the limit inside a character: drop all of it. */
	if (((unsigned char)src[i] & 0xc0) == 0x80) {
		while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0)
			n--;
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, outsize, "Someone");
}
