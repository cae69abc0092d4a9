/* segment: a blast's recipients as an organiser says them (segment.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "cli.h"
#include "log.h"
#include "reltime.h"
#include "list.h"
#include "segment.h"
#include "xalloc.h"

static const char *const builtin_fields[] = { "first_name", "last_name",
    "email" };

static const char *const op_names[] = {
	[SEGMENT_EQ] = "=", [SEGMENT_NE] = "!=", [SEGMENT_CONTAINS] = "~",
	[SEGMENT_LT] = "<", [SEGMENT_GT] = ">", [SEGMENT_IN] = "in",
	[SEGMENT_TAG] = " has tag ",
};

static void
trim(char *s)
{
	size_t n = strlen(s), i = strspn(s, " \t");

	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memmove(s, s + i, n - i);
	s[n - i] = '\0';
}

/* "(a, b,c)" into the condition's values. */
static int
in_values(struct segment_cond *c, const char *p, const char **why)
{
	const char *end = strrchr(p, ')');
	const char *v, *comma;
	size_t n;

	p += strspn(p, " \t");
	if (*p != '(' || end == NULL || end[1] != '\0') {
		*why = "IN takes a list in parentheses: 'country IN (bo,pe)'";
		return -1;
	}
	for (v = p + 1; v < end; v = comma + 1) {
		comma = memchr(v, ',', (size_t)(end - v));
		if (comma == NULL)
			comma = end;
		n = (size_t)(comma - v);
		if (c->nvalues == SEGMENT_IN_MAX || n > SEGMENT_VALUE_MAX) {
			*why = "at most 16 values of 256 bytes in an IN list";
			return -1;
		}
		memcpy(c->values[c->nvalues], v, n);
		c->values[c->nvalues][n] = '\0';
		trim(c->values[c->nvalues++]);
	}
	if (c->nvalues == 0) {
		*why = "the IN list is empty";
		return -1;
	}
	return 0;
}

/* Where the operator starts, and which: the first of != ~ < > = or IN. */
static const char *
find_op(const char *s, enum segment_op *op, size_t *oplen)
{
	const char *p;

	for (p = s; *p != '\0'; p++) {
		*oplen = 1;
		if (p[0] == '!' && p[1] == '=') {
			*op = SEGMENT_NE;
			*oplen = 2;
		} else if (*p == '~')
			*op = SEGMENT_CONTAINS;
		else if (*p == '<')
			*op = SEGMENT_LT;
		else if (*p == '>')
			*op = SEGMENT_GT;
		else if (*p == '=')
			*op = SEGMENT_EQ;
		else if (p > s && p[-1] == ' ' &&
		    strncasecmp(p, "in", 2) == 0 &&
		    (p[2] == ' ' || p[2] == '(')) {
			*op = SEGMENT_IN;
			*oplen = 2;
		} else
			continue;
		return p;
	}
	return NULL;
}

/*
 * Adds a condition written "FIELD OP VALUE" ("city=Lyon", "age>30",
 * "country IN (bo,pe)", "name~ann"). 0, or -1 with *why.
 */
