/*
 * webconfirm: double opt-in for what strangers do on tocsin web's pages.
 * A signature made on the form of an action's page, without a token, is
 * kept pending and counts only once its email is confirmed: the
 * confirmation mail is a delivery of the action's confirmation blast
 * (kind 'confirm', its template confirm.alert), which tocsin send sends
 * like any other, never an SMTP call from the web process. Its
 * {{confirm_url}} is public_url/c/TOKEN with a confirm token for that
 * delivery; GET shows one button, POST confirms (time and address
 * recorded), and with the signer's consent they join the action's list.
 */
#ifndef TOCSIN_WEBCONFIRM_H
#define TOCSIN_WEBCONFIRM_H

#include <sqlite3.h>
#include <time.h>

#include "webapp.h"

/*
 * Reads the form of rq (first_name, last_name, email, postcode,
 * comment, consent; for a letter, org too), keeps the signature pending
 * and queues its
 * confirmation. 1 done (or done before: nothing is sent twice), 0 bad
 * input (*why says what, for the page), -1 a database failure.
 */
int	webconfirm_sign(struct webapp *a, const struct web_request *rq,
	    sqlite3_int64 action_id, sqlite3_int64 list_id, int is_letter,
	    time_t now, const char **why);

#endif
