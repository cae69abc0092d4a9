/*
 * tocsin-classify: says what each message file is, offline, as TSV:
 * file, kind, recipient, reason, status, hard. One row per recipient
 * (a bounce may name several), and one row with empty fields when the
 * message names nobody. Needs no config and no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "classify.h"
#include "cli.h"
#include "fsx.h"
#include "log.h"
#include "out.h"

#define MESSAGE_MAX	(64 * 1024 * 1024)

static const char usage[] =
    "usage: tocsin classify [--format tsv|csv] FILE...\n"
    "\n"
    "Reads each message FILE (RFC 5322, as in a Maildir) and prints what it\n"
    "is, with a header row: file, kind, recipient, reason, status, hard.\n"
    "kind: bounce, complaint, autoreply, unsubscribe, sign, reply, unknown.\n"
    "reason: Sisimai's vocabulary (userunknown, mailboxfull, ...); status:\n"
    "the enhanced code when known; hard: 1, 0, or - when not a failure.\n"
    "A file that cannot be read is reported and the others go on (exit 66).\n"
    "\n"
    "  --format tsv|csv   output format (default tsv)\n";

static void
print_rows(struct out *o, const char *file, const struct classify *c)
{
	const char *row[6];
	size_t i;

	row[0] = file;
	row[1] = classify_kind_name(c->kind);
	if (c->nrcpt == 0) {
		row[2] = row[3] = row[4] = "";
		row[5] = "-";
		out_row(o, row);
		return;
	}
	for (i = 0; i < c->nrcpt; i++) {
		const struct classify_rcpt *r = &c->rcpt[i];

		row[2] = r->addr;
		row[3] = r->reason != NULL ? r->reason : "";
		row[4] = r->status;
		row[5] = r->hard < 0 ? "-" : r->hard ? "1" : "0";
		out_row(o, row);
	}
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "format", required_argument, NULL, 'f' }, { 0, 0, 0, 0 } };
	static const char *headers[] = { "file", "kind", "recipient",
	    "reason", "status", "hard" };
	enum out_format format = OUT_TSV;
	struct classify c;
	struct cli cli;
	struct out o;
	int ch, code = 0;

	cli_init(&cli, "tocsin-classify", usage);
	for (;;) {
		ch = getopt_long(argc, argv, "c:d:vh", opts, NULL);
		if (ch == -1)
			break;
		if (cli_option(&cli, ch, optarg))
			continue;
		if (ch != 'f' || out_format_parse(optarg, &format) == -1)
			return cli_usage_error("unknown option or format");
	}
	if (optind == argc)
		return cli_usage_error("classify takes one or more FILEs");
	out_begin(&o, format, 6, headers);
	for (; optind < argc; optind++) {
		const char *path = argv[optind];
		size_t len;
		char *msg = fsx_read(path, MESSAGE_MAX, &len);

		if (msg == NULL) {
			log_warn("cannot read '%s'", path);
			code = EX_NOINPUT;
			continue;
		}
		classify_message(msg, len, &c);
		print_rows(&o, path, &c);
		free(msg);
	}
	if (out_end(&o) == -1)
		code = EX_IOERR;
	cli_release(&cli);
	return code;
}
