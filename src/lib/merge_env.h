/*
 * merge_env: the partial cache shared by the files of the merge module
 * (merge.c compiles, merge_render.c renders and lints). Not for others.
 */
#ifndef TOCSIN_MERGE_ENV_H
#define TOCSIN_MERGE_ENV_H

#include "merge.h"

struct merge_partial {
	char			*name;
	char			*indent;
	char			*raw;		/* the source as loaded */
	size_t			 raw_len;
	struct mtemplate	 tmpl;
	int			 found;
};

struct merge_env {
	struct merge_loader	 loader;
	struct merge_partial	**partials;
	size_t			 count;
};

/* Returned by merge_env_partial for a partial that does not compile. */
#define MERGE_PARTIAL_BROKEN ((const struct mtemplate *)-1)

/*
 * The compiled partial NAME for this indentation, compiling it on first
 * use. NULL if the loader has no such partial (which renders as
 * nothing), MERGE_PARTIAL_BROKEN with *err set if it does not compile.
 */
const struct mtemplate *merge_env_partial(struct merge_env *env,
	    const char *name, size_t len, const char *indent, size_t ilen,
	    struct merge_error *err);

#endif
