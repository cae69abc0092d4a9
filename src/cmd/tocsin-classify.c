/*
 * tocsin-classify: says what each message file is, offline, as TSV:
 * file, kind, recipient, reason, status, hard. One row per recipient
 * (a bounce may name several), and one row with empty fields when the
 * message names nobody. Needs no config and no database.
 *
 * A file that is an mbox has each of its messages classified, their
 * rows one after another under the file's name.
 *
 * The files are classified by a few threads, each taking the next file,
 * and printed in the order given: a backlog of saved mail goes as fast
 * as the machine's cores allow, and the output is the same for any -j.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "classify.h"
#include "cli.h"
#include "fsx.h"
#include "log.h"
#include "mbox.h"
#include "out.h"
#include "xalloc.h"

#define MESSAGE_MAX	(64 * 1024 * 1024)
#define JOBS_MAX	64
/* Files a thread may be ahead of the printing. */
#define AHEAD		8

/* One printed row: a recipient of a message, or a message's nobody. */
struct row {
	enum classify_kind	 kind;
	char			 addr[ADDR_MAX_LEN + 1];
	enum reason		 reason;
	char			 status[CLASSIFY_STATUS_MAX];
	int			 hard;		/* 1, 0, or -1: "-" */
};

/* One file's slot, reused every `window` files. */
struct slot {
	struct classify	 c;		/* each message's, in turn */
	struct row	*rows;		/* all the file's messages' */
	size_t		 nrows, cap;
	int		 state;		/* EMPTY, DONE or UNREADABLE */
	int		 error;		/* errno of a file not read */
};

enum { EMPTY, DONE, UNREADABLE };

struct pool {
	char		**files;
	size_t		 nfiles;
	size_t		 next;		/* the next file to take */
	size_t		 printed;	/* files printed so far */
	size_t		 window;	/* slots */
	struct slot	*slots;
	pthread_mutex_t	 lock;
	pthread_cond_t	 done;		/* the slot to print next was filled */
	pthread_cond_t	 freed;		/* a slot was printed */
};

static const char usage[] =
    "usage: tocsin classify [-j N] [--format tsv|csv] FILE...\n"
    "\n"
    "Reads each message FILE (RFC 5322, as in a Maildir, or an mbox of\n"
    "several) and prints what each message is, with a header row: file,\n"
    "kind, recipient, reason, status, hard.\n"
    "kind: bounce, complaint, autoreply, unsubscribe, sign, reply, unknown.\n"
    "reason: Sisimai's vocabulary (userunknown, mailboxfull, ...); status:\n"
    "the enhanced code when known; hard: 1, 0, or - when not a failure.\n"
    "A file that cannot be read is reported and the others go on (exit 66).\n"
    "\n"
    "  -j, --jobs N       classify with N threads (default: one per CPU,\n"
    "                     at most 8); the output order is the files' order\n"
    "  --format tsv|csv   output format (default tsv)\n";

static struct row *
add_row(struct slot *sl, enum classify_kind kind)
{
	struct row *r;

	if (sl->nrows == sl->cap) {
		sl->cap = sl->cap == 0 ? 8 : sl->cap * 2;
		sl->rows = xreallocarray(sl->rows, sl->cap, sizeof(*sl->rows));
	}
	r = &sl->rows[sl->nrows++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->hard = -1;
	return r;
}

/* Keeps what is printed of the message just classified into sl->c. */
static void
keep_rows(struct slot *sl)
{
	const struct classify *c = &sl->c;
	size_t i;

	if (c->nrcpt == 0)
		(void)add_row(sl, c->kind);
	for (i = 0; i < c->nrcpt; i++) {
		struct row *r = add_row(sl, c->kind);

		memcpy(r->addr, c->rcpt[i].addr, sizeof(r->addr));
		r->reason = c->rcpt[i].reason;
		memcpy(r->status, c->rcpt[i].status, sizeof(r->status));
		r->hard = c->rcpt[i].hard;
	}
}

/* Classifies each message of the file read into msg[0..len). */
static void
classify_file(struct slot *sl, const char *msg, size_t len)
{
	const char *one;
	size_t offset = 0, n;

	sl->nrows = 0;
	while ((one = mbox_next(msg, len, &offset, &n)) != NULL) {
		classify_message(one, n, &sl->c);
		keep_rows(sl);
	}
	if (sl->nrows == 0) {
		classify_message(msg, 0, &sl->c);	/* an empty file */
		keep_rows(sl);
	}
}

static void
print_rows(struct out *o, const char *file, const struct slot *sl)
{
	const char *row[6];
	size_t i;

	row[0] = file;
	for (i = 0; i < sl->nrows; i++) {
		const struct row *r = &sl->rows[i];

		row[1] = classify_kind_name(r->kind);
		row[2] = r->addr;
		row[3] = reason_name(r->reason);
		row[4] = r->status;
		row[5] = r->hard < 0 ? "-" : r->hard ? "1" : "0";
		out_row(o, row);
	}
}

/* A worker: takes the next file, classifies it into its slot, again. */
static void *
work(void *arg)
{
	struct pool *p = arg;
	struct slot *sl;
	size_t i, len;
	char *msg;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		i = p->next;
		while (i < p->nfiles && i >= p->printed + p->window) {
			pthread_cond_wait(&p->freed, &p->lock);
			i = p->next;
		}
		if (i >= p->nfiles) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		p->next++;
		pthread_mutex_unlock(&p->lock);
		sl = &p->slots[i % p->window];
		msg = fsx_read(p->files[i], MESSAGE_MAX, &len);
		if (msg != NULL)
			classify_file(sl, msg, len);
		else
			sl->error = errno;
		free(msg);
		pthread_mutex_lock(&p->lock);
		sl->state = msg != NULL ? DONE : UNREADABLE;
		/* Only the file the printing waits for is worth a wake-up:
		 * the ones after it are printed in the same turn. */
		if (i == p->printed)
			pthread_cond_signal(&p->done);
		pthread_mutex_unlock(&p->lock);
	}
}

