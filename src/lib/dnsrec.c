/* dnsrec: the records to publish, and whether DNS has them (dnsrec.h). */
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ldns/ldns.h>
#include <libpsl.h>

#include "buf.h"
#include "dnsrec.h"
#include "log.h"
#include "smtp.h"

/* The organisational domain of `domain` (the public suffix list's
 * registrable domain), or `domain` itself. */
static const char *
dnsrec_org_domain(const char *domain)
{
	const psl_ctx_t *psl = psl_builtin();
	const char *org = psl != NULL ? psl_registrable_domain(psl, domain) :
	    NULL;

	return org != NULL ? org : domain;
}

/* The host of "smtp://host:port/..." (or "[v6]"), in `out`. */
static void
url_host(const char *url, char *out, size_t outsize)
{
	const char *p = strstr(url, "://"), *end;

	p = p != NULL ? p + 3 : url;
	if (*p == '[') {
		end = strchr(++p, ']');
	} else
		end = p + strcspn(p, ":/ ,");
	if (end == NULL)
		end = p + strlen(p);
	snprintf(out, outsize, "%.*s", (int)(end - p), p);
}

/* This machine's name as DNS knows it, for a relay on loopback. */
static void
own_name(char *out, size_t outsize)
{
	struct addrinfo hints, *ai = NULL;
	char host[256];

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "THIS-SERVER");
	host[sizeof(host) - 1] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(host, NULL, &hints, &ai) == 0 && ai != NULL &&
	    ai->ai_canonname != NULL)
		snprintf(out, outsize, "%s", ai->ai_canonname);
	else
		snprintf(out, outsize, "%s", host);
	if (ai != NULL)
		freeaddrinfo(ai);
}

static struct dnsrec *
add(struct dnsrec_set *s, enum dnsrec_kind kind, const char *name,
    const char *about)
{
	struct dnsrec *r;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->rec[i].kind == kind && strcasecmp(s->rec[i].name,
		    name) == 0)
			return NULL;	/* one is enough */
	if (s->n == DNSREC_MAX)
		return NULL;
	r = &s->rec[s->n++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->about = about;
	return r;
}

static void
want_spf(struct dnsrec_set *s, const struct conf *c)
{
	char relay[1024], host[256];
	const char *u;
	struct dnsrec *r;

	r = add(s, DNSREC_SPF, c->bounce_domain, "SPF: who may send mail "
	    "with the envelope (bounce) domain; name your relay's outgoing "
	    "servers (a provider gives an include:)");
	if (r == NULL)
		return;
	/* the first relay names the servers mail leaves from */
	u = conf_or(c->smtp_url, "");
	if (smtp_next_relay(&u, relay, sizeof(relay)) != 1)
		snprintf(relay, sizeof(relay), "smtp://127.0.0.1");
	if (smtp_url_is_loopback(relay))
		own_name(host, sizeof(host));	/* mail leaves from here */
	else
		url_host(relay, host, sizeof(host));
	snprintf(r->want, sizeof(r->want), "v=spf1 a:%s -all", host);
}

static void
want_dkim(struct dnsrec_set *s, const struct dkim *d)
{
	char name[DNSREC_NAME_MAX + 80];
	struct dnsrec *r;
	struct buf txt;
	size_t i;

	for (i = 0; i < d->nkeys; i++) {
		snprintf(name, sizeof(name), "%s._domainkey.%s",
		    d->keys[i].selector, d->domain);
		r = add(s, DNSREC_DKIM, name, "DKIM: the key tocsin "
		    "signs with");
		if (r == NULL)
			continue;
		buf_init(&txt, sizeof(r->want) - 1);
		if (dkim_dns_record(&d->keys[i], &txt) == 0)
			snprintf(r->want, sizeof(r->want), "%s", txt.data);
		buf_release(&txt);
	}
}

static void
want_dmarc(struct dnsrec_set *s)
{
	char name[DNSREC_NAME_MAX + 80];
	struct dnsrec *r;
	const char *org;
	size_t i;

	for (i = 0; i < s->nfrom; i++) {
		org = dnsrec_org_domain(s->from[i]);
		snprintf(name, sizeof(name), "_dmarc.%s", org);
		r = add(s, DNSREC_DMARC, name, "DMARC: what receivers do with "
		    "mail From this domain that fails; p=none to start, "
		    "reports to rua=");
		if (r != NULL)
			snprintf(r->want, sizeof(r->want), "v=DMARC1; p=none; "
			    "rua=mailto:dmarc-reports@%s", org);
	}
}

