/*
 * tocsin-segment: how many of a list a segment is, and who, before any
 * blast is made: the same conditions as blast create (segment.h).
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "log.h"
#include "list.h"
#include "segment.h"

static const char usage[] =
    "usage: tocsin segment count LIST [conditions]\n"
    "\n"
    "Prints how many subscribed, unsuppressed members of LIST the\n"
    "conditions pick, and the first few addresses, changing nothing. The\n"
    "conditions are those of tocsin blast create:\n"
    SEGMENT_USAGE;

static int
segment_count_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS, SEGMENT_LONGOPTS,
	    { 0, 0, 0, 0 } };
	char sample[SEGMENT_SAMPLE][255];
	struct list list = { 0 };
	struct segment seg;
	struct buf words;
	long long n;
	size_t i, nsample;
	int ch, r;

	memset(&seg, 0, sizeof(seg));
	while ((ch = cli_next_option(cli, argc, argv, "c:d:vh", opts)) != -1) {
		r = segment_option(&seg, ch, optarg);
		if (r == 0)
			return cli_usage_error("unknown option");
		if (r != 1)
			return r;
	}
	if (argc - optind != 1)
		return cli_usage_error("segment count takes a LIST");
	if (cli_open(cli, DB_EXISTING) == -1 ||
	    list_get(&cli->db, argv[optind], &list) != 1)
		return fail_exit_code();
	seg.list_id = list.id;
	buf_init(&words, SEGMENT_WORDS_MAX);
	if (segment_finish(&cli->db, &seg) == 0 &&
	    segment_count(&cli->db, &seg, &n, sample, &nsample) == 0) {
		(void)buf_printf(&words, "subscribed members of '%s'",
		    list.name);
		segment_describe(&seg, &words);
		if (words.failed)
			BUG("a segment's words outgrew SEGMENT_WORDS_MAX");
		printf("%lld %s: %s\n", n, n == 1 ? "person" : "people",
		    buf_cstr(&words));
		for (i = 0; i < nsample; i++)
			printf("  %s\n", sample[i]);
		if ((long long)nsample < n)
			printf("  ... and %lld more\n", n - (long long)nsample);
	}
	buf_release(&words);
	list_release(&list);
	return fail_exit_code();
}

int
main(int argc, char **argv)
{
	static const struct cli_command commands[] = {
		{ "count", segment_count_cmd },
		{ NULL, NULL },
	};

	return cli_main(argc, argv, "tocsin-segment", usage, commands);
}
