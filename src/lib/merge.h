/*
 * merge: the Mustache engine (the spec in shared/spec/mustache). A
 * template compiles once into a flat array of nodes and renders many
 * times, appending to a buffer and allocating nothing per variable.
 * Partials are loaded through the caller's loader and compiled on first
 * use, once for each indentation they are used with.
 */
#ifndef TOCSIN_MERGE_H
#define TOCSIN_MERGE_H

#include <stddef.h>

#include "buf.h"
#include "mval.h"

#define MERGE_DEPTH_MAX		100	/* nested sections and partials */
#define MERGE_SOURCE_MAX	(1024 * 1024)

enum mnode_kind {
	MN_TEXT,
	MN_VAR,		/* {{x}}: escaped when the render asks for it */
	MN_RAW,		/* {{{x}}} and {{& x}} */
	MN_SECTION,	/* {{#x}} */
	MN_INVERTED,	/* {{^x}} */
	MN_PARTIAL,	/* {{> x}}, {{>* x}} */
	MN_BLOCK,	/* {{$x}}: a block a parent may be given */
	MN_PARENT,	/* {{< x}}: a partial whose blocks are overridden */
};

struct mnode {
	enum mnode_kind	 kind;
	const char	*text;		/* text, or the tag's name */
	size_t		 len;
	size_t		 end;		/* sections: the node after the close */
	const char	*indent;	/* standalone partials */
	size_t		 indent_len;
	unsigned	 line;
	unsigned	 col;
	int		 dynamic;	/* {{>*name}}: the name names a name */
};

/* Where partials come from: the source of NAME, or NULL if none. */
struct merge_loader {
	char	*(*load)(void *arg, const char *name, size_t len,
		    size_t *outlen);
	void	*arg;
};

struct merge_error {
	char		partial[65];	/* the partial it is in, or "" */
	unsigned	line;
	unsigned	col;
	char		what[160];
};

struct merge_env;

struct mtemplate {
	char			*source;	/* owned */
	size_t			 source_len;
	struct mnode		*nodes;
	size_t			 count;
	size_t			 cap;
	struct merge_env	*env;		/* partials, shared */
};

/*
 * Calls `fn` once for each partial loaded so far (found, compiled), with
 * its name and its source as the loader gave it.
 */
void	merge_env_partials(const struct merge_env *env,
	    void (*fn)(void *arg, const char *name, const char *src,
	    size_t len), void *arg);

/* The partial cache and loader shared by a template and its partials. */
struct merge_env	*merge_env_new(const struct merge_loader *loader);
void	merge_env_free(struct merge_env *env);

/*
 * Compiles `source` (copied). Returns 0, or -1 with *err saying where
 * and what (an unclosed section, a mismatched close, a bad delimiter).
 */
int	merge_compile(struct mtemplate *t, struct merge_env *env,
	    const char *source, size_t len, struct merge_error *err);
void	merge_release(struct mtemplate *t);

/*
 * Renders with `data` as the context, appending to `out`. With
 * `escape_html` set, {{x}} escapes & " < >; otherwise it does not (the
 * text part of an email). Returns 0, or -1 when the output outgrows
 * `out`, partials nest too deep, or a partial does not compile (the
 * reason in *err).
 */
int	merge_render(const struct mtemplate *t, const struct mval *data,
	    int escape_html, struct buf *out, struct merge_error *err);

/*
 * Calls `unknown` for each name in the template (partials included)
 * that does not resolve against `schema`, a value shaped like the real
 * data (lists with one sample item). Returns the count, or -1.
 */
int	merge_lint(const struct mtemplate *t, const struct mval *schema,
	    void (*unknown)(void *arg, const char *name, size_t len,
	    unsigned line, unsigned col), void *arg, struct merge_error *err);

/*
 * Calls `fn` for every name a tag of the template uses (partials
 * included), wherever it stands. 0, or -1 if a partial does not compile.
 */
int	merge_names(const struct mtemplate *t, void (*fn)(void *arg,
	    const char *name, size_t len, unsigned line, unsigned col),
	    void *arg);

#endif
