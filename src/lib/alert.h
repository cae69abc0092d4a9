/*
 * alert: an alert template file and the data it is merged with.
 *
 * The file is a header block, a blank line, the text part, and
 * optionally a line "--- html ---" followed by the HTML part:
 *
 *   Subject: {{first_name}}, the minister must resign. Will you sign?
 *   Preheader: {{action.signer_count}} people have signed already
 *   From: Friends of the River <alerts@river.example>    (optional)
 *
 *   Hi {{first_name}}, ...
 *   --- html ---
 *   <p>Hi {{first_name}}, ...</p>
 *
 * Subject, Preheader and both parts are Mustache; {{x}} is HTML-escaped
 * in the HTML part and the preheader only. There is no Reply-To: replies
 * go to the recipient's reply+TOKEN address, where the inbox reads
 * them. Partials {{> name}} are name.mustache beside the file.
 */
#ifndef TOCSIN_ALERT_H
#define TOCSIN_ALERT_H

#include "buf.h"
#include "merge.h"
#include "mval.h"
#include "reltime.h"

#define ALERT_FILE_MAX		(1024 * 1024)
#define ALERT_RECENT_MAX	100	/* recent signers an alert may show */
#define ALERT_RECENT_DEFAULT	10	/* in action.recent_signers */
#define ALERT_RECENT_COUNTS	4	/* action.recent_signers_N in one */
#define ALERT_FIELDS_MAX	256	/* custom fields a recipient has */
#define ALERT_ORGS_MAX		200	/* a letter's organisations */
#define ALERT_HTML_SEPARATOR	"--- html ---"

struct alert {
	char			*path;
	char			*dir;		/* for partials */
	struct merge_env	*env;
	/* partials of a snapshot (cJSON) */
	void			*snapshot;
	struct mtemplate	 subject;
	struct mtemplate	 preheader;
	struct mtemplate	 text;
	struct mtemplate	 html;
	int			 has_preheader;
	int			 has_html;
	char			*from;		/* "Name <addr>", or NULL */
	unsigned		 subject_line;
	unsigned		 preheader_line;
	unsigned		 text_line;	/* where each part starts */
	unsigned		 html_line;
};

/*
 * Loads and compiles; errors are logged as FILE:LINE:COL (FAIL_DATA),
 * and a failed load has released everything.
 */
int	alert_load(struct alert *a, const char *path);
void	alert_release(struct alert *a);

/*
 * Loads a template from a blast's snapshot: the file's text and a JSON
 * object of the partials it used, {name: source}. Like alert_load.
 */
int	alert_load_snapshot(struct alert *a, const char *name, const char *src,
	    const char *partials_json);

/* The partials used so far as a JSON object (caller frees), for a
 * snapshot: call after alert_lint, which loads them all. */
char	*alert_partials_json(const struct alert *a);

/* The loader for partials beside a template: NAME.mustache in `dir`. */
struct merge_loader alert_partial_loader(const char *dir);

/* What is the same for every recipient of a blast. */
struct alert_context {
	const char	*list_name;	/* its title: "Friends of the River" */
	const char	*list_slug;	/* its name in commands: "river" */
	const char	*list_address;	/* its postal address, or "" */
	int		 has_action;
	const char	*action_title;
	const char	*action_slug;
	char		 signer_count[24];
	char		 signer_names[ALERT_RECENT_MAX][64];
	char		 signer_agos[ALERT_RECENT_MAX][RELTIME_MAX];
	size_t		 nsigners;
	char		 org_count[24];
	char		 org_names[ALERT_ORGS_MAX][128];
	char		 org_numbers[ALERT_ORGS_MAX][8];
	size_t		 norgs;
	/* mval storage that the data points into */
	struct mval	 signer_fields[ALERT_RECENT_MAX][2];
	struct mval	 signers[ALERT_RECENT_MAX];
	struct mval	 org_fields[ALERT_ORGS_MAX][2];
	struct mval	 orgs[ALERT_ORGS_MAX];
	/* action.recent_signers_N: the N newest (alert_context_counts) */
	unsigned	 recent_counts[ALERT_RECENT_COUNTS];
	char		 recent_keys[ALERT_RECENT_COUNTS][32];
	size_t		 nrecent_counts;
	struct mval	 list[3];
	struct mval	 action[6 + ALERT_RECENT_COUNTS];
};

/* One recipient's own values. */
struct alert_recipient {
	const char	*first_name;
	const char	*last_name;
	const char	*email;
	const char	*fields_json;	/* custom fields, or NULL */
	const char	*unsubscribe_url;
	const char	*unsubscribe_mailto;
	const char	*sign_mailto;
	/* with an action: its page, one click */
	const char	*sign_url;
	const char	*confirm_url;	/* a confirmation's link, or NULL */
};

/* The merge data of one recipient; strings are borrowed. */
struct alert_data {
	struct mval	 members[12 + ALERT_FIELDS_MAX];
	struct mval	 root;
	struct mval_doc	 fields;
	int		 has_fields;
};

/*
 * Notes which action.recent_signers_N (N from 1 to ALERT_RECENT_MAX)
 * the alert uses, so the data has them; at most ALERT_RECENT_COUNTS
 * different N. Call before alert_context_ready.
 */
void	alert_context_counts(struct alert_context *c, const struct alert *a);

/* Points the context's values at its strings (call after filling). */
void	alert_context_ready(struct alert_context *c);
/* Builds the data; release it before the next recipient. */
void	alert_data_build(struct alert_data *d, const struct alert_context *c,
	    const struct alert_recipient *r);
void	alert_data_release(struct alert_data *d);

/*
 * A schema for lint: every built-in name (action.* only with an
 * action, and the recent_signers_N `a` uses), plus the custom fields
 * named in `fields` (NULL-terminated).
 */
void	alert_schema(struct alert_data *d, struct alert_context *c,
	    const struct alert *a, int with_action, const char *const *fields);

/*
 * Reports each unknown variable as FILE:LINE:COL and returns how many,
 * or -1 if a partial does not compile.
 */
int	alert_lint(const struct alert *a, const struct mval *schema);

struct alert_output {
	struct buf	subject;
	struct buf	text;
	struct buf	html;
};

void	alert_output_init(struct alert_output *o);
void	alert_output_release(struct alert_output *o);
/* Renders every part for one recipient. 0, or -1 (logged). */
int	alert_render(const struct alert *a, const struct mval *data,
	    struct alert_output *o);

#endif
