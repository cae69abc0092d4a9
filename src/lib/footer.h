/*
 * footer: what the law asks of every message, its sender's name and
 * postal address and a working way to leave (CAN-SPAM; RFC 8058's
 * link), added at the end of any part of an alert that does not show
 * both {{unsubscribe_url}} and {{list.address}} itself.
 *
 * A footer is Mustache with the alert's data. The text part gets it as
 * rendered; the HTML part gets the same text escaped, its lines broken
 * with <br> and its http(s) URLs made links, before </body> if there is
 * one. A list's own footer must show both names (footer_problem).
 */
#ifndef TOCSIN_FOOTER_H
#define TOCSIN_FOOTER_H

#include "alert.h"
#include "merge.h"

#define FOOTER_MAX	(16 * 1024)

/* The footer of a list that has none of its own. */
extern const char footer_default[];

struct footer {
	struct merge_env	*env;
	struct mtemplate	 t;
	int			 text;	/* the text part needs it */
	int			 html;	/* the HTML part needs it */
	struct buf		 rendered;	/* kept between messages */
	struct buf		 as_html;
};

/*
 * NULL if `src` compiles and shows {{unsubscribe_url}} and
 * {{list.address}}; else why not, written to `why`.
 */
const char *footer_problem(const char *src, char *why, size_t whysize);

/*
 * Compiles the list's footer (`src`, or the default when NULL) and
 * decides which parts of `a` need it. 0, or -1 (logged, FAIL_DATA).
 */
int	footer_init(struct footer *f, const char *src, const struct alert *a);
void	footer_release(struct footer *f);

/* Adds the footer to the parts that need it. 0, or -1 (logged). */
int	footer_add(struct footer *f, const struct mval *data,
	    struct alert_output *parts);

#endif
