/* log: stderr messages and the failure class (see log.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "utf8.h"

static const char *log_name = "tocsin";
static int log_level_verbose;
static enum fail_class fail_recorded = FAIL_NONE;
static int log_time = -1;	/* -1: not decided yet */
static int log_to_syslog;
static char log_last[256];

void
log_init(const char *progname, int verbose)
{
	log_name = progname;
	log_level_verbose = verbose;
}

const char *
log_progname(void)
{
	return log_name;
}

/*
 * One line, one write: stderr is unbuffered, and a line written in
 * pieces costs a system call each (the inbox logs a line a message) and
 * can interleave with another process's on a shared log.
 */
#define LOG_LINE_MAX	4096

/*
 * Whether a line starts with its time: not on a terminal, not in the
 * journal (which times each line itself: $JOURNAL_STREAM names the
 * stream systemd gave as stderr), everywhere else (a cron log, a file);
 * $TOCSIN_LOG_TIME=0 or 1 says otherwise.
 */
static int
wants_time(void)
{
	const char *env = getenv("TOCSIN_LOG_TIME"), *js;
	unsigned long long dev, ino;
	struct stat sb;

	if (env != NULL && (strcmp(env, "0") == 0 || strcmp(env, "1") == 0))
		return env[0] == '1';
	if (isatty(STDERR_FILENO))
		return 0;
	js = getenv("JOURNAL_STREAM");
	if (js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	    fstat(STDERR_FILENO, &sb) == 0 &&
	    (unsigned long long)sb.st_dev == dev &&
	    (unsigned long long)sb.st_ino == ino)
		return 0;
	return 1;
}

void
log_use_syslog(void)
{
	openlog(log_name, LOG_PID, LOG_MAIL);
	log_to_syslog = 1;
}

const char *
log_last_warning(void)
{
	return log_last;
}

/*
 * A log entry is one line whatever its values say: a stranger's path,
 * subject or address with a CR, LF or other control byte in it would
 * otherwise write a line of its own (a forged entry). Tabs stay.
 */
static void
blank_controls(char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			*s = '?';
}

static void
log_vwrite(int priority, const char *fmt, va_list ap, const char *why)
{
	int saved_errno = errno;
	char line[LOG_LINE_MAX];
	size_t n = 0, text;
	struct tm tm;
	time_t now;
	int r;

	fflush(stdout);
	if (log_time == -1)
		log_time = wants_time();
	if (log_time && !log_to_syslog) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	}
	r = snprintf(line + n, sizeof(line) - n, "%s: ", log_name);
	n += r < 0 ? 0 : (size_t)r;
	text = n;
	r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	n += r < 0 ? 0 : (size_t)r < sizeof(line) - n ? (size_t)r :
	    sizeof(line) - n - 1;
	if (why != NULL) {
		r = snprintf(line + n, sizeof(line) - n, ": %s", why);
		n += r < 0 ? 0 : (size_t)r < sizeof(line) - n ? (size_t)r :
		    sizeof(line) - n - 1;
	}
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;	/* cut: keep room for the newline */
	line[n] = '\0';
	blank_controls(line + text);
	if (priority <= LOG_WARNING)
		snprintf(log_last, sizeof(log_last), "%s", line + text);
	line[n++] = '\n';
	/* To syslog, with the program's name; a person at a terminal
	 * sees it too. */
	if (log_to_syslog)
		syslog(priority, "%.*s", (int)(n - 1 - text), line + text);
	if (!log_to_syslog || isatty(STDERR_FILENO))
		fwrite(line, 1, n, stderr);
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	const char *why = strerror(errno);

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, why);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_level_verbose)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	const char *why = strerror(errno);

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, fmt, ap, why);
	va_end(ap);
	exit(EX_TEMPFAIL);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
	exit(EX_TEMPFAIL);
}

void
log_bug(const char *file, int line, const char *what)
{
	fflush(stdout);
	fprintf(stderr, "%s: BUG at %s:%d: %s\n", log_name, file, line, what);
	abort();
}

char *
log_escape(char *dst, size_t dstsize, const char *src, size_t len)
{
	size_t i, n = 0;

	if (dstsize == 0)
		return dst;
	for (i = 0; i < len && n + 1 < dstsize; i++) {
		size_t bad = utf8_unsafe_len((const unsigned char *)src + i,
		    len - i);

		if (bad > 0) {
			dst[n++] = '?';
			i += bad - 1;
		} else
			dst[n++] = src[i];
	}
	if (i < len && dstsize > 4) {
		n = n > dstsize - 4 ? dstsize - 4 : n;
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
	return dst;
}

/*
 * The first failure explains the run; later ones are consequences. The
 * inbox's mover thread may fail at the same time as the reader, so the
 * first is kept with an atomic compare-and-swap.
 */
void
fail_set(enum fail_class cls)
{
	enum fail_class none = FAIL_NONE;

	(void)__atomic_compare_exchange_n(&fail_recorded, &none, cls, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

enum fail_class
fail_get(void)
{
	return __atomic_load_n(&fail_recorded, __ATOMIC_SEQ_CST);
}

void
fail_forget(enum fail_class before)
{
	__atomic_store_n(&fail_recorded, before, __ATOMIC_SEQ_CST);
}

int
fail_exit_code(void)
{
	switch (fail_recorded) {
	case FAIL_NONE:
		return EX_OK;
	case FAIL_USAGE:
		return EX_USAGE;
	case FAIL_DATA:
		return EX_DATAERR;
	case FAIL_NOINPUT:
		return EX_NOINPUT;
	case FAIL_UNAVAILABLE:
		return EX_UNAVAILABLE;
	case FAIL_TEMP:
		return EX_TEMPFAIL;
	case FAIL_CONFIG:
		return EX_CONFIG;
	}
	BUG("unknown failure class");
}
