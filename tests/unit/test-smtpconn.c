/*
 * Tests of smtpconn, tocsin's own SMTP connection, against Postfix's
 * smtp-sink started here on loopback: the data dot-stuffed and ended,
 * an end of data held until released (and a drop while it is held
 * deferred, never unknown), a drop after the end unknown, a relay that
 * restarts between two messages, one that cannot be reached, one that
 * says 421, and refusals by the command they answered.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "smtpconn.h"
#include "tap.h"

#define SINK	"/usr/sbin/smtp-sink"

static char	 dir[] = "/tmp/tocsin-smtpconn.XXXXXX";
static char	 dump[128];
static char	 port[16];
static int	 port_number;
static pid_t	 sink;

static void
free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) == -1) {
		printf("Bail out! no free port: %s\n", strerror(errno));
		exit(1);
	}
	port_number = ntohs(a.sin_port);
	snprintf(port, sizeof(port), "%d", port_number);
	close(fd);
}

static int
sink_listens(void)
{
	struct sockaddr_in a;
	int fd, r;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port_number);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	r = connect(fd, (struct sockaddr *)&a, sizeof(a));
	close(fd);
	return r == 0;
}

/* smtp-sink on `port`, dumping into dump/, with one option or none. */
static void
start_sink(const char *opt, const char *arg)
{
	char listen[64], tmpl[160];
	const char *argv[12];
	int i = 0, tries;

	snprintf(listen, sizeof(listen), "127.0.0.1:%s", port);
	snprintf(tmpl, sizeof(tmpl), "%s/%%M.", dump);
	argv[i++] = SINK;
	if (getuid() == 0) {
		argv[i++] = "-u";
		argv[i++] = "nobody";
	}
	argv[i++] = "-4";
	argv[i++] = "-d";
	argv[i++] = tmpl;
	if (opt != NULL)
		argv[i++] = opt;
	if (arg != NULL)
		argv[i++] = arg;
	argv[i++] = listen;
	argv[i++] = "16";
	argv[i] = NULL;
	sink = fork();
	if (sink == 0) {
		execv(SINK, (char *const *)argv);
		_exit(127);
	}
	for (tries = 0; tries < 200 && !sink_listens(); tries++)
		usleep(20000);
	if (tries == 200) {
		printf("Bail out! smtp-sink did not start\n");
		exit(1);
	}
}

static void
stop_sink(void)
{
	if (sink > 0) {
		kill(sink, SIGTERM);
		waitpid(sink, NULL, 0);
	}
	sink = 0;
}

/* The messages smtp-sink dumped; with `text`, the last one's. */
static int
dumped(char *text, size_t size)
{
	DIR *d = opendir(dump);
	struct dirent *e;
	char path[400];
	FILE *f;
	size_t n;
	int count = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		count++;
		snprintf(path, sizeof(path), "%s/%s", dump, e->d_name);
		if (text == NULL || (f = fopen(path, "rb")) == NULL)
			continue;
		n = fread(text, 1, size - 1, f);
		text[n] = '\0';
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return count;
}

static void
clear_dumps(void)
{
	DIR *d = opendir(dump);
	struct dirent *e;
	char path[400];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dump, e->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
}

/* Runs c for up to `ms`: 1 with the message's result, 0 without. */
static int
run_for(struct smtpconn *c, int ms, struct smtp_result *r)
{
	struct timespec t0, t;
	struct pollfd p;
	short events;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		p.fd = smtpconn_fd(c, &events);
		p.events = events;
		p.revents = 0;
		if (p.fd != -1)
			(void)poll(&p, 1, 20);
		if (smtpconn_run(c, p.fd != -1 ? p.revents : 0, time(NULL),
		    r) == 1)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
			return 0;
	}
}

static const char dots[] = "Subject: dots\r\n\r\nfirst\r\n.hidden\r\n"
    ".\r\nafter the dot\r\n";

static void
sends(struct smtpconn *c, const char *msg, int held)
{
	smtpconn_send(c, "bounce@example.org", "ann@example.org", msg,
	    strlen(msg), held, time(NULL));
}

static void
test_data(struct smtpconn *c)
{
	struct smtp_result r;
	char text[4096];

	clear_dumps();
	sends(c, dots, 0);
	tap_ok(run_for(c, 5000, &r) && r.outcome == SMTP_ACCEPTED &&
	    r.code == 250, "a message with lines of dots is accepted (%s)",
	    r.reply);
	tap_ok(dumped(text, sizeof(text)) == 1 && strstr(text,
	    "\nfirst\n.hidden\n.\nafter the dot\n") != NULL,
	    "and arrives as written: the stuffing comes off again");
	clear_dumps();
	smtpconn_send(c, "bounce@example.org",
	    "ann@example.org>\r\nRCPT TO:<eve@example.org", dots,
	    strlen(dots), 0, time(NULL));
	tap_ok(run_for(c, 5000, &r) && r.outcome == SMTP_PERMANENT &&
	    dumped(NULL, 0) == 0, "an address with a line break is never "
	    "sent (%s)", r.reply);
	clear_dumps();
	sends(c, "Subject: x\r\n\r\nno line end", 0);
	tap_ok(run_for(c, 5000, &r) && r.outcome == SMTP_ACCEPTED &&
	    dumped(text, sizeof(text)) == 1 &&
	    strstr(text, "\nno line end") != NULL,
	    "a message whose last line has no end gets one");
}

