/*
 * verdict: what the classifier says of a message, and the one way its
 * readers (bounce, listrefusal, classify's own) add a recipient to it.
 * The readers include this and not classify.h: they fill a verdict,
 * classify_message drives them.
 */
#ifndef TOCSIN_VERDICT_H
#define TOCSIN_VERDICT_H

#include <stddef.h>

#include "addr.h"
#include "reason.h"
#include "token.h"

enum classify_kind {
	CLASSIFY_UNKNOWN,
	CLASSIFY_BOUNCE,
	CLASSIFY_COMPLAINT,
	CLASSIFY_AUTOREPLY,
	CLASSIFY_UNSUBSCRIBE,
	CLASSIFY_SIGN,
	CLASSIFY_REPLY,
};

#define CLASSIFY_RCPT_MAX	32
#define CLASSIFY_TOKENS_MAX	8
#define CLASSIFY_STATUS_MAX	16
#define CLASSIFY_TEXT_MAX	256
#define CLASSIFY_EXCERPT_MAX	1024

struct classify_rcpt {
	char		 addr[ADDR_MAX_LEN + 1];	/* lower case */
	/* REASON_NONE when nothing says why */
	enum reason	 reason;
	char		 status[CLASSIFY_STATUS_MAX];	/* "5.1.1" or "" */
	int		 hard;		/* 1, 0, or -1 when not a failure */
	int		 delayed;	/* a delay notice, not a failure */
};

/* Where a token was found: the role of the address that carried it. */
enum classify_role {
	CLASSIFY_ROLE_BOUNCE = 'b',	/* bounce+TOKEN@ */
	CLASSIFY_ROLE_REPLY = 'r',	/* reply+TOKEN@ */
	CLASSIFY_ROLE_UNSUBSCRIBE = 'u', /* unsubscribe+TOKEN@ or ?t=TOKEN */
	CLASSIFY_ROLE_SIGN = 's',	/* sign+TOKEN@ */
};

struct classify_token {
	char	role;
	/* in our own To/Delivered-To..., not returned */
	int	addressed;
	char	value[TOKEN_MAX];
};

struct classify {
	enum classify_kind	 kind;
	int			 mime_ok;	/* libetpan took it apart */
	struct classify_rcpt	 rcpt[CLASSIFY_RCPT_MAX];
	size_t			 nrcpt;
	/* Addressed to us (To, Delivered-To...) first, then returned ones. */
	struct classify_token	 tokens[CLASSIFY_TOKENS_MAX];
	size_t			 ntokens;
	char			 from[ADDR_MAX_LEN + 1];
	/* A bounce's Reporting-MTA, Remote-MTA, the hosts its words name
	 * as answering, and its X-Mailer, folded. */
	char			 mtas[CLASSIFY_TEXT_MAX];
	/* What a bounce report says as a whole (provider.h), read once
	 * before its recipients are judged; REASON_NONE if nothing. */
	enum reason		 report_reason;
	char			 subject[CLASSIFY_TEXT_MAX];	/* as written */
	char			 date[CLASSIFY_TEXT_MAX];
	/* A reply's first words, for a person; control bytes made spaces. */
	char			 excerpt[CLASSIFY_EXCERPT_MAX];
};

/*
 * Adds a recipient (an address as found, or "" when the report names
 * nobody) unless it is there already: the new entry, zeroed but for the
 * address and hard = -1, or NULL when it is a repeat or there is no room.
 */
struct classify_rcpt *classify_add(struct classify *c, const char *addr);

/* "bounce", "complaint", ... */
const char *classify_kind_name(enum classify_kind kind);

#endif
