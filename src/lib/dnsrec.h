/*
 * dnsrec: the DNS records a group must publish for its mail to be
 * delivered and its bounces and replies to come back (SPF for the
 * envelope domain, the DKIM keys, DMARC for each From domain, MX for
 * the bounce and reply domains), what DMARC's alignment will make of
 * them, and whether DNS serves them, asked with ldns (Debian's
 * libldns). Organisational domains come from libpsl's public suffix
 * list.
 */
#ifndef TOCSIN_DNSREC_H
#define TOCSIN_DNSREC_H

#include <stddef.h>

#include "conf.h"
#include "dkim.h"

#define DNSREC_MAX		32
#define DNSREC_FROM_MAX		16
#define DNSREC_NAME_MAX		255
#define DNSREC_TEXT_MAX		2048

enum dnsrec_kind {
	DNSREC_SPF,
	DNSREC_DKIM,
	DNSREC_DMARC,
	DNSREC_MX,
};

enum dnsrec_state {
	DNSREC_UNCHECKED,
	DNSREC_OK,
	DNSREC_MISSING,
	DNSREC_WRONG,
};

struct dnsrec {
	enum dnsrec_kind	 kind;
	char			 name[DNSREC_NAME_MAX + 80];	/* no dot */
	char			 want[DNSREC_TEXT_MAX];	/* to publish */
	const char		*about;		/* what it is for */
	enum dnsrec_state	 state;
	/* what DNS said */
	char			 found[DNSREC_TEXT_MAX];
	const char		*note;		/* what is wrong, or to know */
};

struct dnsrec_set {
	struct dnsrec	 rec[DNSREC_MAX];
	size_t		 n;
	/* The From domains (the lists' and [sender] domain), for DMARC. */
	char		 from[DNSREC_FROM_MAX][DNSREC_NAME_MAX + 1];
	size_t		 nfrom;
	char		 dkim_domain[DNSREC_NAME_MAX + 1];	/* or "" */
	char		 bounce_domain[DNSREC_NAME_MAX + 1];
};

/*
 * The records for the config and the From domains given (the lists'):
 * 0, or -1 logged (a config without [sender] domain or bounce_domain).
 */
int	dnsrec_want(struct dnsrec_set *s, const struct conf *c,
	    const struct dkim *d, const char *const *from, size_t nfrom);

/* Prints the records in zone-file form, then DMARC's alignment. */
void	dnsrec_print(const struct dnsrec_set *s);

/*
 * Looks every record up, through [dns] server if set, else the system's
 * resolver, and sets each state and found. 0, or -1 when no DNS server
 * answers (logged, FAIL_TEMP).
 */
int	dnsrec_check(struct dnsrec_set *s, const struct conf *c);

/* "SPF", "DKIM", "DMARC", "MX" */
const char *dnsrec_kind_name(enum dnsrec_kind k);

#endif
