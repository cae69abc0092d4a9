/*
 * progress: one line on a terminal for long work ("importing x.csv: 42%,
 * 420000 rows, 195000 rows/s"), redrawn at most five times a second.
 * When stderr is not a terminal (cron) it prints nothing.
 */
#ifndef TOCSIN_PROGRESS_H
#define TOCSIN_PROGRESS_H

#include <time.h>

struct progress {
	const char		*label;		/* borrowed */
	const char		*unit;		/* "rows", "messages" */
	int			 on;
	unsigned long long	 total_bytes;	/* 0 if unknown */
	unsigned long long	 total_items;	/* 0 if unknown: no ETA */
	struct timespec		 start;
	struct timespec		 last;
};

void	progress_init(struct progress *p, const char *label,
	    unsigned long long total_bytes);
void	progress_update(struct progress *p, unsigned long long rows,
	    unsigned long long bytes);
/* Clears the line. */
void	progress_done(struct progress *p);
/* Seconds since progress_init. */
double	progress_elapsed(const struct progress *p);

#endif
