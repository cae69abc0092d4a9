/*
 * bench/render: the merge engine on a realistic two-part alert (about
 * 4 KB, ten merge fields, a recent-signers section), rendered for
 * 1,000,000 recipients, each with their own names and links. Prints
 * messages/s and peak RSS. The template compiles once.
 *
 * usage: render [RECIPIENTS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "dkim.h"
#include "merge.h"
#include "mime.h"
#include "mval.h"

static const char text_part[] =
    "Hi {{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}Friend"
    "{{/first_name}},\n\n"
    "The minister signed off on the {{action.title}} last night, without a\n"
    "hearing and without asking the people of {{city}} who will live with\n"
    "it. We have until Friday to make this the story instead.\n\n"
    "{{action.signer_count}} people have already demanded a public hearing."
    "\n{{#action.recent_signers}}  - {{name}} signed {{ago}}\n"
    "{{/action.recent_signers}}\n"
    "Will you sign? Reply to this email with the word SIGN, or write to\n"
    "{{sign_mailto}}.\n\n"
    "%%FILLER%%"
    "Thank you,\nThe {{list.name}} team\n\n"
    "You get this because {{email}} is on the {{list.name}} list.\n"
    "Unsubscribe: {{unsubscribe_url}} or {{unsubscribe_mailto}}\n";

static const char html_part[] =
    "<!doctype html><html><body style=\"font-family:sans-serif\">\n"
    "<p>Hi {{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}"
    "Friend{{/first_name}},</p>\n"
    "<p>The minister signed off on the <b>{{action.title}}</b> last night, "
    "without a hearing and without asking the people of {{city}}.</p>\n"
    "<p><b>{{action.signer_count}}</b> people have already signed:</p>\n"
    "<ul>{{#action.recent_signers}}<li>{{name}} signed {{ago}}</li>"
    "{{/action.recent_signers}}</ul>\n"
    "<p><a href=\"mailto:{{sign_mailto}}?subject=SIGN\">Will you sign?</a>"
    "</p>\n%%FILLER%%"
    "<p>The {{list.name}} team</p>\n"
    "<p style=\"font-size:small\">Sent to {{email}}. "
    "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>\n</body></html>\n";

static const char filler[] =
    "Why this matters: the river supplies drinking water to forty towns,\n"
    "and the plan moves the intake below the outflow of the new works.\n";

/* The alert with enough filler paragraphs to weigh about 2 KB a part. */
static char *
with_filler(const char *part, int paragraphs)
{
	struct buf b;
	const char *mark = strstr(part, "%%FILLER%%");
	int i;

	buf_init(&b, 1 << 20);
	buf_append(&b, part, (size_t)(mark - part));
	for (i = 0; i < paragraphs; i++)
		buf_puts(&b, filler);
	buf_puts(&b, mark + strlen("%%FILLER%%"));
	return b.data;
}

static double now_sec(void);

/*
 * DKIM signing of one composed message, `n` times, with the keys in
 * `d`: the seconds a message, printed beside `label`.
 */
static double
sign_each(const struct dkim *d, const struct message *m, long n,
    const char *label)
{
	struct buf msg;
	double t0, secs;
	long i;

	buf_init(&msg, 1 << 20);
	t0 = now_sec();
	for (i = 0; i < n; i++) {
		buf_reset(&msg);
		if (mime_build(&msg, m) == -1 || dkim_sign(d, &msg, 0,
		    (time_t)i) == -1) {
			fprintf(stderr, "render: cannot sign\n");
			exit(1);
		}
	}
	secs = (now_sec() - t0) / (double)n;
	printf("  %-44s %8.1f us a message, %7.0f messages/s on one core\n",
	    label, secs * 1e6, 1 / secs);
	buf_release(&msg);
	return secs;
}

