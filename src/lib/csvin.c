/* csvin: CSV records with line numbers and recovery (see csvin.h). */
#include <errno.h>
#include <string.h>

#include "csvin.h"
#include "log.h"
#include "utf8.h"

/* libcsv's pstate is 0 (ROW_NOT_BEGUN) between records. */
#define CSV_PSTATE_BETWEEN_RECORDS 0
#define CSVIN_PARSER_BLOCK (64 * 1024)

static void
parser_start(struct csvin *in)
{
	if (csv_init(&in->parser, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_APPEND_NULL) != 0)
		fatalx("cannot start the CSV parser");
	/* libcsv grows a field 128 bytes at a time by default: a long
	 * quoted field would cost thousands of reallocations. */
	csv_set_blk_size(&in->parser, CSVIN_PARSER_BLOCK);
	csv_set_delim(&in->parser, in->delim);
}

void
csvin_init(struct csvin *in, FILE *fp)
{
	memset(in, 0, sizeof(*in));
	in->fp = fp;
	in->delim = ',';
	buf_init(&in->line, CSVIN_RECORD_MAX);
	buf_init(&in->record, CSVIN_RECORD_MAX);
	buf_init(&in->replay, 2 * CSVIN_RECORD_MAX);
	buf_init(&in->fields, CSVIN_RECORD_MAX + CSVIN_FIELDS_MAX);
	parser_start(in);
}

void
csvin_release(struct csvin *in)
{
	csv_free(&in->parser);
	buf_release(&in->line);
	buf_release(&in->record);
	buf_release(&in->replay);
	buf_release(&in->fields);
}

int
csvin_needs_guard(const char *s, size_t len)
{
	while (len > 0 && s[0] == '\'') {
		s++;
		len--;
	}
	return len > 0 && strchr("=+-@\t\r", s[0]) != NULL &&
	    s[0] != '\0';
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct csvin *in = arg;

	if (in->bad != NULL || in->invalid != NULL)
		return;
	if (in->nfields == CSVIN_FIELDS_MAX) {
		in->invalid = "more than 256 fields";
		return;
	}
	if (!utf8_is_valid(s != NULL ? s : "", len)) {
		in->invalid = "a field is not valid UTF-8 or holds a NUL "
		    "byte (save the file as UTF-8)";
		return;
	}
	/* A guarded cell ("'=1") reads back as it was before the guard. */
	if (len > 1 && ((const char *)s)[0] == '\'' &&
	    csvin_needs_guard((const char *)s + 1, len - 1)) {
		s = (char *)s + 1;
		len--;
	}
	in->offsets[in->nfields++] = in->fields.len;
	if (buf_append(&in->fields, s, len) == -1 ||
	    buf_putc(&in->fields, '\0') == -1)
		in->bad = "record longer than 1 MiB";
}

static void
on_record(int c, void *arg)
{
	struct csvin *in = arg;

	(void)c;
	in->row_ready = 1;
}

/*
 * Reads one physical line, terminator included, into in->line, from the
 * replay buffer first. A line ends at LF, CRLF, or a CR alone. Returns 1,
 * 0 at the end of input, -1 on a read error. A line over the ceiling is
 * cut: feed_line sees in->line.failed and reports the row.
 */
static int
read_line(struct csvin *in)
{
	int c;

	buf_reset(&in->line);
	if (in->replay_pos < in->replay.len) {
		const char *p = in->replay.data + in->replay_pos;
		const char *nl = memchr(p, '\n', in->replay.len -
		    in->replay_pos);
		size_t n = nl != NULL ? (size_t)(nl - p) + 1 :
		    in->replay.len - in->replay_pos;

		(void)buf_append(&in->line, p, n);
		in->replay_pos += n;
		in->lineno++;
		return 1;
	}
	if (in->file_eof)
		return 0;
	while ((c = getc_unlocked(in->fp)) != EOF) {
		in->bytes++;
		if (c == '\r') {
			c = getc_unlocked(in->fp);
			if (c == '\n')
				in->bytes++;
			else if (c != EOF)
				ungetc(c, in->fp);
			/* Every line end is stored as LF for the replay. */
			(void)buf_putc(&in->line, '\n');
			break;
		}
		if (buf_putc(&in->line, (char)c) == -1 && c != '\n')
			continue;
		if (c == '\n')
			break;
	}
	if (ferror(in->fp))
		return -1;
	if (c == EOF)
		in->file_eof = 1;
	if (in->line.len == 0 && c == EOF)
		return 0;
	in->lineno++;
	if (in->lineno == 1 && in->line.len >= 3 &&
	    memcmp(in->line.data, "\xef\xbb\xbf", 3) == 0) {
		memmove(in->line.data, in->line.data + 3, in->line.len - 2);
		in->line.len -= 3;
	}
	/* A spreadsheet in many European locales saves "CSV" with ';'
	 * between fields: a first line with ';' and no ',' says so. */
	if (in->lineno == 1 && memchr(in->line.data, ';', in->line.len) &&
	    !memchr(in->line.data, ',', in->line.len)) {
		in->delim = ';';
		csv_set_delim(&in->parser, in->delim);
	}
	return 1;
}

