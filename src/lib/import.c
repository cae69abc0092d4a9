/* import: supporter CSV files (see import.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "addr.h"
#include "import.h"
#include "log.h"
#include "people.h"
#include "progress.h"
#include "xalloc.h"

enum column_for { FOR_ALL, FOR_SIGNATURES, FOR_SUBSCRIBERS };

struct column_name {
	const char		*name;
	enum import_column	 col;
	enum column_for		 only_for;
};

/* Header names as spreadsheets and other tools export them. */
static const struct column_name column_names[] = {
	{ "email", COL_EMAIL, FOR_ALL },
	{ "e-mail", COL_EMAIL, FOR_ALL },
	{ "email address", COL_EMAIL, FOR_ALL },
	{ "email_address", COL_EMAIL, FOR_ALL },
	{ "first_name", COL_FIRST_NAME, FOR_ALL },
	{ "first name", COL_FIRST_NAME, FOR_ALL },
	{ "firstname", COL_FIRST_NAME, FOR_ALL },
	{ "given name", COL_FIRST_NAME, FOR_ALL },
	{ "last_name", COL_LAST_NAME, FOR_ALL },
	{ "last name", COL_LAST_NAME, FOR_ALL },
	{ "lastname", COL_LAST_NAME, FOR_ALL },
	{ "surname", COL_LAST_NAME, FOR_ALL },
	{ "family name", COL_LAST_NAME, FOR_ALL },
	{ "name", COL_NAME, FOR_ALL },
	{ "full name", COL_NAME, FOR_ALL },
	{ "full_name", COL_NAME, FOR_ALL },
	{ "status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "member status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "member_status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "subscription status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "subscription_status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "email status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "email_status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "delivery status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "delivery_status", COL_STATUS, FOR_SUBSCRIBERS },
	{ "display_name", COL_DISPLAY_NAME, FOR_SIGNATURES },
	{ "display name", COL_DISPLAY_NAME, FOR_SIGNATURES },
	{ "public name", COL_DISPLAY_NAME, FOR_SIGNATURES },
	{ "public_name", COL_DISPLAY_NAME, FOR_SIGNATURES },
	{ "org", COL_ORG, FOR_SIGNATURES },
	{ "organisation", COL_ORG, FOR_SIGNATURES },
	{ "organization", COL_ORG, FOR_SIGNATURES },
	{ "comment", COL_COMMENT, FOR_SIGNATURES },
	{ "signed_at", COL_SIGNED_AT, FOR_SIGNATURES },
};

#define NCOLUMN_NAMES (sizeof(column_names) / sizeof(column_names[0]))

static enum import_column
column_of(const char *name, size_t len, enum import_kind kind)
{
	size_t i;

	for (i = 0; i < NCOLUMN_NAMES; i++) {
		if ((column_names[i].only_for == FOR_SIGNATURES &&
		    kind != IMPORT_SIGNATURES) || (column_names[i].only_for ==
		    FOR_SUBSCRIBERS && kind != IMPORT_SUBSCRIBERS))
			continue;
		if (strlen(column_names[i].name) == len &&
		    strncasecmp(column_names[i].name, name, len) == 0)
			return column_names[i].col;
	}
	return kind == IMPORT_SUBSCRIBERS ? COL_CUSTOM : COL_IGNORED;
}

static const char *
trimmed(const char *s, size_t len, size_t *outlen)
{
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*outlen = len;
	return s;
}

/*
 * Statuses in the words of the tools lists come from: Mailchimp
 * (subscribed, unsubscribed, cleaned, pending, transactional), Mailman
 * (enabled, by_user, by_bounces, by_moderator, by_admin), listmonk
 * (enabled, disabled, blocklisted; confirmed, unconfirmed), Action
 * Network (subscribed, unsubscribed, bouncing, spam complaint). Matched
 * whole, without case, '_' and '-' read as spaces.
 */
