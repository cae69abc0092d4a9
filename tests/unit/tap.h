/*
 * tap: the smallest Test Anything Protocol helper, for prove. Each test
 * file is a table of cases and a loop; ok() prints one TAP line.
 */
#ifndef TOCSIN_TAP_H
#define TOCSIN_TAP_H

/* Prints "ok N - what" or "not ok N - what"; returns pass. */
int	tap_ok(int pass, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Like tap_ok for a case that may fail: "# TODO why", not a failure. */
int	tap_todo(int pass, const char *why, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Prints a "# ..." diagnostic line. */
void	tap_diag(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* Checks two strings; on a mismatch, shows both. */
int	tap_is(const char *got, const char *want, const char *what);
/* Prints the plan; returns the exit code for main. */
int	tap_done(void);

#endif
