/*
 * addr: checks and normalises an email address the way a mailing list
 * needs: a practical RFC 5321 check (one '@', a dot-atom local part, a
 * dotted domain of valid labels, the length limits), not the full RFC 5322
 * grammar with comments and quoted strings that no supporter types.
 * UTF-8 (RFC 6531) is accepted when it is well formed.
 */
#ifndef TOCSIN_ADDR_H
#define TOCSIN_ADDR_H

#include <stddef.h>

#define ADDR_MAX_LEN	254	/* RFC 5321 path limit less the brackets */
#define ADDR_LOCAL_MAX	64
#define ADDR_LABEL_MAX	63

/*
 * Trims surrounding white space from src (srclen bytes), checks it, and
 * writes the normalised address to out (at least ADDR_MAX_LEN + 1 bytes):
 * the local part as written, the domain lower-cased (see below for
 * UTF-8). Returns 0, or -1 with *why set to a static reason such as
 * "no '@'".
 */
int	addr_normalise(const char *src, size_t srclen, char *out,
	    const char **why);

/*
 * Parses a mailbox as people write it in a From: "Name <addr>" or a
 * bare "addr". Writes the name (without quotes; "" if none, at most
 * ADDR_NAME_MAX bytes) and the normalised address. 0, or -1 with *why.
 */
#define ADDR_NAME_MAX 100
int	addr_parse_mailbox(const char *s, char *name, char *addr,
	    const char **why);

/*
 * An address with UTF-8 is stored in NFC with its domain as a U-label
 * (IDNA2008, libidn2), so that one person is one address however it was
 * typed. Without SMTPUTF8 it travels with its domain as an A-label
 * (addr_ascii_domain), which works only when its local part is ASCII.
 */
int	addr_local_is_ascii(const char *addr);
/* Writes `addr` with its domain as an A-label (out: ADDR_MAX_LEN + 1
 * bytes). 0, or -1 with *why. */
int	addr_ascii_domain(const char *addr, char *out, const char **why);

/* Returns a pointer to the domain part of a normalised address. */
const char *addr_domain(const char *addr);

/*
 * Finds the next email address in text s[0..len) (a header, a report:
 * anything a stranger wrote) and writes it lower-cased to out
 * (ADDR_MAX_LEN + 1 bytes), unchecked: what it finds is a candidate,
 * not a valid address. Returns a pointer just past it in s, or NULL
 * when there is none; *at is where it starts.
 */
const char *addr_find_next(const char *s, size_t len, char *out,
	    const char **at);

#endif
