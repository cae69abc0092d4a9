/* xalloc: allocation that never returns NULL (see xalloc.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"

void *
xmalloc(size_t size)
{
	void *p;

	p = malloc(size ? size : 1);
	if (p == NULL)
		fatal("cannot allocate %zu bytes", size);
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p;

	p = calloc(count ? count : 1, size ? size : 1);
	if (p == NULL)
		fatal("cannot allocate %zu x %zu bytes", count, size);
	return p;
}

void *
xreallocarray(void *ptr, size_t count, size_t size)
{
	size_t total;
	void *p;

	if (size != 0 && count > SIZE_MAX / size)
		fatalx("allocation of %zu x %zu bytes overflows", count, size);
	total = count * size;
	p = realloc(ptr, total > 0 ? total : 1);
	if (p == NULL)
		fatal("cannot allocate %zu x %zu bytes", count, size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
