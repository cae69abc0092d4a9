/*
 * conf: the INI configuration file (read with inih), every key of
 * etc/tocsin.conf.example. Unknown sections and keys, and values of the
 * wrong kind, are errors that name the file and line, because a typo in
 * mail software's config silently mails the wrong people.
 */
#ifndef TOCSIN_CONF_H
#define TOCSIN_CONF_H

#define CONF_REFUSALS_MAX	1000	/* [smtp] pause_after_refusals */

enum conf_tls {
	CONF_TLS_REQUIRED = 0,
	CONF_TLS_OPTIONAL,
	CONF_TLS_NO,
};

struct conf {
	char	*path;		/* the file read, or NULL for defaults */
	char	*dir;		/* its directory: relative paths start here */
	char	*db_path;			/* [database] path */
	char	*domain;			/* [sender] */
	char	*bounce_domain;
	char	*unsubscribe_url;
	char	*secret_file;
	char	*feedback_id;		/* Feedback-ID's sender id */
	char	*dkim_domain;			/* [dkim]: d=, or domain */
	char	*dkim_selector;
	char	*dkim_key_file;			/* RSA */
	char	*dkim_ed25519_selector;
	char	*dkim_ed25519_key_file;
	char	*smtp_url;			/* [smtp] */
	enum conf_tls smtp_starttls;
	char	*smtp_user;
	char	*smtp_password_file;
	long	 smtp_sessions;
	long	 smtp_hourly_cap;		/* per relay; 0: none */
	long	 smtp_pause_after_refusals;	/* the breaker; 0: none */
	char	*imap_url;			/* [imap] */
	enum conf_tls imap_starttls;
	char	*imap_user;
	char	*imap_password_file;
	/* trusted authorities; default the system's */
	char	*imap_ca_file;
	char	*imap_mailbox;		/* default INBOX */
	char	*imap_processed_folder;	/* default processed */
	char	*imap_replies_folder;	/* default replies */
	char	*imap_unknown_folder;	/* default unknown */
	/* [blast]: one alert an action; 0 off */
	long	 blast_duplicate_days;
	long	 blast_max_per_day;	/* blasts a person a day; 0 off */
	/* the group's, "Europe/Paris"; or NULL */
	char	*blast_timezone;
	double	 blast_complaint_limit;	/* % over 30 days that pauses; 0 off */
	char	*web_listen;		/* [web] ADDRESS:PORT */
	/* https://... the links are made from */
	char	*web_public_url;
	char	*web_templates;		/* the group's own pages, or NULL */
	long	 web_posts_per_minute;	/* per client, without a token */
	long	 web_confirm_days;	/* a confirmation link's life */
	/* [dns]: ADDRESS[:PORT], or resolv.conf */
	char	*dns_server;
	int	 log_syslog;		/* [log]: lines to syslog, not stderr */
	long	 inbox_soft_bounces;	/* [inbox]: this many soft bounces */
	/* spread over this many days: bounced */
	long	 inbox_soft_bounce_days;
};

void	conf_init(struct conf *c);
/*
 * Reads the password of [section] into out (outsize bytes, terminated):
 * from the file `file` names (relative to the config; a trailing line
 * break dropped), else from the environment variable `env`. 0, or -1
 * logged. Never from the command line, never into a log line.
 */
int	conf_password(const struct conf *c, const char *section,
	    const char *file, const char *env, char *out, size_t outsize);
/* value, or `otherwise` when value is unset or empty. */
const char *conf_or(const char *value, const char *otherwise);
void	conf_release(struct conf *c);
/*
 * Reads the file. Returns 0, or -1 after logging "FILE:LINE: why" with
 * the class FAIL_CONFIG.
 */
int	conf_load(struct conf *c, const char *path);
/*
 * The path `p` as named in the config: relative paths are taken from the
 * config file's directory. The result belongs to the caller.
 */
char	*conf_path(const struct conf *c, const char *p);

#endif
