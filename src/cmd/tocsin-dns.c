/*
 * tocsin-dns: the DNS records a group must publish (SPF, DKIM, DMARC,
 * MX) and what DMARC's alignment makes of them; with --check, whether
 * DNS serves them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "addr.h"
#include "cli.h"
#include "compose.h"
#include "dkim.h"
#include "dnsrec.h"
#include "log.h"
#include "out.h"
#include "xalloc.h"

static const char usage[] =
    "usage: tocsin dns [-c FILE] [-d DB] [--check]\n"
    "\n"
    "Prints the records to publish for the config's domains and the\n"
    "From domains of the database's lists: SPF for the envelope\n"
    "(bounce) domain, the DKIM keys, DMARC (p=none to start), the MX\n"
    "bounces and replies need, and whether DMARC will find DKIM and SPF\n"
    "aligned.\n"
    "\n"
    "  --check   look each record up ([dns] server, else the system's\n"
    "            resolver) and say which are missing or wrong; exits 0\n"
    "            when all are right, 75 when one is not (publish it and\n"
    "            run again: DNS takes time), 69 when no server answers\n";

/* The domains of the lists' From addresses (the database's, if any). */
static size_t
from_domains(struct cli *cli, char from[][DNSREC_NAME_MAX + 1],
    size_t max)
{
	char name[ADDR_NAME_MAX + 1], addr[ADDR_MAX_LEN + 1];
	sqlite3_stmt *st;
	const char *why, *domain;
	size_t n = 0;

	st = db_prepare(&cli->db, "SELECT DISTINCT from_addr FROM lists "
	    "WHERE removed_at IS NULL ORDER BY id");
	while (n < max && db_step_row(&cli->db, st,
	    "cannot read the lists") == 1) {
		if (addr_parse_mailbox(db_column_text(st, 0), name, addr,
		    &why) == -1 || (domain = addr_domain(addr)) == NULL)
			continue;
		snprintf(from[n++], DNSREC_NAME_MAX + 1, "%s", domain);
	}
	sqlite3_finalize(st);
	return n;
}

static const char *
state_name(enum dnsrec_state s)
{
	return s == DNSREC_OK ? "ok" : s == DNSREC_MISSING ? "missing" :
	    "wrong";
}

/* One line a record: state, kind, name, then what is there or wanted. */
static int
print_check(const struct dnsrec_set *s)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < s->n; i++) {
		const struct dnsrec *r = &s->rec[i];
		char found[204];
		size_t k;

		/* What DNS says is a stranger's text: shown safe, one line. */
		snprintf(found, sizeof(found), "%.200s%s", r->found,
		    strlen(r->found) > 200 ? "..." : "");
		for (k = 0; found[k] != '\0'; k++)
			if (found[k] == '\n')
				found[k] = '|';
		printf("%-7s %-5s %s: ", state_name(r->state),
		    dnsrec_kind_name(r->kind), r->name);
		if (r->state == DNSREC_MISSING)
			printf("publish \"%s\"", r->want);
		else {
			printf("\"");
			out_safe(found);
			printf("\"");
		}
		if (r->note != NULL)
			printf(" (%s)", r->note);
		printf("\n");
		bad += r->state != DNSREC_OK;
	}
	return bad;
}

static int
dns(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "check", no_argument, NULL, 'C' }, { 0, 0, 0, 0 } };
	char from[DNSREC_FROM_MAX][DNSREC_NAME_MAX + 1];
	const char *fromp[DNSREC_FROM_MAX];
	struct dnsrec_set *s;
	struct dkim d;
	size_t n = 0, i;
	int ch, check = 0, r;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 'C')
			check = 1;
		else
			return cli_usage_error("unknown option for 'dns'");
	}
	if (optind != argc)
		return cli_usage_error("dns takes no arguments");
	if (cli_open(cli, DB_EXISTING) == -1)
		return fail_exit_code();
	n = from_domains(cli, from, DNSREC_FROM_MAX);
	if (dkim_init(&d, &cli->conf) == -1)
		return fail_exit_code();
	for (i = 0; i < n; i++)
		fromp[i] = from[i];
	s = xcalloc(1, sizeof(*s));
	r = dnsrec_want(s, &cli->conf, &d, fromp, n);
	dkim_release(&d);
	if (r == 0 && !check)
		dnsrec_print(s);
	else if (r == 0 && dnsrec_check(s, &cli->conf) == 0)
		r = print_check(s) > 0 ? EX_TEMPFAIL : 0;
	else
		r = fail_exit_code();
	free(s);
	return r == -1 ? fail_exit_code() : r;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	int r;

	cli_init(&cli, "tocsin-dns", usage);
	r = dns(&cli, argc, argv);
	cli_release(&cli);
	if (fflush(stdout) != 0 && r == 0)
		r = EX_IOERR;
	return r;
}
