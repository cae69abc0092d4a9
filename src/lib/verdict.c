/* verdict: what a message is said to be (see verdict.h). */
#include <stdio.h>
#include <string.h>

#include "verdict.h"

static const char *kind_names[] = {
	[CLASSIFY_UNKNOWN] = "unknown",
	[CLASSIFY_BOUNCE] = "bounce",
	[CLASSIFY_COMPLAINT] = "complaint",
	[CLASSIFY_AUTOREPLY] = "autoreply",
	[CLASSIFY_UNSUBSCRIBE] = "unsubscribe",
	[CLASSIFY_SIGN] = "sign",
	[CLASSIFY_REPLY] = "reply",
};

const char *
classify_kind_name(enum classify_kind kind)
{
	return kind_names[kind];
}

struct classify_rcpt *
classify_add(struct classify *c, const char *addr)
{
	struct classify_rcpt *r;
	size_t i;

	for (i = 0; i < c->nrcpt; i++)
		if (strcmp(c->rcpt[i].addr, addr) == 0)
			return NULL;
	if (c->nrcpt == CLASSIFY_RCPT_MAX)
		return NULL;
	r = &c->rcpt[c->nrcpt++];
	memset(r, 0, sizeof(*r));
	snprintf(r->addr, sizeof(r->addr), "%s", addr);
	r->hard = -1;
	return r;
}
