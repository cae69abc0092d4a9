/*
 * provider: what the large mailbox providers and mail programs mean by
 * the codes and sentences of their own. Cox and Spectrum put a code
 * after "AUP#", La Poste and Orange one like "LPN007_416", and each
 * lists on its error-code page what the code means; AOL, Outlook.com,
 * Yahoo, Mimecast, MessageLabs, NTT docomo and KDDI use set sentences
 * (or reply codes) for their refusals that the general phrase table
 * would misread. The provider is known by the recipient's domain or by
 * the host names the report gives (Reporting-MTA, Remote-MTA, "host ...
 * said", gathered once a message into `mtas`). Mail programs say what
 * they are in the report (Ipswitch IMail's X-Mailer, InterScan's
 * banner, a local delivery agent's name before its words) and have set
 * sentences too. All text here is folded (fold_text).
 */
#ifndef TOCSIN_PROVIDER_H
#define TOCSIN_PROVIDER_H

#include "reason.h"

struct provider_input {
	const char	*domain;	/* the recipient's, lower case, or "" */
	const char	*mtas;		/* hosts named, and X-Mailer, or "" */
	const char	*report;	/* the whole report, or "" */
	const char	*diag;		/* the recipient's words, or "" */
	const char	*status;	/* "5.1.1", or "" */
	const char	*command;	/* "RCPT", "DATA", ..., or "" */
};

/*
 * The reason the provider's own code or sentence gives, or REASON_NONE
 * when no provider is known or it says nothing known.
 */
enum reason provider_reason(const struct provider_input *in);

/*
 * The reason a report gives as a whole (folded), over what it says of
 * each recipient: Google Groups refuses a post (no such group, or no
 * right to post) in the poster's language, so its bounce is rejected.
 * REASON_NONE when the report is no such one.
 */
enum reason provider_report_reason(const char *folded_report);

#endif
