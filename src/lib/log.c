/* log: stderr messages and the failure class (see log.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "log.h"
#include "utf8.h"

static const char *log_name = "tocsin";
static int log_level_verbose;
static enum fail_class fail_recorded = FAIL_NONE;

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

static void
log_vwrite(const char *fmt, va_list ap, const char *why)
{
	int saved_errno = errno;
	char line[LOG_LINE_MAX];
	size_t n;
	int r;

	fflush(stdout);
	r = snprintf(line, sizeof(line), "%s: ", log_name);
	n = r < 0 ? 0 : (size_t)r < sizeof(line) ? (size_t)r :
	    sizeof(line) - 1;
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
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	const char *why = strerror(errno);

	va_start(ap, fmt);
	log_vwrite(fmt, ap, why);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_level_verbose)
		return;
	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	const char *why = strerror(errno);

	va_start(ap, fmt);
	log_vwrite(fmt, ap, why);
	va_end(ap);
	exit(EX_TEMPFAIL);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
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