static const char *const status_words[][2] = {
	{ "subscribed", "subscribed" }, { "subscriber", "subscribed" },
	{ "active", "subscribed" }, { "enabled", "subscribed" },
	{ "confirmed", "subscribed" }, { "opted in", "subscribed" },
	{ "opt in", "subscribed" }, { "optin", "subscribed" },
	{ "pending", "pending" }, { "unconfirmed", "pending" },
	{ "unsubscribed", "unsubscribed" }, { "unsubscribe", "unsubscribed" },
	{ "opted out", "unsubscribed" }, { "opt out", "unsubscribed" },
	{ "optout", "unsubscribed" }, { "disabled", "unsubscribed" },
	{ "inactive", "unsubscribed" }, { "removed", "unsubscribed" },
	{ "by user", "unsubscribed" }, { "by moderator", "unsubscribed" },
	{ "by admin", "unsubscribed" }, { "transactional", "unsubscribed" },
	{ "bounced", "bounced" }, { "bouncing", "bounced" },
	{ "bounce", "bounced" }, { "cleaned", "bounced" },
	{ "hard bounce", "bounced" }, { "by bounces", "bounced" },
	{ "complained", "complained" }, { "complaint", "complained" },
	{ "spam complaint", "complained" }, { "spam", "complained" },
	{ "abuse", "complained" }, { "blocklisted", "complained" },
	{ "blacklisted", "complained" },
};

/*
 * A status as another tool writes it ("cleaned", "Opted out",
 * "by_bounces"), as tocsin's: subscribed, pending, unsubscribed,
 * bounced or complained; NULL if it is none we know.
 */
