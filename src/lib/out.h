/*
 * out: listings on stdout, for people (aligned columns) or for scripts
 * (--format tsv, csv or json; tsv and csv with a header row). TSV
 * escapes backslash, tab, CR and LF as \\ \t \r \n; CSV quotes as RFC
 * 4180 says; JSON is an array of objects keyed by the headers, a value
 * that reads as a plain decimal number written as a number.
 */
#ifndef TOCSIN_OUT_H
#define TOCSIN_OUT_H

#include <stddef.h>

#define OUT_COLS_MAX	24	
/* Plain output sizes its columns from the first rows, then streams. */
#define OUT_PLAIN_SAMPLE_ROWS 500

enum out_format {
	OUT_PLAIN = 0,
	OUT_TSV,
	OUT_CSV,
	OUT_JSON,
};

struct out {
	enum out_format	 format;
	size_t		 ncols;
	size_t		 widths[OUT_COLS_MAX];
	char		**held;		/* plain rows kept to size columns */
	size_t		 nheld;
	int		 streaming;
	const char	*const *headers;	/* JSON keys */
	size_t		 rows;			/* JSON rows written */
};

/* Parses "tsv", "csv" or "json". Returns 0, or -1 for anything else. */
int	out_format_parse(const char *s, enum out_format *format);
void	out_begin(struct out *o, enum out_format format, size_t ncols,
	    const char *const *headers);
void	out_row(struct out *o, const char *const *values);
/* Writes what is held and flushes stdout. Returns 0, or -1 (logged). */
int	out_end(struct out *o);

/* Writes text from outside to stdout for a person to read: C0, DEL, C1
 * and bidirectional controls as '?'. */
void	out_safe(const char *s);

/* Writes one CSV field (quoted when it must be) to stdout. */
void	out_csv_field(const char *s, int last);

#endif
