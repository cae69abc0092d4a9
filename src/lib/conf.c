/* conf: the INI configuration file (see conf.h). */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "buf.h"
#include "conf.h"
#include "fsx.h"
#include "log.h"
#include "smtp.h"
#include "xalloc.h"

enum conf_kind {
	CONF_STRING,
	CONF_COUNT,	/* a whole number from min to max */
	CONF_TLS_MODE,
	CONF_PERCENT,	/* "0.3" or "0.3%", from 0 to 100 */
	CONF_YESNO,	/* yes or no */
};

struct conf_key {
	const char	*section;
	const char	*name;
	enum conf_kind	 kind;
	size_t		 offset;
	long		 min;		/* a CONF_COUNT's range */
	long		 max;
};

#define KEY(sec, name, kind, field) \
	{ sec, name, kind, offsetof(struct conf, field), 1, 1000000 }
/* A count with its own range: a value past it is an error, never cut. */
#define COUNT(sec, name, field, lo, hi) \
	{ sec, name, CONF_COUNT, offsetof(struct conf, field), lo, hi }

static const struct conf_key conf_keys[] = {
	KEY("database", "path", CONF_STRING, db_path),
	KEY("sender", "domain", CONF_STRING, domain),
	KEY("sender", "bounce_domain", CONF_STRING, bounce_domain),
	KEY("sender", "unsubscribe_url", CONF_STRING, unsubscribe_url),
	KEY("sender", "secret_file", CONF_STRING, secret_file),
	KEY("sender", "feedback_id", CONF_STRING, feedback_id),
	KEY("dkim", "domain", CONF_STRING, dkim_domain),
	KEY("dkim", "selector", CONF_STRING, dkim_selector),
	KEY("dkim", "key_file", CONF_STRING, dkim_key_file),
	KEY("dkim", "ed25519_selector", CONF_STRING, dkim_ed25519_selector),
	KEY("dkim", "ed25519_key_file", CONF_STRING, dkim_ed25519_key_file),
	KEY("smtp", "url", CONF_STRING, smtp_url),
	KEY("smtp", "starttls", CONF_TLS_MODE, smtp_starttls),
	KEY("smtp", "user", CONF_STRING, smtp_user),
	KEY("smtp", "password_file", CONF_STRING, smtp_password_file),
	COUNT("smtp", "sessions", smtp_sessions, 1, SMTP_SESSIONS_MAX),
	KEY("smtp", "hourly_cap", CONF_COUNT, smtp_hourly_cap),
	COUNT("smtp", "pause_after_refusals", smtp_pause_after_refusals, 0,
	    CONF_REFUSALS_MAX),
	KEY("imap", "url", CONF_STRING, imap_url),
	KEY("imap", "starttls", CONF_TLS_MODE, imap_starttls),
	KEY("imap", "user", CONF_STRING, imap_user),
	KEY("imap", "password_file", CONF_STRING, imap_password_file),
	KEY("imap", "ca_file", CONF_STRING, imap_ca_file),
	KEY("imap", "mailbox", CONF_STRING, imap_mailbox),
	KEY("imap", "processed_folder", CONF_STRING, imap_processed_folder),
	KEY("imap", "replies_folder", CONF_STRING, imap_replies_folder),
	KEY("imap", "unknown_folder", CONF_STRING, imap_unknown_folder),
	COUNT("blast", "duplicate_days", blast_duplicate_days, 0, 365),
	COUNT("blast", "max_per_day", blast_max_per_day, 0, 1000),
	KEY("blast", "timezone", CONF_STRING, blast_timezone),
	KEY("blast", "complaint_limit", CONF_PERCENT, blast_complaint_limit),
	KEY("web", "listen", CONF_STRING, web_listen),
	KEY("web", "public_url", CONF_STRING, web_public_url),
	KEY("web", "templates", CONF_STRING, web_templates),
	COUNT("web", "posts_per_minute", web_posts_per_minute, 0, 1000000),
	COUNT("web", "confirm_days", web_confirm_days, 1, 365),
	KEY("dns", "server", CONF_STRING, dns_server),
	KEY("log", "syslog", CONF_YESNO, log_syslog),
	KEY("inbox", "soft_bounces", CONF_COUNT, inbox_soft_bounces),
	KEY("inbox", "soft_bounce_days", CONF_COUNT, inbox_soft_bounce_days),
};

#define CONF_NKEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))

/* What the handler found wrong; inih gives the line number. */
struct conf_parse {
	struct conf	*conf;
	char		 why[256];
};

void
conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	c->smtp_sessions = 4;
	c->smtp_pause_after_refusals = 20;
	c->web_posts_per_minute = 10;
	c->blast_duplicate_days = 7;
	c->blast_max_per_day = 2;
	c->blast_complaint_limit = 0.3;
	c->web_confirm_days = 7;
	c->inbox_soft_bounces = 3;
	c->inbox_soft_bounce_days = 7;
}

int
conf_password(const struct conf *c, const char *section, const char *file,
    const char *env, char *out, size_t outsize)
{
	const char *from_env = getenv(env);
	char *path, *s, what[64];
	size_t len;

	if (file != NULL) {
		path = conf_path(c, file);
		snprintf(what, sizeof(what), "[%s] password_file", section);
		/* a password others can read is a password leaked */
		if (!fsx_is_private(path, what)) {
			free(path);
			return -1;
		}
		s = fsx_read(path, outsize - 1, &len);
		if (s == NULL)
			log_warn("cannot read [%s] password_file '%s'", section,
			    path);
		free(path);
		if (s == NULL)
			return -1;
		while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
			len--;
		memcpy(out, s, len);
		out[len] = '\0';
		explicit_bzero(s, len);
		free(s);
		return 0;
	}
	if (from_env == NULL) {
		log_warnx("[%s] user is set but there is no "
		    "password_file and no $%s", section, env);
		return -1;
	}
	/* Cut short, it would fail to log in with no word of why. */
	if (snprintf(out, outsize, "%s", from_env) >= (int)outsize) {
		explicit_bzero(out, outsize);
		log_warnx("$%s is longer than a [%s] password may be "
		    "(%zu bytes)", env, section, outsize - 1);
		return -1;
	}
	return 0;
}

