/* page: the pages of tocsin web (see page.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsx.h"
#include "log.h"
#include "merge.h"
#include "page.h"
#include "xalloc.h"

#define PAGES_MAX	32
#define PAGE_FILE_MAX	(256 * 1024)

struct compiled {
	char		 name[64];
	struct mtemplate t;
	int		 ok;
};

struct file {
	char		 name[64];
	char		*text;
	size_t		 len;
};

struct pages {
	char		*dir;		/* with its '/', or NULL */
	struct merge_env *env;
	struct compiled	 compiled[PAGES_MAX];
	size_t		 ncompiled;
	struct file	 files[PAGES_MAX];
	size_t		 nfiles;
};

/* The text of NAME (a file name), from the directory or built in. */
static char *
source_of(const struct pages *pg, const char *name, size_t *len)
{
	char path[4096];
	char *s;
	size_t i;
	int n;

	if (pg->dir != NULL) {
		n = snprintf(path, sizeof(path), "%s%s", pg->dir, name);
		if (n > 0 && (size_t)n < sizeof(path)) {
			s = fsx_read(path, MERGE_SOURCE_MAX, len);
			if (s != NULL)
				return s;
			if (errno != ENOENT)
				log_warn("cannot read the page '%s'", path);
		}
	}
	for (i = 0; i < page_sources_count; i++)
		if (strcmp(page_sources[i].name, name) == 0) {
			*len = strlen(page_sources[i].text);
			return xstrndup(page_sources[i].text, *len);
		}
	return NULL;
}

static char *
load_partial(void *arg, const char *name, size_t len, size_t *outlen)
{
	char file[80];

	/* A partial is one plain name: no path can leave the directory. */
	if (!fsx_is_plain_name(name, len) || name[0] == '.' || len > 60)
		return NULL;
	snprintf(file, sizeof(file), "%.*s.page", (int)len, name);
	return source_of(arg, file, outlen);
}

struct pages *
pages_new(const char *dir)
{
	struct pages *pg = xcalloc(1, sizeof(*pg));
	struct merge_loader loader = { load_partial, pg };
	size_t n;

	if (dir != NULL && dir[0] != '\0') {
		n = strlen(dir);
		pg->dir = xreallocarray(NULL, n + 2, 1);
		memcpy(pg->dir, dir, n);
		if (dir[n - 1] != '/')
			pg->dir[n++] = '/';
		pg->dir[n] = '\0';
	}
	pg->env = merge_env_new(&loader);
	return pg;
}

void
pages_free(struct pages *pg)
{
	size_t i;

	if (pg == NULL)
		return;
	for (i = 0; i < pg->ncompiled; i++)
		merge_release(&pg->compiled[i].t);
	for (i = 0; i < pg->nfiles; i++)
		free(pg->files[i].text);
	merge_env_free(pg->env);
	free(pg->dir);
	free(pg);
}

static struct compiled *
compiled(struct pages *pg, const char *name)
{
	struct merge_error err;
	struct compiled *c;
	char file[80];
	char *src;
	size_t i, len;

	for (i = 0; i < pg->ncompiled; i++)
		if (strcmp(pg->compiled[i].name, name) == 0)
			return pg->compiled[i].ok ? &pg->compiled[i] : NULL;
	if (pg->ncompiled == PAGES_MAX)
		BUG("more pages than PAGES_MAX");
	c = &pg->compiled[pg->ncompiled++];
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(file, sizeof(file), "%s.page", name);
	src = source_of(pg, file, &len);
	if (src == NULL) {
		log_warnx("no page '%s'", file);
		return NULL;
	}
	c->ok = merge_compile(&c->t, pg->env, src, len, &err) == 0;
	if (!c->ok)
		log_warnx("%s%s:%u:%u: %s",
		    err.partial[0] != '\0' ? err.partial :
		    file, err.partial[0] != '\0' ? ".page" : "", err.line,
		    err.col, err.what);
	free(src);
	return c->ok ? c : NULL;
}

int
page_render(struct pages *pg, const char *name, const struct mval *data,
    struct buf *out)
{
	struct compiled *c = compiled(pg, name);
	struct merge_error err;

	if (c == NULL)
		return -1;
	if (merge_render(&c->t, data, 1, out, &err) == -1) {
		log_warnx("page '%s': %s", name, err.what);
		return -1;
	}
	return 0;
}

const char *
page_file(struct pages *pg, const char *name, size_t *len)
{
	struct file *f;
	size_t i;

	for (i = 0; i < pg->nfiles; i++)
		if (strcmp(pg->files[i].name, name) == 0) {
			*len = pg->files[i].len;
			return pg->files[i].text;
		}
	if (pg->nfiles == PAGES_MAX)
		return NULL;
	f = &pg->files[pg->nfiles];
	f->text = source_of(pg, name, &f->len);
	if (f->text == NULL || f->len > PAGE_FILE_MAX) {
		free(f->text);
		return NULL;
	}
	snprintf(f->name, sizeof(f->name), "%s", name);
	pg->nfiles++;
	*len = f->len;
	return f->text;
}
