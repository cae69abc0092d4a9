/* progress: a progress line on a terminal (see progress.h). */
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

#define PROGRESS_INTERVAL_SEC 0.2

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void
progress_init(struct progress *p, const char *label,
    unsigned long long total_bytes)
{
	p->label = label;
	p->unit = "rows";
	p->total_items = 0;
	p->on = isatty(STDERR_FILENO);
	p->total_bytes = total_bytes;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

double
progress_elapsed(const struct progress *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return seconds_between(&p->start, &now);
}

void
progress_update(struct progress *p, unsigned long long rows,
    unsigned long long bytes)
{
	struct timespec now;
	double elapsed, rate, eta;

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (seconds_between(&p->last, &now) < PROGRESS_INTERVAL_SEC)
		return;
	p->last = now;
	elapsed = seconds_between(&p->start, &now);
	fprintf(stderr, "\r\033[K%s: ", p->label);
	if (p->total_bytes > 0)
		fprintf(stderr, "%3.0f%%, ", 100.0 * (double)bytes /
		    (double)p->total_bytes);
	rate = elapsed > 0 ? (double)rows / elapsed : 0.0;
	if (p->total_items > 0)
		fprintf(stderr, "%llu of %llu ", rows, p->total_items);
	else
		fprintf(stderr, "%llu ", rows);
	fprintf(stderr, "%s, %.0f %s/s", p->unit, rate, p->unit);
	if (p->total_items > rows && rate > 0) {
		eta = (double)(p->total_items - rows) / rate;
		fprintf(stderr, ", %d:%02d left", (int)(eta / 60),
		    (int)eta % 60);
	}
}

void
progress_done(struct progress *p)
{
	if (p->on)
		fputs("\r\033[K", stderr);
}