static const char *
import_status(const char *value, size_t len)
{
	char word[24];
	size_t i, n = 0;
	const char *s = trimmed(value, len, &len);

	if (len >= sizeof(word))
		return NULL;
	for (i = 0; i < len; i++)
		word[n++] = s[i] == '_' || s[i] == '-' ? ' ' : s[i];
	word[n] = '\0';
	for (i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
		if (strcasecmp(status_words[i][0], word) == 0)
			return status_words[i][1];
	return NULL;
}

static int
header_fields(struct import_header *h, const struct csvin_row *row,
    const char *name, enum import_kind kind)
{
	char esc[80];
	size_t i, j, len;
	const char *s;

	h->ncols = row->nfields;
	for (i = 0; i < row->nfields; i++) {
		s = trimmed(row->fields[i], row->lens[i], &len);
		h->names[i] = xstrndup(s, len);
		h->cols[i] = len == 0 ? COL_IGNORED : column_of(s, len, kind);
		if (h->cols[i] == COL_FIRST_NAME || h->cols[i] == COL_LAST_NAME)
			h->has_first_or_last = 1;
		if (kind == IMPORT_SUBSCRIBERS && len == 10 &&
		    strncasecmp(s, "unsub_time", len) == 0)
			h->file_status = "unsubscribed";
		if (kind == IMPORT_SUBSCRIBERS && len == 10 &&
		    strncasecmp(s, "clean_time", len) == 0)
			h->file_status = "bounced";
		if (len == 0 || h->cols[i] == COL_IGNORED)
			continue;
		for (j = 0; j < i; j++) {
			if (strcasecmp(h->names[j], h->names[i]) != 0)
				continue;
			log_warnx("%s:%zu: column '%s' appears twice in "
			    "the header", name, row->line, log_escape(esc,
			    sizeof(esc), s, len));
			return -1;
		}
	}
	return 0;
}

/* Says how far a failed import got, and that running it again is safe. */
static void
import_report_stop(const char *name, const struct import_counts *c)
{
	log_warnx("%s: import stopped after %llu rows; the first %llu are "
	    "stored, and importing the file again is safe", name, c->rows,
	    c->committed);
}

/* Reports a read error of csvin on `name`. */
static void
import_read_failed(const char *name)
{
	log_warn("cannot read '%s'", name);
	fail_set(FAIL_TEMP);
}

static int
header_has_email(const struct import_header *h)
{
	size_t i;

	for (i = 0; i < h->ncols; i++)
		if (h->cols[i] == COL_EMAIL)
			return 1;
	return 0;
}

int
import_header_read(struct import_header *h, struct csvin *in,
    const char *name, enum import_kind kind)
{
	struct csvin_row row;
	enum csvin_result r;

	memset(h, 0, sizeof(*h));
	r = csvin_next(in, &row);
	if (r == CSVIN_ERROR) {
		import_read_failed(name);
		return -1;
	}
	if (r == CSVIN_EOF) {
		log_warnx("%s: empty: a CSV file starts with a header row "
		    "naming its columns (email, first_name, ...)", name);
		goto fail;
	}
	if (r == CSVIN_BAD) {
		log_warnx("%s:%zu: not a CSV header row: %s", name, row.line,
		    row.why);
		goto fail;
	}
	if (header_fields(h, &row, name, kind) == -1)
		goto fail;
	if (!header_has_email(h)) {
		log_warnx("%s:%zu: no 'email' column in the header row; is "
		    "this a CSV file of supporters?", name, row.line);
		goto fail;
	}
	return 0;
fail:
	fail_set(FAIL_DATA);
	return -1;
}

void
import_header_release(struct import_header *h)
{
	size_t i;

	for (i = 0; i < h->ncols; i++)
		free(h->names[i]);
	memset(h, 0, sizeof(*h));
}

static void
reject(const char *name, size_t line, const char *why, const char *value,
    size_t len)
{
	char esc[80];

	if (value == NULL)
		log_warnx("%s:%zu: rejected: %s", name, line, why);
	else
		log_warnx("%s:%zu: rejected: '%s': %s", name, line,
		    log_escape(esc, sizeof(esc), value, len), why);
}

int
import_row_check(const struct import_header *h, const struct csvin_row *row,
    const char *name, char *email)
{
	const char *why;
	char msg[96];
	size_t i;

	if (row->nfields != h->ncols) {
		snprintf(msg, sizeof(msg), "%zu fields, the header has %zu",
		    row->nfields, h->ncols);
		reject(name, row->line, msg, NULL, 0);
		return -1;
	}
	for (i = 0; i < row->nfields; i++) {
		if (h->cols[i] == COL_EMAIL) {
			if (addr_normalise(row->fields[i], row->lens[i], email,
			    &why) == 0)
				continue;
			snprintf(msg, sizeof(msg), "not an email address: %s",
			    why);
			reject(name, row->line, msg, row->fields[i],
			    row->lens[i]);
			return -1;
		}
		if (h->cols[i] != COL_IGNORED &&
		    row->lens[i] > IMPORT_VALUE_MAX) {
			snprintf(msg, sizeof(msg), "column '%s' is longer "
			    "than %d bytes", h->names[i], IMPORT_VALUE_MAX);
			reject(name, row->line, msg, NULL, 0);
			return -1;
		}
	}
	return 0;
}

const char *
import_row_value(const struct import_header *h, const struct csvin_row *row,
    enum import_column col)
{
	size_t i;

	for (i = 0; i < h->ncols && i < row->nfields; i++)
		if (h->cols[i] == col && row->lens[i] > 0)
			return row->fields[i];
	return NULL;
}

void
import_split_name(const char *name, struct buf *scratch, const char **first,
    const char **last)
{
	size_t len;
	const char *s = trimmed(name, strlen(name), &len);
	const char *space = memchr(s, ' ', len);
	size_t first_len = space != NULL ? (size_t)(space - s) : len;
	size_t rest;

	buf_reset(scratch);
	*first = *last = NULL;
	if (len == 0 || buf_append(scratch, s, first_len) == -1 ||
	    buf_putc(scratch, '\0') == -1)
		return;
	*first = scratch->data;
	if (space == NULL)
		return;
	s = trimmed(space, len - first_len, &rest);
	if (rest > 0 && buf_append(scratch, s, rest) == 0)
		*last = scratch->data + first_len + 1;
	/* The buffer may have moved: point into it afresh. */
	*first = scratch->data;
}

/*
 * The names of a row: first and last as given, or split from a full
 * name. Empty values are NULL ("keep what is stored"). The pointers are
 * into `row` or `scratch`.
 */
static void
import_row_names(const struct import_header *h, const struct csvin_row *row,
    struct buf *scratch, const char **first, const char **last)
{
	const char *full;

	*first = import_row_value(h, row, COL_FIRST_NAME);
	*last = import_row_value(h, row, COL_LAST_NAME);
	if (h->has_first_or_last)
		return;
	full = import_row_value(h, row, COL_NAME);
	if (full != NULL)
		import_split_name(full, scratch, first, last);
}

static int
json_string(struct buf *b, const char *s, size_t len)
{
	size_t i;
	int r = buf_putc(b, '"');

	for (i = 0; i < len && r == 0; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			r = buf_putc(b, '\\') == 0 ? buf_putc(b, (char)c) : -1;
		else if (c < 0x20)
			r = buf_printf(b, "\\u%04x", c);
		else
			r = buf_putc(b, (char)c);
	}
	return r == 0 ? buf_putc(b, '"') : -1;
}

/* The custom fields of a row as a JSON object, or NULL if it has none. */
static const char *
row_fields_json(const struct import_header *h, const struct csvin_row *row,
    struct buf *b)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < h->ncols; i++) {
		if (h->cols[i] != COL_CUSTOM || row->lens[i] == 0)
			continue;
		if (buf_putc(b, b->len == 0 ? '{' : ',') == -1 ||
		    json_string(b, h->names[i], strlen(h->names[i])) == -1 ||
		    buf_putc(b, ':') == -1 ||
		    json_string(b, row->fields[i], row->lens[i]) == -1)
			BUG("custom fields outgrew their buffer");
	}
	if (b->len == 0)
		return NULL;
	if (buf_putc(b, '}') == -1)
		BUG("custom fields outgrew their buffer");
	return b->data;
}

