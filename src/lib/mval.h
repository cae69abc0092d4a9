/*
 * mval: the values a template is merged with: null, booleans, numbers,
 * strings, lists and objects, as JSON has them. Strings and member keys
 * are borrowed, never copied, so per-recipient data costs no allocation:
 * the sender points a few members at this recipient's strings and
 * renders. mval_doc builds a tree from JSON text (tocsin merge, tests).
 */
#ifndef TOCSIN_MVAL_H
#define TOCSIN_MVAL_H

#include <stddef.h>

enum mval_type {
	MVAL_NULL = 0,
	MVAL_FALSE,
	MVAL_TRUE,
	MVAL_NUMBER,	/* str holds its text, as it is printed */
	MVAL_STRING,
	MVAL_LIST,
	MVAL_OBJECT,
};

struct mval {
	enum mval_type		 type;
	const char		*key;	/* NUL-terminated, for object members */
	const char		*str;	/* NUMBER and STRING */
	size_t			 len;
	const struct mval	*items;	/* LIST items, OBJECT members */
	size_t			 count;
};

/* Builders for C callers: the strings must outlive the value. */
struct mval mval_string(const char *key, const char *s);
struct mval mval_object(const char *key, const struct mval *members,
	    size_t count);
struct mval mval_list(const char *key, const struct mval *items,
	    size_t count);

/* The member `name` (len bytes, not NUL-terminated) of an object. */
const struct mval *mval_member(const struct mval *obj, const char *name,
	    size_t len);
/* Falsey: missing, null, false, an empty string or an empty list. */
int	mval_is_truthy(const struct mval *v);

/* A tree parsed from JSON, owning everything it points to. */
struct mval_doc {
	struct mval	 root;
	void		*json;		/* the cJSON tree */
	void		**blocks;	/* arrays and number texts */
	size_t		 nblocks;
};

/* Parses JSON text. Returns 0, or -1 with *why set. */
int	mval_doc_parse(struct mval_doc *doc, const char *text, size_t len,
	    const char **why);
void	mval_doc_release(struct mval_doc *doc);

#endif