/* Prints each file's rows as its slot fills, in order. 0 or EX_NOINPUT. */
static int
print_in_order(struct pool *p, struct out *o)
{
	struct slot *sl;
	int code = 0;
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		sl = &p->slots[i % p->window];
		pthread_mutex_lock(&p->lock);
		while (sl->state == EMPTY)
			pthread_cond_wait(&p->done, &p->lock);
		pthread_mutex_unlock(&p->lock);
		if (sl->state == DONE)
			print_rows(o, p->files[i], sl);
		else {
			errno = sl->error;
			log_warn("cannot read '%s'", p->files[i]);
			code = EX_NOINPUT;
		}
		pthread_mutex_lock(&p->lock);
		sl->state = EMPTY;
		p->printed++;
		pthread_cond_broadcast(&p->freed);
		pthread_mutex_unlock(&p->lock);
	}
	return code;
}

static size_t
default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (size_t)n;
}

/* Classifies the files with `jobs` threads and prints them in order. */
static int
classify_files(char **files, size_t nfiles, size_t jobs, struct out *o)
{
	pthread_t threads[JOBS_MAX];
	struct pool p;
	size_t i, started = 0;
	int code;

	memset(&p, 0, sizeof(p));
	p.files = files;
	p.nfiles = nfiles;
	p.window = jobs * AHEAD;
	p.slots = xreallocarray(NULL, p.window, sizeof(*p.slots));
	for (i = 0; i < p.window; i++) {
		p.slots[i].state = EMPTY;
		p.slots[i].rows = NULL;
		p.slots[i].nrows = p.slots[i].cap = 0;
	}
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.done, NULL);
	pthread_cond_init(&p.freed, NULL);
	for (i = 0; i < jobs; i++)
		if (pthread_create(&threads[started], NULL, work, &p) == 0)
			started++;
	if (started == 0)
		fatalx("cannot start a thread to classify with");
	code = print_in_order(&p, o);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_cond_destroy(&p.freed);
	pthread_cond_destroy(&p.done);
	pthread_mutex_destroy(&p.lock);
	for (i = 0; i < p.window; i++)
		free(p.slots[i].rows);
	free(p.slots);
	return code;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = { CLI_LONGOPTS,
	    { "format", required_argument, NULL, 'f' },
	    { "jobs", required_argument, NULL, 'j' }, { 0, 0, 0, 0 } };
	static const char *headers[] = { "file", "kind", "recipient",
	    "reason", "status", "hard" };
	enum out_format format = OUT_TSV;
	size_t jobs = default_jobs();
	struct cli cli;
	struct out o;
	char *end;
	long v;
	int ch, code;

	cli_init(&cli, "tocsin-classify", usage);
	while ((ch = cli_next_option(&cli, argc, argv, "c:d:vhj:",
	    opts)) != -1) {
		if (ch == 'j') {
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 1 ||
			    v > JOBS_MAX)
				return cli_usage_error("-j takes a number "
				    "from 1 to %d, not '%s'", JOBS_MAX, optarg);
			jobs = (size_t)v;
			continue;
		}
		if (ch != 'f' || out_format_parse(optarg, &format) == -1)
			return cli_usage_error("unknown option or format");
	}
	if (optind == argc)
		return cli_usage_error("classify takes one or more FILEs");
	out_begin(&o, format, 6, headers);
	code = classify_files(argv + optind, (size_t)(argc - optind), jobs,
	    &o);
	if (out_end(&o) == -1)
		code = EX_IOERR;
	cli_release(&cli);
	return code;
}
