/*
 * slug: names that go into links and headers (list names, action slugs):
 * 1 to 64 of a-z, 0-9, '-', '_', '.'. Nothing else can reach a URL, a
 * List-Id or a file name by way of a name.
 */
#ifndef TOCSIN_SLUG_H
#define TOCSIN_SLUG_H

#define SLUG_MAX 64

/* NULL if `s` is a good slug, else why not. */
const char *slug_problem(const char *s);

#endif