static void
test_held(struct smtpconn *c)
{
	struct smtp_result r;

	clear_dumps();
	sends(c, dots, 1);
	/* (smtp-sink makes its dump at DATA, and fills it at the end) */
	tap_ok(!run_for(c, 300, &r),
	    "a held message has no verdict while held");
	smtpconn_release(c);
	tap_ok(run_for(c, 5000, &r) && r.outcome == SMTP_ACCEPTED &&
	    dumped(NULL, 0) == 1, "and is once released");
	/* released before the 354 came: the end goes with the body */
	clear_dumps();
	sends(c, dots, 1);
	smtpconn_release(c);
	tap_ok(run_for(c, 5000, &r) && r.outcome == SMTP_ACCEPTED &&
	    dumped(NULL, 0) == 1, "released at once, it goes at once");
}

static void
test_restart(struct smtpconn *c)
{
	struct smtp_result r;

	stop_sink();
	start_sink(NULL, NULL);
	clear_dumps();
	sends(c, dots, 0);
	tap_ok(run_for(c, 5000, &r) && r.outcome == SMTP_ACCEPTED &&
	    dumped(NULL, 0) == 1, "after the relay restarts, the next "
	    "message takes a new connection and goes (%s)", r.reply);
	sends(c, dots, 1);
	(void)run_for(c, 300, &r);
	stop_sink();
	tap_ok(run_for(c, 5000, &r) && r.outcome == SMTP_TEMPORARY &&
	    r.at == SMTP_AT_BODY, "a drop while the end of data is held "
	    "defers the message, never unknown (%s)", r.reply);
	sends(c, dots, 0);
	tap_ok(run_for(c, 5000, &r) && r.outcome == SMTP_UNAVAILABLE,
	    "no relay to connect to: unavailable (%s)", r.reply);
}

/* What smtp-sink is told to do, and what the message's result must be. */
static const struct fault {
	const char		*opt;
	const char		*arg;
	enum smtp_outcome	 outcome;
	long			 code;	/* 0: any */
	enum smtp_command	 at;
	const char		*what;
} faults[] = {
	{ "-q", ".", SMTP_UNKNOWN, 0, SMTP_AT_BODY,
	    "a drop after the end of data is unknown" },
	{ "-Q", "MAIL", SMTP_TEMPORARY, 421, SMTP_AT_MAIL,
	    "421 at MAIL, then a drop, defers the message" },
	{ "-f", "RCPT", SMTP_PERMANENT, 500, SMTP_AT_RCPT,
	    "5xx at RCPT is a permanent refusal at RCPT" },
	{ "-f", "MAIL", SMTP_PERMANENT, 500, SMTP_AT_MAIL,
	    "5xx at MAIL is a refusal at MAIL" },
	{ "-r", ".", SMTP_TEMPORARY, 450, SMTP_AT_BODY,
	    "4xx at the end of data defers" },
};

/* Each fault twice: the second message after the first on the same
 * connection (an RSET, or a new connection after a drop). */
static void
test_faults(struct smtpconn *c)
{
	struct smtp_result r;
	size_t i;
	int k;

	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		const struct fault *f = &faults[i];

		start_sink(f->opt, f->arg);
		for (k = 0; k < 2; k++) {
			sends(c, dots, 0);
			tap_ok(run_for(c, 5000, &r) &&
			    r.outcome == f->outcome && r.at == f->at &&
			    (f->code == 0 || r.code == f->code),
			    "%s%s (%s)", f->what, k == 0 ? "" :
			    ", and again after it", r.reply);
		}
		stop_sink();
	}
}

int
main(void)
{
	struct smtpconn *c;

	alarm(120);
	signal(SIGPIPE, SIG_IGN);
	if (access(SINK, X_OK) == -1) {
		printf("Bail out! no %s (make deps installs postfix)\n", SINK);
		return 1;
	}
	if (mkdtemp(dir) == NULL || chmod(dir, 0711) == -1) {
		printf("Bail out! cannot make %s\n", dir);
		return 1;
	}
	snprintf(dump, sizeof(dump), "%s/dump", dir);
	/* as root, smtp-sink writes as nobody */
	if (mkdir(dump, 0777) == -1 || chmod(dump, 0777) == -1) {
		printf("Bail out! cannot make %s\n", dump);
		return 1;
	}
	free_port();
	start_sink(NULL, NULL);
	c = smtpconn_new("127.0.0.1", port, "test.example");
	test_data(c);
	test_held(c);
	test_restart(c);
	test_faults(c);
	smtpconn_free(c);
	stop_sink();
	clear_dumps();
	rmdir(dump);
	rmdir(dir);
	return tap_done();
}
