/*
 * xalloc: the only callers of malloc and friends. Running out of memory is
 * a temporary failure for the whole program, so these log and exit 75
 * (EX_TEMPFAIL) instead of returning NULL to every caller.
 */
#ifndef TOCSIN_XALLOC_H
#define TOCSIN_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t size);
void	*xcalloc(size_t count, size_t size);
void	*xreallocarray(void *ptr, size_t count, size_t size);
/* The returned copy belongs to the caller. */
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);

#endif