static int
segment_add(struct segment *s, const char *text, const char **why)
{
	struct segment_cond *c;
	enum segment_op op;
	const char *at;
	size_t oplen, n;

	if (s->nconds == SEGMENT_CONDS_MAX) {
		*why = "at most 16 conditions";
		return -1;
	}
	at = find_op(text, &op, &oplen);
	if (at == NULL || at == text) {
		*why = "a condition is FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT, "
		    "FIELD<N, FIELD>N or 'FIELD IN (A,B)'";
		return -1;
	}
	c = &s->conds[s->nconds];
	memset(c, 0, sizeof(*c));
	n = (size_t)(at - text);
	if (n > SEGMENT_FIELD_MAX) {
		*why = "a field name has at most 64 characters";
		return -1;
	}
	memcpy(c->field, text, n);
	c->field[n] = '\0';
	trim(c->field);
	if (c->field[0] == '\0' || strspn(c->field, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_- ") != strlen(c->field)) {
		*why = "a field name has letters, digits, '_', '-' and spaces";
		return -1;
	}
	c->op = op;
	if (op == SEGMENT_IN) {
		if (in_values(c, at + oplen, why) == -1)
			return -1;
	} else {
		if (strlen(at + oplen) > SEGMENT_VALUE_MAX) {
			*why = "a value has at most 256 bytes";
			return -1;
		}
		snprintf(c->values[0], sizeof(c->values[0]), "%s", at + oplen);
		c->nvalues = 1;
	}
	s->nconds++;
	return 0;
}

/* How far apart two names are (Levenshtein, without case), for hints. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, best;
	size_t row[SEGMENT_FIELD_MAX + 2];

	if (lb > SEGMENT_FIELD_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			best = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static void
unknown_field(const char *field, char **known, int nknown)
{
	struct buf list;
	const char *likeliest = NULL;
	size_t best = (size_t)-1, d;
	int i;

	buf_init(&list, 8192);
	for (i = 0; i < nknown; i++) {
		(void)buf_printf(&list, "%s%s", i > 0 ? ", " : "", known[i]);
		d = distance(field, known[i]);
		if (d < best) {
			best = d;
			likeliest = known[i];
		}
	}
	if (list.failed) {
		buf_reset(&list);
		(void)buf_puts(&list, "too many to name");
	}
	if (likeliest != NULL && best <= 3)
		log_warnx("no field '%s' on this list: did you mean %s? "
		    "(its fields: %s)", field, likeliest, buf_cstr(&list));
	else
		log_warnx("no field '%s' on this list (its fields: %s)", field,
		    buf_cstr(&list));
	buf_release(&list);
	fail_set(FAIL_DATA);
}

/*
 * Resolves the fields against the list's (in any case); an unknown one
 * is logged with the known ones and the likeliest ("did you mean
 * city?"), FAIL_DATA. 0 or -1.
 */
static int
segment_resolve(struct db *db, struct segment *s)
{
	char *custom[LIST_FIELDS_MAX + 1] = { 0 };
	char *known[LIST_FIELDS_MAX + 4];
	int n, nknown = 0, i, r = 0;
	size_t c;

	if (s->nconds == 0)
		return 0;
	n = list_field_names(db, s->list_id, NULL, custom);
	if (n == -1)
		return -1;
	for (i = 0; i < 3; i++)
		known[nknown++] = (char *)builtin_fields[i];
	for (i = 0; i < n; i++)
		known[nknown++] = custom[i];
	for (c = 0; c < s->nconds && r == 0; c++) {
		struct segment_cond *k = &s->conds[c];

		/* An exact name first, then one that differs only in case. */
		for (i = 0; i < nknown && strcmp(known[i], k->field) != 0; i++)
			;
		if (i == nknown)
			for (i = 0; i < nknown && strcasecmp(known[i],
			    k->field) != 0; i++)
				;
		if (i == nknown && k->op == SEGMENT_TAG)
			continue;	/* no tags field: nobody has the tag */
		if (i == nknown) {
			unknown_field(k->field, known, nknown);
			r = -1;
		} else
			snprintf(k->field, sizeof(k->field), "%s", known[i]);
	}
	for (i = 0; i < n; i++)
		free(custom[i]);
	return r;
}

static int
is_number(const char *v)
{
	char *end;

	if (*v == '\0')
		return 0;
	(void)strtod(v, &end);
	return *end == '\0';
}

/* One step of the walk: append the SQL, or bind the value. */
struct walk {
	struct buf	*sql;
	sqlite3_stmt	*st;
	int		 n;		/* the next parameter */
};

/* (segment_prepare checks the query's failed) */
static void
sql(struct walk *w, const char *s)
{
	if (w->sql != NULL)
		(void)buf_puts(w->sql, s);
}

static void
param_text(struct walk *w, const char *v)
{
	char p[16];

	snprintf(p, sizeof(p), "?%d", w->n);
	sql(w, p);
	if (w->st != NULL)
		sqlite3_bind_text(w->st, w->n, v, -1, SQLITE_TRANSIENT);
	w->n++;
}

static void
param_int(struct walk *w, sqlite3_int64 v)
{
	char p[16];

	snprintf(p, sizeof(p), "?%d", w->n);
	sql(w, p);
	if (w->st != NULL)
		sqlite3_bind_int64(w->st, w->n, v);
	w->n++;
}

/* The field's value: a column, or the custom field's JSON path. */
static void
field_expr(struct walk *w, const struct segment_cond *c)
{
	char path[SEGMENT_FIELD_MAX + 8];

	if (strcmp(c->field, "first_name") == 0)
		sql(w, "s.first_name");
	else if (strcmp(c->field, "last_name") == 0)
		sql(w, "s.last_name");
	else if (strcmp(c->field, "email") == 0)
		sql(w, "s.email");
	else {
		/* The name was resolved to a field's own: no quote in it can
		 * end the JSON path early (field names come from JSON keys,
		 * and '"' is escaped here). */
		snprintf(path, sizeof(path), "$.\"%s\"", c->field);
		sql(w, "json_extract(s.fields, ");
		param_text(w, path);
		sql(w, ")");
	}
}

/* Who signed an action, or was sent a blast: the id is bound after. */
#define SIGNED "SELECT 1 FROM signatures g WHERE g.subscriber_id = s.id " \
	"AND g.action_id = "
#define RECEIVED "SELECT 1 FROM deliveries r WHERE r.subscriber_id = " \
	"s.id AND r.state IN ('sent', 'unknown') AND r.blast_id = "

/* " AND [NOT] EXISTS (subquery id)" */
static void
exists(struct walk *w, int yes, const char *subquery, sqlite3_int64 id)
{
	sql(w, yes ? " AND EXISTS (" : " AND NOT EXISTS (");
	sql(w, subquery);
	param_int(w, id);
	sql(w, ")");
}

static void
cond_sql(struct walk *w, const struct segment_cond *c)
{
	size_t i;
	int num = (c->op == SEGMENT_LT || c->op == SEGMENT_GT) &&
	    is_number(c->values[0]);

	if (c->op == SEGMENT_TAG) {
		/* ",a,b," holds ",tag,": whole tags, spaces and case aside */
		sql(w, "(instr(',' || replace(lower(coalesce(");
		field_expr(w, c);
		sql(w, ", '')), ' ', '') || ',', ',' || replace(lower(");
		param_text(w, c->values[0]);
		sql(w, "), ' ', '') || ',') > 0)");
		return;
	}
	sql(w, "(");
	if (c->op == SEGMENT_NE)
		sql(w, "coalesce(");
	else if (c->op == SEGMENT_CONTAINS)
		sql(w, "instr(lower(");
	else if (num)
		sql(w, "CAST(");
	field_expr(w, c);
	switch (c->op) {
	case SEGMENT_EQ:
		sql(w, " = ");
		param_text(w, c->values[0]);
		sql(w, " COLLATE NOCASE");
		break;
	case SEGMENT_NE:
		sql(w, ", '') <> ");
		param_text(w, c->values[0]);
		sql(w, " COLLATE NOCASE");
		break;
	case SEGMENT_CONTAINS:
		sql(w, "), lower(");
		param_text(w, c->values[0]);
		sql(w, ")) > 0");
		break;
	case SEGMENT_LT:
	case SEGMENT_GT:
		sql(w, num ? " AS REAL) " : " ");
		sql(w, c->op == SEGMENT_LT ? "< " : "> ");
		if (num)
			sql(w, "CAST(");
		param_text(w, c->values[0]);
		sql(w, num ? " AS REAL)" : "");
		break;
	case SEGMENT_TAG:
		break;
	case SEGMENT_IN:
		sql(w, " COLLATE NOCASE IN (");
		for (i = 0; i < c->nvalues; i++) {
			if (i > 0)
				sql(w, ", ");
			param_text(w, c->values[i]);
		}
		sql(w, ")");
		break;
	}
	sql(w, ")");
}

static void
walk(const struct segment *s, struct walk *w)
{
	size_t i;

	if (s->nconds > 0) {
		sql(w, " AND (");
		for (i = 0; i < s->nconds; i++) {
			if (i > 0)
				sql(w, s->any ? " OR " : " AND ");
			cond_sql(w, &s->conds[i]);
		}
		sql(w, ")");
	}
	if (s->signed_id > 0)
		exists(w, 1, SIGNED, s->signed_id);
	if (s->not_signed_id > 0)
		exists(w, 0, SIGNED, s->not_signed_id);
	if (s->received > 0)
		exists(w, 1, RECEIVED, s->received);
	if (s->not_received > 0)
		exists(w, 0, RECEIVED, s->not_received);
	if (s->joined_after > 0) {
		sql(w, " AND m.subscribed_at > ");
		param_int(w, (sqlite3_int64)s->joined_after);
	}
}

/*
 * The condition, to AND into a query, with its values bound from
 * parameter `first`: appended to `out` (whose owner checks failed).
 * Returns the number of parameters used.
 */
static int
segment_sql(const struct segment *s, int first, struct buf *out)
{
	struct walk w = { out, NULL, first };

	walk(s, &w);
	return w.n - first;
}

static void
segment_bind(const struct segment *s, sqlite3_stmt *st, int first)
{
	struct walk w = { NULL, st, first };

	walk(s, &w);
}

int
segment_option(struct segment *s, int ch, const char *arg)
{
	const char *why;
	char *end;
	sqlite3_int64 id;

	switch (ch) {
	case 'w':
		if (segment_add(s, arg, &why) == -1)
			return cli_usage_error("--where '%.100s': %s", arg,
			    why);
		return 1;
	case 'Y':
		s->any = 1;
		return 1;
	case 'G':
		if (s->nconds == SEGMENT_CONDS_MAX || strlen(arg) >
		    SEGMENT_VALUE_MAX || strchr(arg, ',') != NULL ||
		    *arg == '\0')
			return cli_usage_error("--tag takes one tag (no "
			    "comma), at most 16 conditions");
		memset(&s->conds[s->nconds], 0, sizeof(s->conds[0]));
		snprintf(s->conds[s->nconds].field, SEGMENT_FIELD_MAX + 1,
		    "tags");
		s->conds[s->nconds].op = SEGMENT_TAG;
		snprintf(s->conds[s->nconds].values[0], SEGMENT_VALUE_MAX + 1,
		    "%s", arg);
		s->conds[s->nconds++].nvalues = 1;
		return 1;
	case 'g':
	case 'n':
		if (strlen(arg) >= sizeof(s->signed_slug))
			return cli_usage_error("'%.64s' is not an action", arg);
		snprintf(ch == 'g' ? s->signed_slug : s->not_signed_slug,
		    sizeof(s->signed_slug), "%s", arg);
		return 1;
	case 'V':
	case 'N':
		id = strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || id < 1)
			return cli_usage_error("--%sreceived takes a blast ID",
			    ch == 'N' ? "not-" : "");
		*(ch == 'V' ? &s->received : &s->not_received) = id;
		return 1;
	case 'J':
		if (reltime_parse(arg, &s->joined_after) == -1)
			return cli_usage_error("--joined-after takes a date "
			    "('YYYY-MM-DD' or 'YYYY-MM-DD HH:MM')");
		return 1;
	}
	return 0;
}