static void
want_mx(struct dnsrec_set *s, const struct conf *c)
{
	char host[256];
	struct dnsrec *r;
	const char *domains[2] = { c->bounce_domain, c->domain };
	size_t i;

	if (c->imap_url != NULL)
		url_host(c->imap_url, host, sizeof(host));
	else
		snprintf(host, sizeof(host), "YOUR-MAIL-SERVER");
	for (i = 0; i < 2; i++) {
		r = add(s, DNSREC_MX, domains[i], "MX: bounces, replies and "
		    "unsubscribe+ and sign+ mail must reach the mailbox "
		    "tocsin inbox reads");
		if (r != NULL)
			snprintf(r->want, sizeof(r->want), "10 %s.", host);
	}
}

static void
add_from(struct dnsrec_set *s, const char *domain)
{
	size_t i;

	for (i = 0; i < s->nfrom; i++)
		if (strcasecmp(s->from[i], domain) == 0)
			return;
	if (s->nfrom < DNSREC_FROM_MAX)
		snprintf(s->from[s->nfrom++], sizeof(s->from[0]), "%s", domain);
}

int
dnsrec_want(struct dnsrec_set *s, const struct conf *c,
    const struct dkim *d, const char *const *from, size_t nfrom)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	if (c->domain == NULL || c->bounce_domain == NULL) {
		log_warnx("%s: [sender] domain and bounce_domain are needed to "
		    "say which records to publish", conf_or(c->path,
		    "(no config)"));
		fail_set(FAIL_CONFIG);
		return -1;
	}
	snprintf(s->bounce_domain, sizeof(s->bounce_domain), "%s",
	    c->bounce_domain);
	if (d->nkeys > 0)
		snprintf(s->dkim_domain, sizeof(s->dkim_domain), "%s",
		    d->domain);
	add_from(s, c->domain);
	for (i = 0; i < nfrom; i++)
		add_from(s, from[i]);
	want_spf(s, c);
	want_dkim(s, d);
	want_dmarc(s);
	want_mx(s, c);
	return 0;
}

const char *
dnsrec_kind_name(enum dnsrec_kind k)
{
	static const char *names[] = { "SPF", "DKIM", "DMARC", "MX" };

	return names[k];
}

/* "NAME. IN TXT ( "..." )" with strings of at most 250 bytes. */
static void
print_record(const struct dnsrec *r)
{
	size_t n = strlen(r->want), i;

	if (r->kind == DNSREC_MX) {
		printf("%s. IN MX %s\n", r->name, r->want);
		return;
	}
	if (n <= 250) {
		printf("%s. IN TXT \"%s\"\n", r->name, r->want);
		return;
	}
	printf("%s. IN TXT (", r->name);
	for (i = 0; i < n; i += 250)
		printf("\n    \"%.*s\"", (int)(n - i < 250 ? n - i : 250),
		    r->want + i);
	printf(" )\n");
}

/* strict: the same domain; relaxed: the same organisational domain */
static const char *
alignment(const char *a, const char *from)
{
	char org[DNSREC_NAME_MAX + 1];

	if (a[0] == '\0')
		return "none";
	if (strcasecmp(a, from) == 0)
		return "aligned (the same domain)";
	snprintf(org, sizeof(org), "%s", dnsrec_org_domain(a));
	if (strcasecmp(org, dnsrec_org_domain(from)) == 0)
		return "aligned (relaxed: the same organisational domain)";
	return "NOT aligned";
}

void
dnsrec_print(const struct dnsrec_set *s)
{
	enum dnsrec_kind last = DNSREC_MX;
	size_t i;
	int first = 1;

	for (i = 0; i < s->n; i++) {
		if (first || s->rec[i].kind != last)
			printf("%s; %s\n", first ? "" : "\n", s->rec[i].about);
		first = 0;
		last = s->rec[i].kind;
		print_record(&s->rec[i]);
	}
	if (s->dkim_domain[0] == '\0')
		printf("\n; no DKIM key: tocsin signs nothing ('tocsin dkim "
		    "keygen' makes one)\n");
	for (i = 0; i < s->nfrom; i++) {
		printf("\n; DMARC for From %s:\n;   DKIM d=%s: %s\n"
		    ";   SPF, envelope %s: %s\n", s->from[i],
		    s->dkim_domain[0] != '\0' ? s->dkim_domain : "(none)",
		    alignment(s->dkim_domain, s->from[i]), s->bounce_domain,
		    alignment(s->bounce_domain, s->from[i]));
	}
}

/* Two tries of two seconds: a check that hangs helps nobody. */
static ldns_resolver *
with_timeout(ldns_resolver *r)
{
	struct timeval tv = { 2, 0 };

	ldns_resolver_set_timeout(r, tv);
	ldns_resolver_set_retry(r, 2);
	return r;
}

