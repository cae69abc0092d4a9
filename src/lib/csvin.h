/*
 * csvin: reads RFC 4180 CSV (with libcsv) one record at a time, in
 * constant memory, and survives bad input. Each record carries the line it
 * starts on. A broken record (an unclosed or stray quote, a record over
 * CSVIN_RECORD_MAX, a field that is not UTF-8) is returned as CSVIN_BAD
 * with its line and reason, and reading resumes on the line after the one
 * it started on, so one stray quote cannot swallow the rest of the file.
 * A UTF-8 byte order mark is skipped; LF, CRLF and CR line ends are read.
 */
#ifndef TOCSIN_CSVIN_H
#define TOCSIN_CSVIN_H

#include <stdio.h>
#include <csv.h>

#include "buf.h"

#define CSVIN_RECORD_MAX	(1024 * 1024)
#define CSVIN_FIELDS_MAX	256

enum csvin_result {
	CSVIN_EOF = 0,
	CSVIN_ROW,	/* row->fields holds a record */
	CSVIN_BAD,	/* row->line and row->why say what was wrong */
	CSVIN_ERROR,	/* reading the file failed (errno is set) */
};

struct csvin_row {
	size_t		 line;		/* line the record starts on, from 1 */
	size_t		 nfields;
	const char	*fields[CSVIN_FIELDS_MAX];	/* NUL-terminated */
	size_t		 lens[CSVIN_FIELDS_MAX];
	const char	*why;		/* for CSVIN_BAD */
};

struct csvin {
	FILE		*fp;		/* borrowed */
	struct csv_parser parser;
	struct buf	 line;		/* the physical line being fed */
	struct buf	 record;	/* raw lines of the record so far */
	struct buf	 replay;	/* lines to read again after an error */
	size_t		 replay_pos;
	struct buf	 fields;	/* field text, each NUL-terminated */
	size_t		 offsets[CSVIN_FIELDS_MAX];
	size_t		 nfields;
	size_t		 lineno;	/* lines read so far */
	size_t		 record_line;
	unsigned long long bytes;	/* bytes read from fp */
	/* why the record is broken: read again */
	const char	*bad;
	/* why a well-formed record is refused */
	const char	*invalid;
	int		 row_ready;
	int		 unfed_line;	/* in->line is not in the record */
	char		 why[96];	/* room for a reason with a number */
	int		 file_eof;
	int		 finished;	/* csv_fini ran on the last input */
	unsigned char	 delim;		/* ',', or ';' as the first line has */
};

void	csvin_init(struct csvin *in, FILE *fp);
void	csvin_release(struct csvin *in);
/* The fields in *row are borrowed until the next call. */
enum csvin_result csvin_next(struct csvin *in, struct csvin_row *row);

/*
 * Whether a CSV cell s[0..len) must be written with a leading "'" so
 * that a spreadsheet shows it rather than running it as a formula
 * (OWASP: a cell starting with = + - @ tab or CR), or is such a guarded
 * cell already ("'=1" written as "''=1", so the guard is reversible).
 * out writes the guard; csvin takes it off, so an export imports back
 * unchanged.
 */
int	csvin_needs_guard(const char *s, size_t len);

#endif