static int
action_id_of(struct db *db, const char *slug, sqlite3_int64 *id)
{
	struct action a;
	int r;

	if (slug[0] == '\0')
		return 0;
	r = action_find(db, slug, &a);
	if (r == 1)
		*id = a.id;
	action_release(&a);
	return r == 1 ? 0 : -1;
}

int
segment_finish(struct db *db, struct segment *s)
{
	if (action_id_of(db, s->signed_slug, &s->signed_id) == -1 ||
	    action_id_of(db, s->not_signed_slug, &s->not_signed_id) == -1)
		return -1;
	return segment_resolve(db, s);
}

/* (the caller checks out->failed) */
void
segment_describe(const struct segment *s, struct buf *out)
{
	size_t i, j;

	if (s->signed_slug[0] != '\0')
		(void)buf_printf(out, ", signers of '%s'", s->signed_slug);
	if (s->not_signed_slug[0] != '\0')
		(void)buf_printf(out, ", not signers of '%s'",
		    s->not_signed_slug);
	for (i = 0; i < s->nconds; i++) {
		const struct segment_cond *c = &s->conds[i];

		if (c->op == SEGMENT_TAG) {
			(void)buf_printf(out, "%stagged %s", i == 0 ? ", " :
			    s->any ? " or " : " and ", c->values[0]);
			continue;
		}
		(void)buf_printf(out, "%s%s%s", i == 0 ? ", where " : s->any ?
		    " or " : " and ", c->field, c->op == SEGMENT_IN ? " in (" :
		    op_names[c->op]);
		for (j = 0; j < c->nvalues; j++)
			(void)buf_printf(out, "%s%s", j > 0 ? ", " : "",
			    c->values[j]);
		if (c->op == SEGMENT_IN)
			(void)buf_puts(out, ")");
	}
	if (s->received > 0)
		(void)buf_printf(out, ", who received blast %lld",
		    (long long)s->received);
	if (s->not_received > 0)
		(void)buf_printf(out, ", who did not receive blast %lld",
		    (long long)s->not_received);
	if (s->joined_after > 0) {
		char when[32];
		struct tm tm;

		(void)localtime_r(&s->joined_after, &tm);
		(void)strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		(void)buf_printf(out, ", who joined after %s", when);
	}
}

