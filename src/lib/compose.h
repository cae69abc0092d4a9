/*
 * compose: one recipient's complete message: the alert rendered with
 * their data, their tokens in the VERP bounce address, Reply-To,
 * unsubscribe and sign addresses and the one-click link, then MIME.
 * tocsin render prints it; tocsin send submits it.
 */
#ifndef TOCSIN_COMPOSE_H
#define TOCSIN_COMPOSE_H

#include <sqlite3.h>
#include <stdint.h>

#include "addr.h"
#include "alert.h"
#include "buf.h"
#include "conf.h"
#include "dkim.h"
#include "footer.h"
#include "token.h"

/* Feedback-ID's sender id: Gmail's rule is 5 to 15 characters. */
#define COMPOSE_FEEDBACK_ID_MIN	5
#define COMPOSE_FEEDBACK_ID_MAX	15

/* The [sender] part of the config, checked, with the key loaded. */
struct sender {
	const char		*domain;
	const char		*bounce_domain;
	char			*unsubscribe_url;	/* the one-click base */
	/* [web], no trailing '/'; or NULL */
	char			*public_url;
	struct token_key	 key;
	struct dkim		 dkim;		/* nkeys 0: nothing signed */
	char			 feedback_id[COMPOSE_FEEDBACK_ID_MAX + 1];
};

/* 0, or -1 logged as a config failure (a missing key, the secret, a
 * DKIM key or Feedback-ID sender id that will not do). */
int	sender_init(struct sender *s, const struct conf *c);
void	sender_release(struct sender *s);

struct composed_list {
	sqlite3_int64	 id;
	const char	*name;
	const char	*title;		/* List-Id's phrase; NULL: the name */
	const char	*from;		/* "Name <addr>" or "addr" */
	const char	*footer;	/* Mustache, or NULL: the default */
};

struct composed_recipient {
	sqlite3_int64	 subscriber_id;
	sqlite3_int64	 delivery_id;	/* 0 for render: membership tokens */
	const char	*email;
	const char	*first_name;
	const char	*last_name;
	const char	*fields_json;
};

struct composer {
	const struct sender	*sender;
	const struct alert	*alert;
	struct alert_context	*context;
	struct composed_list	 list;
	struct alert_output	 parts;
	struct footer		 footer;	/* for parts that need it */
	int			 footer_ok;
	char			 from_name[ADDR_NAME_MAX + 1];
	char			 from_addr[ADDR_MAX_LEN + 1];	/* "" if bad */
	char			 bounce[ADDR_MAX_LEN + 1];	/* MAIL FROM */
	char			 rcpt[ADDR_MAX_LEN + 1];	/* RCPT TO, To:
						   the domain in ASCII */
	char			 message_id[ADDR_MAX_LEN + 64];	/* the last */
	/* a confirmation: confirm_url */
	int			 confirm;
	char			 feedback_id[256];	/* "": none */
	int			 sign_later;	/* send's signer signs it */
	const char		*subject_prefix; /* "[TEST] ", or NULL */
};

void	composer_init(struct composer *c, const struct sender *s,
	    const struct alert *a, struct alert_context *ctx,
	    const struct composed_list *list);
void	composer_release(struct composer *c);
/* The blast the messages belong to, for their Feedback-ID (after
 * `confirm` is set); without it they carry none. */
void	composer_set_blast(struct composer *c, sqlite3_int64 blast_id);

/*
 * Writes the message for one recipient to `out` (reset first). With
 * `return_path`, the envelope sender is also printed as a Return-Path
 * header, as a delivered message would show it. 0, or -1 (logged).
 */
int	compose(struct composer *c, const struct composed_recipient *r,
	    int return_path, struct buf *out);

/*
 * Lints an alert against a list: its custom fields are known, and
 * action.* only `with_action`. Unknown variables are reported and make
 * it fail (FAIL_DATA), and so does a list with no postal address: every
 * message must show one. 0 or -1.
 */
struct db;
int	compose_lint(struct db *db, const struct alert *a,
	    sqlite3_int64 list_id,
	    int with_action);

/* 1 if the list has a postal address; 0 (logged, FAIL_DATA); -1. */
int	compose_has_address(struct db *db, sqlite3_int64 list_id);

/* Fills `out` with random bytes as lowercase hex (2 * n characters). */
void	compose_random_hex(char *out, size_t n);

#endif