/* [dns] server: "ADDRESS" or "ADDRESS:PORT" ("[v6]:PORT"). */
static ldns_resolver *
resolver(const struct conf *c)
{
	char addr[64];
	const char *colon;
	ldns_resolver *r = NULL;
	ldns_rdf *ns;
	char *end;
	long port = 53;

	if (c->dns_server == NULL)
		return ldns_resolver_new_frm_file(&r, NULL) == LDNS_STATUS_OK ?
		    with_timeout(r) : NULL;
	colon = strrchr(c->dns_server, ':');
	if (c->dns_server[0] == '[') {
		snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(
		    c->dns_server + 1, "]"), c->dns_server + 1);
		colon = strstr(c->dns_server, "]:");
		colon = colon != NULL ? colon + 1 : NULL;
	} else if (colon != NULL && strchr(c->dns_server, ':') == colon)
		snprintf(addr, sizeof(addr), "%.*s",
		    (int)(colon - c->dns_server), c->dns_server);
	else {
		snprintf(addr, sizeof(addr), "%s", c->dns_server);
		colon = NULL;
	}
	if (colon != NULL) {
		port = strtol(colon + 1, &end, 10);
		if (end == colon + 1 || *end != '\0')
			port = 0;	/* refused below */
	}
	ns = ldns_rdf_new_frm_str(strchr(addr, ':') != NULL ?
	    LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, addr);
	if (ns == NULL || port < 1 || port > 65535) {
		ldns_rdf_deep_free(ns);
		log_warnx("%s: [dns] server is an IP address and an optional "
		    ":PORT, not '%s'", conf_or(c->path, "(defaults)"),
		    c->dns_server);
		fail_set(FAIL_CONFIG);
		return NULL;
	}
	r = ldns_resolver_new();
	ldns_resolver_push_nameserver(r, ns);
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_port(r, (uint16_t)port);
	ldns_resolver_set_recursive(r, true);
	return with_timeout(r);
}

/*
 * The answers of type `type` for `name`, each as text (a TXT record's
 * strings joined; an MX as "PREF HOST."), '\n' between them, in `out`.
 * 1 with answers, 0 without, -1 if no server answered.
 */
static int
lookup(ldns_resolver *res, const char *name, ldns_rr_type type, char *out,
    size_t outsize)
{
	ldns_rdf *dname = ldns_dname_new_frm_str(name);
	ldns_rr_list *rrs = NULL;
	ldns_pkt *pkt;
	size_t i, k, n = 0;
	int found = 0;

	out[0] = '\0';
	if (dname == NULL)
		return 0;
	pkt = ldns_resolver_query(res, dname, type, LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_rdf_deep_free(dname);
	if (pkt == NULL)
		return -1;
	rrs = ldns_pkt_rr_list_by_type(pkt, type, LDNS_SECTION_ANSWER);
	for (i = 0; rrs != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		if (found && n + 1 < outsize)
			out[n++] = '\n';
		found = 1;
		for (k = 0; k < ldns_rr_rd_count(rr); k++) {
			ldns_rdf *rdf = ldns_rr_rdf(rr, k);
			char *text;

			if (type == LDNS_RR_TYPE_TXT) {
				const uint8_t *d = ldns_rdf_data(rdf);
				size_t len = ldns_rdf_size(rdf) > 0 ? d[0] : 0;

				if (len >= outsize - n)
					len = outsize - n - 1;
				memcpy(out + n, d + 1, len);
				n += len;
				continue;
			}
			text = ldns_rdf2str(rdf);
			n += (size_t)snprintf(out + n, outsize - n, "%s%s",
			    k > 0 ? " " : "", text != NULL ? text : "?");
			free(text);
			if (n >= outsize)
				n = outsize - 1;
		}
		out[n] = '\0';
	}
	ldns_rr_list_deep_free(rrs);
	ldns_pkt_free(pkt);
	return found;
}

/* The value of tag `tag` in "v=DKIM1; k=rsa; p=..." without spaces. */
static void
tag_value(const char *rec, const char *tag, char *out, size_t outsize)
{
	size_t n = strlen(tag), k = 0;
	const char *p = rec;

	out[0] = '\0';
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (strncasecmp(p, tag, n) == 0 && p[n] == '=') {
			for (p += n + 1; *p != '\0' && *p != ';' &&
			    k + 1 < outsize; p++)
				if (!isspace((unsigned char)*p))
					out[k++] = *p;
			out[k] = '\0';
			return;
		}
		p += strcspn(p, ";");
	}
}