sqlite3_stmt *
segment_prepare(struct db *db, const struct segment *s, const char *select,
    int list_param)
{
	sqlite3_stmt *st;
	struct buf q;

	buf_init(&q, SEGMENT_SQL_MAX);
	(void)buf_printf(&q, "%s FROM memberships m JOIN subscribers s ON "
	    "s.id = m.subscriber_id WHERE m.list_id = ?%d AND m.status = "
	    "'subscribed' AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE "
	    "x.email = s.email)", select, list_param);
	(void)segment_sql(s, list_param + 1, &q);
	(void)buf_puts(&q, " ORDER BY m.subscriber_id");
	if (q.failed) {
		log_warnx("the segment's query is over %d bytes: fewer "
		    "conditions, please", SEGMENT_SQL_MAX);
		buf_release(&q);
		return NULL;
	}
	st = db_prepare(db, buf_cstr(&q));
	buf_release(&q);
	sqlite3_bind_int64(st, list_param, s->list_id);
	segment_bind(s, st, list_param + 1);
	return st;
}

int
segment_count(struct db *db, const struct segment *s, long long *n,
    char sample[SEGMENT_SAMPLE][255], size_t *nsample)
{
	sqlite3_stmt *st;
	int r;

	*n = 0;
	*nsample = 0;
	st = segment_prepare(db, s, "SELECT s.email, count(*) OVER ()", 1);
	if (st == NULL)
		return -1;
	while ((r = db_step_row(db, st, "cannot count the segment")) == 1) {
		*n = sqlite3_column_int64(st, 1);
		if (*nsample < SEGMENT_SAMPLE)
			snprintf(sample[(*nsample)++], 255, "%s",
			    db_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return r == -1 ? -1 : 0;
}