const char *
conf_or(const char *value, const char *otherwise)
{
	return value != NULL && *value != '\0' ? value : otherwise;
}

void
conf_release(struct conf *c)
{
	size_t i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (conf_keys[i].kind == CONF_STRING)
			free(*(char **)((char *)c + conf_keys[i].offset));
	free(c->path);
	free(c->dir);
	conf_init(c);
}

static int
set_value(struct conf_parse *cp, const struct conf_key *k, const char *v)
{
	char *field = (char *)cp->conf + k->offset;
	char *end;
	double pct;
	long n;

	switch (k->kind) {
	case CONF_STRING:
		free(*(char **)field);
		*(char **)field = *v != '\0' ? xstrdup(v) : NULL;
		return 1;
	case CONF_COUNT:
		if (*v == '\0')
			return 1;	/* "key =" leaves the default */
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < k->min ||
		    n > k->max) {
			snprintf(cp->why, sizeof(cp->why), "'%s' in [%s] must "
			    "be a whole number from %ld to %ld", k->name,
			    k->section, k->min, k->max);
			return 0;
		}
		*(long *)field = n;
		return 1;
	case CONF_PERCENT:
		if (*v == '\0')
			return 1;
		errno = 0;
		pct = strtod(v, &end);
		if (*end == '%')
			end++;
		if (errno != 0 || end == v || *end != '\0' || !(pct >= 0) ||
		    pct > 100) {
			snprintf(cp->why, sizeof(cp->why), "'%s' in [%s] must "
			    "be a percentage from 0 to 100 (0.3 or 0.3%%)",
			    k->name, k->section);
			return 0;
		}
		*(double *)field = pct;
		return 1;
	case CONF_YESNO:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
			snprintf(cp->why, sizeof(cp->why), "'%s' in [%s] must "
			    "be yes or no", k->name, k->section);
			return 0;
		}
		*(int *)field = strcmp(v, "yes") == 0;
		return 1;
	case CONF_TLS_MODE:
		if (strcmp(v, "required") == 0)
			*(enum conf_tls *)field = CONF_TLS_REQUIRED;
		else if (strcmp(v, "optional") == 0)
			*(enum conf_tls *)field = CONF_TLS_OPTIONAL;
		else if (strcmp(v, "no") == 0)
			*(enum conf_tls *)field = CONF_TLS_NO;
		else {
			snprintf(cp->why, sizeof(cp->why), "'%s' in [%s] must "
			    "be required, optional or no", k->name, k->section);
			return 0;
		}
		return 1;
	}
	BUG("unknown config key kind");
}

static int
on_key(void *arg, const char *section, const char *name, const char *value)
{
	struct conf_parse *cp = arg;
	char esc[64], esc2[64];
	size_t i;
	int known_section = 0;

	for (i = 0; i < CONF_NKEYS; i++) {
		if (strcmp(conf_keys[i].section, section) != 0)
			continue;
		known_section = 1;
		if (strcmp(conf_keys[i].name, name) == 0)
			return set_value(cp, &conf_keys[i], value);
	}
	log_escape(esc, sizeof(esc), name, strlen(name));
	log_escape(esc2, sizeof(esc2), section, strlen(section));
	if (known_section)
		snprintf(cp->why, sizeof(cp->why), "unknown key '%s' in [%s]",
		    esc, esc2);
	else if (*section == '\0')
		snprintf(cp->why, sizeof(cp->why), "key '%s' before "
		    "any [section]", esc);
	else
		snprintf(cp->why, sizeof(cp->why), "key '%s' is in an "
		    "unknown section [%s]", esc, esc2);
	return 0;
}

int
conf_load(struct conf *c, const char *path)
{
	struct conf_parse cp;
	const char *slash;
	FILE *fp;
	int line;

	memset(&cp, 0, sizeof(cp));
	cp.conf = c;
	fp = fopen(path, "r");
	if (fp == NULL) {
		log_warn("cannot open config '%s'", path);
		fail_set(FAIL_CONFIG);
		return -1;
	}
	line = ini_parse_file(fp, on_key, &cp);
	fclose(fp);
	if (line != 0) {
		log_warnx("%s:%d: %s", path, line,
		    cp.why[0] ? cp.why : "not a 'key = value' line "
		    "or a [section]");
		fail_set(FAIL_CONFIG);
		return -1;
	}
	free(c->path);
	free(c->dir);
	c->path = xstrdup(path);
	slash = strrchr(path, '/');
	c->dir = slash != NULL ? xstrndup(path, (size_t)(slash - path) + 1) :
	    xstrdup("");
	return 0;
}

char *
conf_path(const struct conf *c, const char *p)
{
	struct buf b;

	if (p[0] == '/' || c->dir == NULL || c->dir[0] == '\0')
		return xstrdup(p);
	buf_init(&b, PATH_MAX);
	if (buf_puts(&b, c->dir) == -1 || buf_puts(&b, p) == -1) {
		buf_release(&b);
		return xstrdup(p);
	}
	return b.data;
}