static void
count_outcome(struct import_counts *c, int outcome)
{
	switch (outcome) {
	case PEOPLE_IMPORTED:
		c->imported++;
		break;
	case PEOPLE_UPDATED:
		c->updated++;
		break;
	case PEOPLE_UNCHANGED:
		c->unchanged++;
		break;
	case PEOPLE_LEFT_ALONE:
		c->left_alone++;
		break;
	case PEOPLE_RESUBSCRIBED:
		c->resubscribed++;
		break;
	case PEOPLE_LEFT:
		c->left++;
		break;
	case PEOPLE_PENDING:
		c->pending++;
		break;
	default:
		BUG("unknown subscribe outcome");
	}
}

/* The most an estimate sizes the table to at once (48 MB, about three
 * million rows): past it, it doubles as the rows come. */
#define SEEN_SLOTS_MAX	((size_t)1 << 22)

/*
 * The rows seen, in two arrays of one open-addressing table: each
 * address's FNV-1a hash (lower-cased, as one person; 0 a free slot)
 * and its values'. 12 bytes a slot, so a file of a million rows costs
 * 24 MB (sized once from the file: seen_next_slots). Two addresses whose hashes
 * collide would be taken for one (a chance of about 2^-64 a pair), two
 * rows' values for the same (2^-32).
 */
struct seen {
	unsigned long long	*email;
	unsigned int		*row;
	size_t			 n, slots;
};

struct import_run {
	struct db		*db;
	struct people		 people;
	struct import_header	 header;
	struct buf		 json;
	struct buf		 names;
	sqlite3_int64		 list_id;
	const char		*name;
	const char		*reason;
	time_t			 now;
	/* The rows seen in this file, by address, to catch a second row
	 * for the same person that says something else. */
	struct seen		 seen;
	const struct csvin	*in;		/* how far it has read */
	unsigned long long	 size;		/* of the file; 0: unknown */
};

/*
 * The row's status: its status column's, else the file's (see
 * import_header), else "subscribed"; an empty or unknown one rejects
 * the row, since guessing
 * could mail someone who left.
 */
static int
row_status(struct import_run *run, const struct csvin_row *row,
    const char **status)
{
	size_t i;

	*status = run->header.file_status != NULL ? run->header.file_status :
	    "subscribed";
	for (i = 0; i < run->header.ncols; i++) {
		if (run->header.cols[i] != COL_STATUS)
			continue;
		*status = import_status(row->fields[i], row->lens[i]);
		if (*status != NULL)
			return 0;
		reject(run->name, row->line, row->lens[i] == 0 ? "no status "
		    "(subscribed, unsubscribed, cleaned, pending ...)" :
		    "not a status tocsin knows (subscribed, unsubscribed, "
		    "cleaned, pending ...)", row->lens[i] == 0 ? NULL :
		    row->fields[i], row->lens[i]);
		return -1;
	}
	return 0;
}

#define FNV1A_START	14695981039346656037ULL

/* FNV-1a, continued from h over s (folded to lower case if fold). */
static unsigned long long
fnv1a(unsigned long long h, const char *s, int fold)
{
	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (unsigned char)(fold ? tolower((unsigned char)*s) :
		    *s)) * 1099511628211ULL;
	return h;
}

/* The slot of an address: its own, or the free one it would take. */
static size_t
seen_slot(const unsigned long long *email, size_t slots,
    unsigned long long h)
{
	size_t i = (size_t)h & (slots - 1);

	while (email[i] != 0 && email[i] != h)
		i = (i + 1) & (slots - 1);
	return i;
}

