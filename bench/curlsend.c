/*
 * bench/curlsend: the ceiling of the library tocsin sends with. One
 * pre-built message (FILE, as tocsin render wrote it; without FILE, one
 * of about 4 KB), sent N times over P parallel libcurl handles (the
 * multi interface, connections reused), with the settings tocsin's smtp
 * module uses. Prints messages/s, timed by its own clock.
 *
 * usage: curlsend URL N P [FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

struct upload {
	const char	*data;
	size_t		 len;
	size_t		 pos;
};

static size_t
read_body(char *dst, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t want = size * n;

	if (want > u->len - u->pos)
		want = u->len - u->pos;
	memcpy(dst, u->data + u->pos, want);
	u->pos += want;
	return want;
}

static void
start(CURLM *multi, CURL *e, struct upload *u, const char *url,
    struct curl_slist *rcpt)
{
	u->pos = 0;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_MAIL_FROM, "<bounce@bench.example>");
	curl_easy_setopt(e, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(e, CURLOPT_READDATA, u);
	curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_multi_add_handle(multi, e);
}

int
main(int argc, char **argv)
{
	static char msg[1024 * 1024];
	FILE *fp;
	struct upload *u;
	struct curl_slist *rcpt;
	struct timespec t0, t1;
	CURLM *multi;
	CURL **e;
	CURLMsg *m;
	long n, p, started = 0, done = 0, failed = 0, i;
	int running, left;
	size_t len = 0;
	double secs;

	if (argc != 4 && argc != 5)
		return 64;
	n = strtol(argv[2], NULL, 10);
	p = strtol(argv[3], NULL, 10);
	if (argc == 5) {
		fp = fopen(argv[4], "rb");
		if (fp == NULL) {
			perror(argv[4]);
			return 66;
		}
		len = fread(msg, 1, sizeof(msg), fp);
		fclose(fp);
	} else {
		len += (size_t)snprintf(msg, sizeof(msg), "From: "
		    "bench@bench.example\r\nTo: rcpt@bench.example\r\n"
		    "Subject: bench\r\n\r\n");
		while (len + 80 < 4096)
			len += (size_t)snprintf(msg + len, sizeof(msg) - len,
			    "%s\r\n", "The quick brown fox jumps over the lazy "
			    "dog, again and again, for the benchmark.");
	}
	rcpt = curl_slist_append(NULL, "<rcpt@bench.example>");
	multi = curl_multi_init();
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, p);
	e = calloc((size_t)p, sizeof(*e));
	u = calloc((size_t)p, sizeof(*u));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < p && started < n; i++, started++) {
		e[i] = curl_easy_init();
		u[i].data = msg;
		u[i].len = len;
		start(multi, e[i], &u[i], argv[1], rcpt);
	}
	while (done < n) {
		/* Poll only while something runs: a transfer that ended in
		 * perform would otherwise wait out the timeout. */
		curl_multi_perform(multi, &running);
		if (running > 0)
			curl_multi_poll(multi, NULL, 0, 1000, NULL);
		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			failed += m->data.result != CURLE_OK;
			done++;
			curl_multi_remove_handle(multi, m->easy_handle);
			for (i = 0; i < p && e[i] != m->easy_handle; i++)
				;
			if (started < n) {
				start(multi, e[i], &u[i], argv[1], rcpt);
				started++;
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.0f\n", (double)n / secs);
	fprintf(stderr, "curlsend: %ld messages of %zu bytes, %ld failed, "
	    "%.2f s\n", n, len, failed, secs);
	return failed > 0;
}
