/*
 * log: messages to stderr in the form "tocsin-PROGRAM: what: why" (after
 * an ISO 8601 time when stderr is neither a terminal nor the journal),
 * or to syslog; and the
 * failure class that main() turns into an exit code. Library code logs
 * what went wrong and records its class with fail_set(); only main()
 * calls fail_exit_code().
 */
#ifndef TOCSIN_LOG_H
#define TOCSIN_LOG_H

#include <stddef.h>

enum fail_class {
	FAIL_NONE = 0,
	FAIL_USAGE,		/* 64: the command line is wrong */
	FAIL_DATA,		/* 65: the input is bad */
	FAIL_NOINPUT,		/* 66: a file or database is missing */
	FAIL_UNAVAILABLE,	/* 69: a server is down or refuses us */
	FAIL_TEMP,		/* 75: try again later */
	FAIL_CONFIG,		/* 78: the configuration is wrong */
};

void	log_init(const char *progname, int verbose);
const char *log_progname(void);
/* From now on lines go to syslog (facility mail), not stderr unless it
 * is a terminal: [log] syslog = yes. */
void	log_use_syslog(void);
/* The last warning's text (without the program's name), or "". */
const char *log_last_warning(void);

/* log_warn adds ": " and errno's text; the others print as given. */
void	log_warn(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* fatal and fatalx are for the impossible-to-continue: they exit 75. */
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	log_bug(const char *file, int line, const char *what)
	    __attribute__((noreturn));
#define BUG(what) log_bug(__FILE__, __LINE__, (what))

/*
 * Copies outside text into dst for a log line: control bytes become '?',
 * and it is cut at dstsize - 1 bytes with "..." marking the cut.
 * Returns dst.
 */
char	*log_escape(char *dst, size_t dstsize, const char *src, size_t len);

void	fail_set(enum fail_class cls);
enum fail_class fail_get(void);
/*
 * Puts back the class fail_get() gave before a failure that was worked
 * around (a second IMAP session that could not be had).
 */
void	fail_forget(enum fail_class before);
/* The sysexits code for the recorded class: 0 when nothing failed. */
int	fail_exit_code(void);

#endif