/*
 * The table's next size. Past the first few thousand rows, the rows
 * seen so far scaled by the share of the file read size it at once for
 * the whole file, instead of doubling step by step: each step holds the
 * old table and the new one side by side, at a million rows 36 MB where
 * the table itself is 24. A file whose later rows are shorter than its
 * first still doubles when it must.
 */
static size_t
seen_next_slots(const struct seen *seen, unsigned long long read,
    unsigned long long size)
{
	size_t slots = seen->slots == 0 ? 4096 : seen->slots * 2;
	double rows;

	if (seen->slots == 0 || read == 0 || size <= read)
		return slots;
	rows = (double)seen->n * ((double)size / (double)read);
	while ((rows + 1) * 10 > (double)slots * 7 && slots < SEEN_SLOTS_MAX)
		slots *= 2;
	return slots;
}

static void
seen_grow(struct seen *seen, size_t slots)
{
	size_t i, k;
	unsigned long long *email = xcalloc(slots, sizeof(*email));
	unsigned int *row = xcalloc(slots, sizeof(*row));

	for (i = 0; i < seen->slots; i++) {
		if (seen->email[i] == 0)
			continue;
		k = seen_slot(email, slots, seen->email[i]);
		email[k] = seen->email[i];
		row[k] = seen->row[i];
	}
	free(seen->email);
	free(seen->row);
	seen->email = email;
	seen->row = row;
	seen->slots = slots;
}

/*
 * A row for an address an earlier row of the file had: the same values
 * are a harmless repeat (0), other ones are rejected (1), since which
 * of the two is right is the operator's to say: the first stands.
 */
static int
conflicting_row(struct import_run *run, const struct csvin_row *row,
    const struct person *who, const char *status)
{
	struct seen *seen = &run->seen;
	unsigned long long email = fnv1a(FNV1A_START, who->email, 1), h;
	unsigned int values;
	size_t k;

	/* The values, each ended by a unit separator, in one hash. */
	h = fnv1a(FNV1A_START, status, 0);
	h = fnv1a(h, "\x1f", 0);
	h = fnv1a(h, who->first_name, 0);
	h = fnv1a(h, "\x1f", 0);
	h = fnv1a(h, who->last_name, 0);
	h = fnv1a(h, "\x1f", 0);
	values = (unsigned int)fnv1a(h, who->fields_json, 0);
	if (email == 0)
		email = 1;	/* 0 is a free slot */
	if ((seen->n + 1) * 10 > seen->slots * 7)
		seen_grow(seen, seen_next_slots(seen, run->in->bytes,
		    run->size));
	k = seen_slot(seen->email, seen->slots, email);
	if (seen->email[k] == 0) {
		seen->email[k] = email;
		seen->row[k] = values;
		seen->n++;
		return 0;
	}
	if (seen->row[k] == values)
		return 0;
	reject(run->name, row->line, "an earlier row of the file has this "
	    "address with other values; the first stands", who->email,
	    strlen(who->email));
	return 1;
}

static int
import_row(void *ctx, const struct csvin_row *row, struct import_counts *c)
{
	struct import_run *run = ctx;
	char email[ADDR_MAX_LEN + 1];
	const char *status;
	struct person who;
	int outcome;

	if (import_row_check(&run->header, row, run->name, email) == -1) {
		c->rejected++;
		return 0;
	}
	who.email = email;
	import_row_names(&run->header, row, &run->names, &who.first_name,
	    &who.last_name);
	who.fields_json = row_fields_json(&run->header, row, &run->json);
	if (row_status(run, row, &status) == -1) {
		c->rejected++;
		return 0;
	}
	if (conflicting_row(run, row, &who, status)) {
		c->rejected++;
		return 0;
	}
	if (strcmp(status, "subscribed") == 0)
		outcome = people_subscribe(&run->people, run->list_id, &who,
		    run->name, run->reason, run->now);
	else if (strcmp(status, "pending") == 0)
		outcome = people_record_pending(&run->people, run->list_id,
		    &who, run->name, run->now);
	else
		outcome = people_record_left(&run->people, run->list_id, &who,
		    status, run->name, "in the imported file", run->now);
	if (outcome == -1)
		return -1;
	count_outcome(c, outcome);
	return 0;
}

int
import_each_row(struct db *db, struct csvin *in, const char *name,
    unsigned long long size, struct import_counts *c,
    int (*row_fn)(void *ctx, const struct csvin_row *row,
    struct import_counts *c), void *ctx)
{
	struct progress progress;
	struct csvin_row row;
	enum csvin_result r;
	char label[128];