/*
 * After a broken record: forget it, and read again from the line after
 * the one it started on, ahead of whatever was still waiting to be read.
 */
static void
recover(struct csvin *in)
{
	struct buf rest;
	const char *nl;
	size_t skip;

	buf_init(&rest, in->replay.max);
	/* buf_cstr, never NULL: an empty buffer has no data pointer. */
	nl = memchr(buf_cstr(&in->record), '\n', in->record.len);
	skip = nl != NULL ? (size_t)(nl - buf_cstr(&in->record)) + 1 :
	    in->record.len;
	if (buf_append(&rest, buf_cstr(&in->record) + skip,
	    in->record.len - skip) == -1 ||
	    (in->unfed_line && buf_append(&rest, buf_cstr(&in->line),
	    in->line.len) == -1) ||
	    buf_append(&rest, buf_cstr(&in->replay) + in->replay_pos,
	    in->replay.len - in->replay_pos) == -1)
		BUG("replay larger than two records");
	buf_release(&in->replay);
	in->replay = rest;
	in->replay_pos = 0;
	in->lineno = in->record_line;
	in->unfed_line = 0;
	csv_free(&in->parser);
	parser_start(in);
	in->finished = 0;
}

static void
record_reset(struct csvin *in)
{
	buf_reset(&in->record);
	buf_reset(&in->fields);
	in->nfields = 0;
	in->bad = NULL;
	in->invalid = NULL;
	in->row_ready = 0;
	in->record_line = in->lineno + 1;
}

/* libcsv stopped on the current line: say where the trouble began. */
static void
parse_error(struct csvin *in)
{
	if (in->lineno == in->record_line) {
		in->bad = "misplaced quote (a field with a quote must be "
		    "quoted, and its quotes doubled)";
		return;
	}
	/* Most likely a quote left open some lines before. */
	snprintf(in->why, sizeof(in->why), "a quote opened here ends badly "
	    "on line %zu (a quote not closed?)", in->lineno);
	in->bad = in->why;
}

static void
feed_line(struct csvin *in)
{
	size_t n;

	if (in->record.len == 0)
		in->record_line = in->lineno;
	if (in->line.failed) {
		/* Cut at the ceiling: the line itself is lost. */
		in->bad = "line longer than 1 MiB";
		return;
	}
	if (buf_append(&in->record, in->line.data, in->line.len) == -1) {
		/* The line is good, the record is not: read it again. */
		in->unfed_line = 1;
		in->bad = "record longer than 1 MiB (an unclosed quote?)";
		return;
	}
	n = csv_parse(&in->parser, in->line.data, in->line.len, on_field,
	    on_record, in);
	if (n < in->line.len && in->bad == NULL)
		parse_error(in);
	if (!in->row_ready && in->bad == NULL &&
	    in->parser.pstate == CSV_PSTATE_BETWEEN_RECORDS)
		record_reset(in);	/* a blank line */
}

static void
finish_input(struct csvin *in)
{
	in->finished = 1;
	if (csv_fini(&in->parser, on_field, on_record, in) != 0 &&
	    in->bad == NULL)
		in->bad = "quote not closed before the end of the file";
}

static enum csvin_result
take_record(struct csvin *in, struct csvin_row *row)
{
	size_t i;

	row->line = in->record_line;
	if (in->bad != NULL) {
		row->why = in->bad;
		row->nfields = 0;
		recover(in);
		record_reset(in);
		return CSVIN_BAD;
	}
	if (in->invalid != NULL) {
		/* Well formed, so reading goes on after it. */
		row->why = in->invalid;
		row->nfields = 0;
		record_reset(in);
		return CSVIN_BAD;
	}
	row->why = NULL;
	row->nfields = in->nfields;
	for (i = 0; i < in->nfields; i++) {
		row->fields[i] = in->fields.data + in->offsets[i];
		row->lens[i] = (i + 1 < in->nfields ? in->offsets[i + 1] - 1 :
		    in->fields.len - 1) - in->offsets[i];
	}
	/* The fields stay readable: only the bookkeeping is reset. */
	buf_reset(&in->record);
	in->row_ready = 0;
	in->nfields = 0;
	in->record_line = in->lineno + 1;
	return CSVIN_ROW;
}

enum csvin_result
csvin_next(struct csvin *in, struct csvin_row *row)
{
	int r;

	/* The previous row's field text is done with now. */
	buf_reset(&in->fields);
	for (;;) {
		if (in->row_ready || in->bad != NULL)
			return take_record(in, row);
		r = read_line(in);
		if (r == -1)
			return CSVIN_ERROR;
		if (r == 1) {
			feed_line(in);
			continue;
		}
		if (in->finished)
			return CSVIN_EOF;
		finish_input(in);
	}
}
