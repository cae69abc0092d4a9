/*
 * listrefusal: a mailing-list manager's refusal (see listrefusal.h).
 *
 * Recognised by what only a list manager writes: it says so in its
 * headers (X-MLServer, Mailing-List, List-*), it writes from the list's
 * administrative address (-admin@, -owner@, owner-, -request@), and its
 * first lines name the list in angle brackets beside words of refusal.
 * All three, because a list's ordinary mail (a welcome, a digest) has the
 * first two and must not cost a subscriber their subscription.
 */
#include <string.h>

#include "bounce.h"
#include "listrefusal.h"
#include "fold.h"
#include "reason.h"
#include "rfc822.h"

/*
 * Words of refusal and the reason each names, in Sisimai's vocabulary:
 * the list takes posts only from its members, or its loop check took
 * our alert for one it had seen.
 */
static const struct {
	const char	*words;
	enum reason	 reason;
} refusals[] = {
	{ "not a member", REASON_REJECTED },
	{ "non-member", REASON_REJECTED },
	{ "members-only", REASON_REJECTED },
	{ "not allowed to post", REASON_REJECTED },
	{ "duplicated message-id", REASON_SYSTEMERROR },
	{ "mail loop", REASON_SYSTEMERROR },
	{ "loop detected", REASON_SYSTEMERROR },
};

/* A post held for a moderator is waiting, not refused. */
static const char *const waiting[] = { "being held", "held for",
    "awaits moderator", "awaiting moderator", "moderator approval" };

static int
from_list_manager(const struct mailview *v)
{
	static const char *roles[] = { "-admin@", "-owner@", "owner-",
	    "-request@", "-bounces@" };
	const char *from = rfc822_get(&v->top, "From");
	char addr[ADDR_MAX_LEN + 1];
	size_t i;

	if (rfc822_get(&v->top, "X-MLServer") == NULL &&
	    rfc822_get(&v->top, "Mailing-List") == NULL &&
	    rfc822_get(&v->top, "List-Id") == NULL &&
	    rfc822_get(&v->top, "List-Subscribe") == NULL)
		return 0;
	if (from == NULL ||
	    addr_find_next(from, strlen(from), addr, NULL) == NULL)
		return 0;
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strstr(addr, roles[i]) != NULL)
			return 1;
	return 0;
}

/* The reason the folded text's words of refusal name, or REASON_NONE. */
static enum reason
refusal_in(const char *folded)
{
	size_t i;

	for (i = 0; i < sizeof(waiting) / sizeof(waiting[0]); i++)
		if (strstr(folded, waiting[i]) != NULL)
			return REASON_NONE;
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if (strstr(folded, refusals[i].words) != NULL)
			return refusals[i].reason;
	return REASON_NONE;
}

size_t
list_refusal_read(const struct mailview *v, struct classify *c)
{
	const struct mailview_part *text;
	const char *subject = rfc822_get(&v->top, "Subject");
	const char *p, *end, *lt, *gt;
	enum reason reason;
	char folded[1024], addr[ADDR_MAX_LEN + 1];
	struct classify_rcpt *r;
	size_t n;

	/* The headers first: most mail is not a list's and ends here. */
	if (!from_list_manager(v) ||
	    (text = mailview_find(v, "text/plain", 0)) == NULL)
		return 0;
	/* The report: the lines before the returned post, or the first 1 KB. */
	n = text->original < sizeof(folded) - 1 ? text->original :
	    sizeof(folded) - 1;
	fold_text(text->body, n, folded, sizeof(folded));
	reason = refusal_in(folded);
	if (reason == REASON_NONE && subject != NULL) {
		fold_text(subject, strlen(subject), folded, sizeof(folded));
		reason = refusal_in(folded);
	}
	if (reason == REASON_NONE)
		return 0;
	/* The list: the first address written <like this> in the report. */
	for (p = text->body, end = text->body + n;
	    (lt = memchr(p, '<', (size_t)(end - p))) != NULL; p = lt + 1) {
		gt = memchr(lt, '>', (size_t)(end - lt));
		if (gt == NULL)
			break;
		if (addr_find_next(lt + 1, (size_t)(gt - lt - 1), addr,
		    NULL) == NULL || (r = classify_add(c, addr)) == NULL)
			continue;
		r->reason = reason;
		r->hard = 0;
		return 1;
	}
	return 0;
}