	snprintf(label, sizeof(label), "importing %s", name);
	progress_init(&progress, label, size);
	/* Every status written is a literal of people.c's. */
	if (db_checks(db, 0) == -1 || db_cache_kib(db, IMPORT_CACHE_KIB) ==
	    -1 || db_begin(db) == -1)
		return -1;
	for (;;) {
		r = csvin_next(in, &row);
		if (r == CSVIN_EOF)
			break;
		if (r == CSVIN_ERROR) {
			import_read_failed(name);
			goto fail;
		}
		c->rows++;
		if (r == CSVIN_BAD) {
			reject(name, row.line, row.why, NULL, 0);
			c->rejected++;
			continue;
		}
		if (row_fn(ctx, &row, c) == -1)
			goto fail;
		if (c->rows % IMPORT_BATCH_ROWS == 0) {
			if (db_commit(db) == -1)
				goto fail;
			c->committed = c->rows;
			if (db_begin(db) == -1)
				goto fail;
			progress_update(&progress, c->rows, in->bytes);
		}
	}
	progress_done(&progress);
	if (db_commit(db) == -1)
		goto fail;
	c->committed = c->rows;
	log_debug("%s: %llu rows in %.2f s", name, c->rows,
	    progress_elapsed(&progress));
	return db_checks(db, 1) == -1 || db_cache_kib(db, 0) == -1 ? -1 : 0;
fail:
	progress_done(&progress);
	db_rollback(db);
	(void)db_checks(db, 1);
	(void)db_cache_kib(db, 0);
	import_report_stop(name, c);
	return -1;
}

unsigned long long
import_file_size(FILE *fp)
{
	struct stat sb;

	return fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) ?
	    (unsigned long long)sb.st_size : 0;
}

int
import_subscribers(struct db *db, sqlite3_int64 list_id, FILE *fp,
    const char *name, const char *resubscribe_reason,
    struct import_counts *counts)
{
	struct import_run run;
	struct csvin in;
	int r = -1;

	memset(&run, 0, sizeof(run));
	memset(counts, 0, sizeof(*counts));
	csvin_init(&in, fp);
	if (import_header_read(&run.header, &in, name,
	    IMPORT_SUBSCRIBERS) == -1)
		goto done;
	run.db = db;
	run.list_id = list_id;
	run.name = name;
	run.reason = resubscribe_reason;
	run.now = time(NULL);
	buf_init(&run.json, CSVIN_RECORD_MAX * 2);
	buf_init(&run.names, IMPORT_VALUE_MAX + 2);
	people_init(&run.people, db);
	run.in = &in;
	run.size = import_file_size(fp);
	r = import_each_row(db, &in, name, run.size, counts, import_row,
	    &run);
	free(run.seen.email);
	free(run.seen.row);
	people_release(&run.people);
	buf_release(&run.json);
	buf_release(&run.names);
done:
	import_header_release(&run.header);
	csvin_release(&in);
	return r;
}

void
import_print_summary(const char *name, const struct import_counts *c,
    enum import_kind kind)
{
	if (kind == IMPORT_SIGNATURES) {
		printf("%s: %llu signed, %llu already signed, %llu rejected\n",
		    name, c->imported, c->unchanged, c->rejected);
		return;
	}
	if (kind == IMPORT_SUPPRESSIONS) {
		printf("%s: %llu suppressed, %llu already suppressed, %llu "
		    "rejected\n", name, c->imported, c->unchanged, c->rejected);
		return;
	}
	printf("%s: %llu imported, %llu updated, %llu unchanged, %llu left "
	    "alone (unsubscribed, bounced or complained), ", name,
	    c->imported, c->updated, c->unchanged, c->left_alone);
	if (c->resubscribed > 0)
		printf("%llu resubscribed, ", c->resubscribed);
	if (c->left > 0)
		printf("%llu recorded as left, ", c->left);
	if (c->pending > 0)
		printf("%llu pending (not confirmed, not mailed), ",
		    c->pending);
	printf("%llu rejected\n", c->rejected);
}

FILE *
import_open(const char *path)
{
	FILE *fp;

	if (strcmp(path, "-") == 0)
		return stdin;
	fp = fopen(path, "r");
	if (fp == NULL) {
		log_warn("cannot open '%s'", path);
		fail_set(FAIL_NOINPUT);
	}
	return fp;
}
