/*
 * tocsin-dkim: the keys tocsin signs with: keygen makes one and says
 * what to publish and configure; show prints the DNS records of the
 * keys the config names.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "cli.h"
#include "dkim.h"
#include "log.h"

static const char usage[] =
    "usage: tocsin dkim [-c FILE] COMMAND\n"
    "\n"
    "  keygen --selector NAME [--out FILE] [--algorithm rsa|ed25519]\n"
    "         [--domain DOMAIN]\n"
    "                  make a key (RSA 2048 by default) in a new FILE\n"
    "                  (mode 0600; by default NAME.key) and print the\n"
    "                  DNS TXT record to publish and the [dkim] lines\n"
    "                  to configure\n"
    "  show            the DNS TXT records of the configured keys\n";

static int
print_key(const struct dkim_key *k, const char *domain)
{
	struct buf txt;
	int r;

	buf_init(&txt, 4096);
	r = dkim_dns_record(k, &txt);
	if (r == 0)
		dkim_print_record(k->selector, domain, buf_cstr(&txt));
	buf_release(&txt);
	return r;
}

static int
keygen(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "selector", required_argument, NULL, 's' },
	    { "out", required_argument, NULL, 'o' },
	    { "algorithm", required_argument, NULL, 'a' },
	    { "domain", required_argument, NULL, 'D' },
	    { 0, 0, 0, 0 } };
	const char *selector = NULL, *out = NULL, *domain = NULL;
	char outname[DKIM_SELECTOR_MAX + 8];
	enum dkim_algorithm alg = DKIM_RSA_SHA256;
	struct dkim_key k;
	int ch, r;

	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		if (ch == 's')
			selector = optarg;
		else if (ch == 'o')
			out = optarg;
		else if (ch == 'D')
			domain = optarg;
		else if (ch == 'a' && strcmp(optarg, "rsa") == 0)
			alg = DKIM_RSA_SHA256;
		else if (ch == 'a' && strcmp(optarg, "ed25519") == 0)
			alg = DKIM_ED25519_SHA256;
		else if (ch == 'a')
			return cli_usage_error("--algorithm is rsa or "
			    "ed25519, not '%s'", optarg);
		else
			return cli_usage_error("unknown option for "
			    "'dkim keygen'");
	}
	if (optind != argc || selector == NULL)
		return cli_usage_error("dkim keygen takes --selector NAME");
	if (cli_load_config(cli) == -1)
		return fail_exit_code();
	domain = conf_or(domain, conf_or(cli->conf.dkim_domain,
	    cli->conf.domain));
	if (domain == NULL)
		return cli_usage_error("no domain: give --domain, or set "
		    "[sender] domain");
	if (!dkim_is_dns_name(selector, DKIM_SELECTOR_MAX))
		return cli_usage_error("--selector is a DNS name: letters, "
		    "digits, '-' and '.'");
	if (!dkim_is_dns_name(domain, 253))
		return cli_usage_error("'%.100s' is not a domain name for "
		    "DKIM (in ASCII: an IDN as its xn-- form)", domain);
	if (out == NULL) {
		snprintf(outname, sizeof(outname), "%s.key", selector);
		out = outname;
	}
	if (dkim_keygen(alg, out) == -1)
		return EX_CANTCREAT;
	r = dkim_key_load(&k, alg, out, "--out");
	if (r == -1)
		return fail_exit_code();
	snprintf(k.selector, sizeof(k.selector), "%s", selector);
	printf("wrote a new %s key to %s (mode 0600)\n\npublish this DNS "
	    "record:\n", alg == DKIM_RSA_SHA256 ? "RSA 2048" : "Ed25519",
	    out);
	r = print_key(&k, domain);
	dkim_key_release(&k);
	printf("\nand put in the config's [dkim]:\n");
	if (alg == DKIM_RSA_SHA256)
		printf("domain = %s\nselector = %s\nkey_file = %s\n", domain,
		    selector, out);
	else
		printf("ed25519_selector = %s\ned25519_key_file = %s\n",
		    selector, out);
	return r == -1 ? EX_SOFTWARE : 0;
}

static int
show(struct cli *cli, int argc, char **argv)
{
	struct dkim d;
	size_t i;
	int r;

	static const struct option opts[] = { CLI_LONGOPTS, { 0, 0, 0, 0 } };

	if (cli_next_option(cli, argc, argv, "c:d:vh", opts) != -1)
		return cli_usage_error("unknown option for 'dkim show'");
	if (optind != argc)
		return cli_usage_error("dkim show takes no arguments");
	if (cli_load_config(cli) == -1)
		return fail_exit_code();
	r = dkim_init(&d, &cli->conf);
	if (r == -1)
		return fail_exit_code();
	if (r == 0) {
		printf("no [dkim] key_file: tocsin signs nothing, and only a "
		    "relay that signs makes one-click unsubscribe count "
		    "(tocsin dkim keygen makes a key)\n");
		return 0;
	}
	for (i = 0; i < d.nkeys && r != -1; i++)
		r = print_key(&d.keys[i], d.domain);
	dkim_release(&d);
	return r == -1 ? EX_SOFTWARE : 0;
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "keygen", keygen },
		{ "show", show },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-dkim", usage, commands);
}
