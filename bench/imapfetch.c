/*
 * imapfetch: the reference for bench/inbox: a bare libetpan client that
 * logs in, selects INBOX and fetches every message with UID FETCH
 * (BODY.PEEK[]) in batches of 500 UIDs, as tocsin inbox does, and does
 * nothing with them. Prints "messages=N bytes=B".
 *
 * With MOVE_TO it also moves each batch there with UID MOVE, as tocsin
 * inbox moves what it has done: the server's share of the work, which
 * bounds the end-to-end rate. FROM is the mailbox read (INBOX).
 *
 * usage: imapfetch PORT USER PASSWORD_FILE [MOVE_TO [FROM]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#define BATCH	500

/* The size of a BODY[] item, or 0 for any other. */
static size_t
body_bytes(const struct mailimap_msg_att_item *i)
{
	const struct mailimap_msg_att_static *st;

	if (i->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
		return 0;
	st = i->att_data.att_static;
	if (st->att_type != MAILIMAP_MSG_ATT_BODY_SECTION)
		return 0;
	return st->att_data.att_body_section->sec_length;
}

int
main(int argc, char **argv)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_set *set;
	char pass[256];
	mailimap *s;
	clist *res;
	clistiter *it;
	FILE *fp;
	uint32_t first, next;
	size_t n = 0, bytes = 0;
	const char *move_to = argc > 4 ? argv[4] : NULL;
	const char *from = argc > 5 ? argv[5] : "INBOX";

	if (argc < 4 || argc > 6 || (fp = fopen(argv[3], "r")) == NULL ||
	    fgets(pass, sizeof(pass), fp) == NULL) {
		fprintf(stderr, "usage: imapfetch PORT USER PASSWORD_FILE "
		    "[MOVE_TO [FROM]]\n");
		return 64;
	}
	fclose(fp);
	pass[strcspn(pass, "\r\n")] = '\0';
	s = mailimap_new(0, NULL);
	if (mailimap_socket_connect(s, "127.0.0.1",
	    (uint16_t)strtol(argv[1], NULL, 10)) >
	    MAILIMAP_NO_ERROR_NON_AUTHENTICATED ||
	    mailimap_login(s, argv[2], pass) != MAILIMAP_NO_ERROR ||
	    mailimap_select(s, from) != MAILIMAP_NO_ERROR) {
		fprintf(stderr, "imapfetch: cannot log in and select\n");
		return 69;
	}
	if (move_to != NULL)
		(void)mailimap_create(s, move_to);	/* it may exist */
	next = s->imap_selection_info->sel_uidnext;
	for (first = 1; first < next; first += BATCH) {
		set = mailimap_set_new_interval(first, first + BATCH - 1);
		ft = mailimap_fetch_type_new_fetch_att_list_empty();
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_uid());
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_body_peek_section(
		    mailimap_section_new(NULL)));
		if (mailimap_uid_fetch(s, set, ft, &res) != MAILIMAP_NO_ERROR) {
			fprintf(stderr, "imapfetch: UID FETCH failed\n");
			return 75;
		}
		for (it = clist_begin(res); it != NULL; it = clist_next(it)) {
			struct mailimap_msg_att *m = clist_content(it);
			clistiter *a;

			for (a = clist_begin(m->att_list); a != NULL;
			    a = clist_next(a))
				bytes += body_bytes(clist_content(a));
			n++;
		}
		mailimap_fetch_list_free(res);
		mailimap_fetch_type_free(ft);
		if (move_to != NULL &&
		    mailimap_uid_move(s, set, move_to) != MAILIMAP_NO_ERROR) {
			fprintf(stderr, "imapfetch: UID MOVE failed\n");
			return 75;
		}
		mailimap_set_free(set);
	}
	mailimap_logout(s);
	mailimap_free(s);
	printf("messages=%zu bytes=%zu\n", n, bytes);
	return 0;
}