/* The cost of DKIM: building and signing the last message rendered. */
static void
bench_dkim(const char *text, size_t text_len, long n)
{
	char dir[] = "/tmp/tocsin-bench-dkim.XXXXXX", rsa[64], ed[64];
	struct message m;
	struct dkim none, both;

	if (mkdtemp(dir) == NULL) {
		perror("render: mkdtemp");
		exit(1);
	}
	snprintf(rsa, sizeof(rsa), "%s/rsa.key", dir);
	snprintf(ed, sizeof(ed), "%s/ed.key", dir);
	memset(&none, 0, sizeof(none));
	memset(&both, 0, sizeof(both));
	snprintf(both.domain, sizeof(both.domain), "river.example");
	snprintf(both.keys[0].selector, sizeof(both.keys[0].selector), "a");
	if (dkim_keygen(DKIM_RSA_SHA256, rsa) == -1 ||
	    dkim_keygen(DKIM_ED25519_SHA256, ed) == -1 ||
	    dkim_key_load(&both.keys[0], DKIM_RSA_SHA256, rsa, "rsa") == -1 ||
	    dkim_key_load(&both.keys[1], DKIM_ED25519_SHA256, ed, "ed") == -1)
		exit(1);
	unlink(rsa);
	unlink(ed);
	rmdir(dir);
	memset(&m, 0, sizeof(m));
	m.from_name = "Friends of the River";
	m.from_addr = "alerts@river.example";
	m.to_name = "Ann Lee";
	m.to_addr = "ann.lee@example.org";
	m.reply_to = "reply+d1-k3j5m2n8q4r6s7t9@river.example";
	m.subject = "Ann, the minister must resign now. Will you sign?";
	m.message_id = "<0123456789abcdef01234567@river.example>";
	m.list_id = "river.river.example";
	m.list_name = "Friends of the River";
	m.unsubscribe_mailto = "unsubscribe+d1-k3j5m2n8q4r6s7t9@river.example";
	m.unsubscribe_url = "https://river.example/u?t=d1-k3j5m2n8q4r6s7t9";
	m.feedback_id = "1:river:resign-now:river-example";
	m.text = text;
	m.text_len = text_len;
	m.html = text;
	m.html_len = text_len;
	m.boundary = "=_tocsin_0123456789abcdef01234567";
	printf("bench/render: DKIM, %ld messages each way (MIME built each "
	    "time)\n", n);
	sign_each(&none, &m, n, "MIME, unsigned");
	both.nkeys = 1;
	sign_each(&both, &m, n, "MIME + rsa-sha256 (2048 bits)");
	both.nkeys = 2;
	snprintf(both.keys[1].selector, sizeof(both.keys[1].selector), "b");
	sign_each(&both, &m, n, "MIME + rsa-sha256 + ed25519-sha256");
	dkim_release(&both);
}

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000, i;
	char *text = with_filler(text_part, 12), *html = with_filler(html_part,
	    12);
	char first[32], email[64], unsub[128], unsub_mail[96], sign[96];
	struct mval signers[5][2], signer_objs[5], action[3], list[1];
	struct mval person[10], root;
	struct mtemplate tt, th;
	struct merge_error err;
	struct merge_env *env = merge_env_new(NULL);
	static const char *names[] = { "Gabrielle", "Yusuf", "Ana", "Li",
	    "Hiro" };
	static const char *agos[] = { "just now", "5 minutes ago",
	    "3 hours ago", "2 days ago", "9 days ago" };
	struct buf out;
	struct rusage ru;
	unsigned long long bytes = 0;
	double t0, secs;

	if (merge_compile(&tt, env, text, strlen(text), &err) == -1 ||
	    merge_compile(&th, env, html, strlen(html), &err) == -1) {
		fprintf(stderr, "render: %u:%u: %s\n", err.line, err.col,
		    err.what);
		return 1;
	}
	for (i = 0; i < 5; i++) {
		signers[i][0] = mval_string("name", names[i]);
		signers[i][1] = mval_string("ago", agos[i]);
		signer_objs[i] = mval_object(NULL, signers[i], 2);
	}
	action[0] = mval_string("title", "Riverside Incinerator permit");
	action[1] = mval_string("signer_count", "12,408");
	action[2] = mval_list("recent_signers", signer_objs, 5);
	list[0] = mval_string("name", "Friends of the River");
	buf_init(&out, 1 << 20);
	t0 = now_sec();
	for (i = 0; i < n; i++) {
		/* Each recipient's own values, as the sender would set them. */
		snprintf(first, sizeof(first), "%s%ld", i % 7 ? "Ann" : "", i);
		snprintf(email, sizeof(email), "ann.lee.%ld@example.org", i);
		snprintf(unsub, sizeof(unsub), "https://river.example/u?t="
		    "d%ld-k3j5m2n8q4r6s7t9", i);
		snprintf(unsub_mail, sizeof(unsub_mail), "unsubscribe+d%ld-"
		    "k3j5m2n8q4r6s7t9@river.example", i);
		snprintf(sign, sizeof(sign), "reply+d%ld-k3j5m2n8q4r6s7t9@river"
		    ".example", i);
		person[0] = mval_string("first_name", i % 7 ? first : "");
		person[1] = mval_string("last_name", "Lee");
		person[2] = mval_string("email", email);
		person[3] = mval_string("city", i % 2 ? "Lyon" : "Porto");
		person[4] = mval_string("unsubscribe_url", unsub);
		person[5] = mval_string("unsubscribe_mailto", unsub_mail);
		person[6] = mval_string("sign_mailto", sign);
		person[7] = mval_object("list", list, 1);
		person[8] = mval_object("action", action, 3);
		root = mval_object(NULL, person, 9);
		buf_reset(&out);
		if (merge_render(&tt, &root, 0, &out, &err) == -1 ||
		    merge_render(&th, &root, 1, &out, &err) == -1) {
			fprintf(stderr, "render: %s\n", err.what);
			return 1;
		}
		bytes += out.len;
	}
	secs = now_sec() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("bench/render: %ld messages (text + HTML, %.0f bytes each) in "
	    "%.2f s\n", n, (double)bytes / (double)n, secs);
	printf("  %.0f messages/s on one core (target: 200,000), %.0f MB/s, "
	    "peak RSS %.1f MB\n", (double)n / secs, (double)bytes / secs / 1e6,
	    (double)ru.ru_maxrss / 1024);
	bench_dkim(out.data, out.len, n / 200 > 100 ? n / 200 : 100);
	merge_release(&tt);
	merge_release(&th);
	merge_env_free(env);
	buf_release(&out);
	free(text);
	free(html);
	return 0;
}