/* The line of `found` starting with `prefix`; NULL, and how many. */
static const char *
line_with(const char *found, const char *prefix, int *count)
{
	const char *p = found, *first = NULL;

	*count = 0;
	while (*p != '\0') {
		if (strncasecmp(p, prefix, strlen(prefix)) == 0) {
			if (first == NULL)
				first = p;
			(*count)++;
		}
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
	return first;
}

/* A qualifier for "all" that lets anyone send: "+all", "?all", "all". */
static int
lets_anyone(const char *spf)
{
	const char *p = spf;
	size_t n;

	while (*p != '\0' && *p != '\n') {
		n = strcspn(p, " \n");
		if ((n == 3 && strncasecmp(p, "all", 3) == 0) || (n == 4 &&
		    (p[0] == '+' || p[0] == '?') &&
		    strncasecmp(p + 1, "all", 3) == 0))
			return 1;
		p += n;
		while (*p == ' ')
			p++;
	}
	return 0;
}

static void
judge_spf(struct dnsrec *r)
{
	const char *spf;
	int count;

	spf = line_with(r->found, "v=spf1", &count);
	if (spf == NULL)
		r->state = DNSREC_MISSING;
	else if (count > 1) {
		r->state = DNSREC_WRONG;
		r->note = "two SPF records: receivers take neither (RFC 7208)";
	} else if (lets_anyone(spf)) {
		r->state = DNSREC_WRONG;
		r->note = "it lets anyone send as this domain";
	} else
		r->state = DNSREC_OK;
}

static void
judge_dkim(struct dnsrec *r)
{
	char want_p[DNSREC_TEXT_MAX], got_p[DNSREC_TEXT_MAX], k[32], wk[32];

	tag_value(r->want, "p", want_p, sizeof(want_p));
	tag_value(r->found, "p", got_p, sizeof(got_p));
	tag_value(r->found, "k", k, sizeof(k));
	tag_value(r->want, "k", wk, sizeof(wk));
	if (r->found[0] == '\0')
		r->state = DNSREC_MISSING;
	else if (got_p[0] == '\0') {
		r->state = DNSREC_WRONG;
		r->note = "the key is revoked (empty p=): signatures fail";
	} else if (strcmp(got_p, want_p) != 0) {
		r->state = DNSREC_WRONG;
		r->note = "another key is published: tocsin's signatures fail";
	} else if (strcasecmp(k[0] != '\0' ? k : "rsa", wk) != 0) {
		r->state = DNSREC_WRONG;
		r->note = "the key type k= is not the key's";
	} else
		r->state = DNSREC_OK;
}

static void
judge_dmarc(struct dnsrec *r)
{
	char p[32];
	const char *rec;
	int count;

	rec = line_with(r->found, "v=DMARC1", &count);
	if (rec == NULL) {
		r->state = DNSREC_MISSING;
		return;
	}
	tag_value(rec, "p", p, sizeof(p));
	if (count > 1 || p[0] == '\0') {
		r->state = DNSREC_WRONG;
		r->note = count > 1 ? "two DMARC records: receivers "
		    "take neither" : "no p= policy";
		return;
	}
	r->state = DNSREC_OK;
	r->note = strstr(rec, "rua=") == NULL ? "no rua=: nobody gets the "
	    "reports" : strcasecmp(p, "none") == 0 ? "p=none: reports only; "
	    "quarantine once they show every message aligned" : NULL;
}

int
dnsrec_check(struct dnsrec_set *s, const struct conf *c)
{
	ldns_resolver *res = resolver(c);
	size_t i;
	int r;

	if (res == NULL) {
		if (c->dns_server == NULL) {
			log_warnx("cannot read /etc/resolv.conf for a DNS "
			    "server ([dns] server names one)");
			fail_set(FAIL_CONFIG);
		}
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		struct dnsrec *rec = &s->rec[i];

		r = lookup(res, rec->name, rec->kind == DNSREC_MX ?
		    LDNS_RR_TYPE_MX : LDNS_RR_TYPE_TXT, rec->found,
		    sizeof(rec->found));
		if (r == -1) {
			log_warnx("no DNS server answered for %s: try "
			    "again later", rec->name);
			fail_set(FAIL_UNAVAILABLE);
			ldns_resolver_deep_free(res);
			return -1;
		}
		switch (rec->kind) {
		case DNSREC_SPF:
			judge_spf(rec);
			break;
		case DNSREC_DKIM:
			judge_dkim(rec);
			break;
		case DNSREC_DMARC:
			judge_dmarc(rec);
			break;
		case DNSREC_MX:
			rec->state = r == 1 ? DNSREC_OK : DNSREC_MISSING;
			break;
		}
	}
	ldns_resolver_deep_free(res);
	return 0;
}
