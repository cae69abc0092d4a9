/*
 * page: the web pages of tocsin web, Mustache templates rendered with
 * HTML escaping by the same engine as alerts. Each page NAME is
 * NAME.page, and its partials ({{> head}}) are pages too; they come from
 * the [web] templates directory when the group writes its own, else from
 * the copies of templates/web/ compiled in. Compiled once, on first use.
 */
#ifndef TOCSIN_PAGE_H
#define TOCSIN_PAGE_H

#include <stddef.h>

#include "buf.h"
#include "mval.h"

struct page_source {
	const char	*name;		/* "petition.page", "tocsin.css" */
	const char	*text;
};

/* Defined in the generated build/gen/pages.c. */
extern const struct page_source page_sources[];
extern const size_t page_sources_count;

struct pages;

/* Pages from `dir` (NULL or "": the built-in ones only). */
struct pages	*pages_new(const char *dir);
void		 pages_free(struct pages *pg);

/*
 * Renders page `name` ("unsubscribe") with `data`, appending to `out`.
 * 0, or -1 logged (a page that does not compile, or too large).
 */
int	page_render(struct pages *pg, const char *name, const struct mval *data,
	    struct buf *out);

/* A file served as it is ("tocsin.css"): its text, or NULL. */
const char *page_file(struct pages *pg, const char *name, size_t *len);

#endif
