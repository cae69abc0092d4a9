/*
 * mimeparse: parses a message with libetpan's MIME parser and prints
 * what a mail client would show, for the end-to-end tests: the decoded
 * Subject, From and To, then each part's type and decoded body.
 *
 * usage: mimeparse FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "fsx.h"

static void
print_decoded(const char *label, const char *raw)
{
	char *out = NULL;
	size_t idx = 0;

	if (raw == NULL) {
		printf("%s: \n", label);
		return;
	}
	if (mailmime_encoded_phrase_parse("utf-8", raw, strlen(raw), &idx,
	    "utf-8", &out) == MAILIMF_NO_ERROR) {
		printf("%s: %s\n", label, out);
		free(out);
	} else
		printf("%s: (undecodable) %s\n", label, raw);
}

static void
print_mailboxes(const char *label, struct mailimf_mailbox_list *l)
{
	clistiter *it;

	for (it = clist_begin(l->mb_list); it != NULL; it = clist_next(it)) {
		struct mailimf_mailbox *mb = clist_content(it);
		char name[512];

		snprintf(name, sizeof(name), "%s-name", label);
		print_decoded(name, mb->mb_display_name);
		printf("%s-addr: %s\n", label, mb->mb_addr_spec);
	}
}

static void
print_fields(struct mailimf_fields *fields)
{
	clistiter *it;
	int n = 0;

	for (it = clist_begin(fields->fld_list); it != NULL;
	    it = clist_next(it), n++) {
		struct mailimf_field *f = clist_content(it);

		if (f->fld_type == MAILIMF_FIELD_SUBJECT)
			print_decoded("subject", f->fld_data.fld_subject->sbj_value);
		else if (f->fld_type == MAILIMF_FIELD_FROM)
			print_mailboxes("from", f->fld_data.fld_from->frm_mb_list);
		else if (f->fld_type == MAILIMF_FIELD_TO) {
			struct mailimf_address *a = clist_content(clist_begin(
			    f->fld_data.fld_to->to_addr_list->ad_list));

			if (a->ad_type == MAILIMF_ADDRESS_MAILBOX) {
				print_decoded("to-name",
				    a->ad_data.ad_mailbox->mb_display_name);
				printf("to-addr: %s\n",
				    a->ad_data.ad_mailbox->mb_addr_spec);
			}
		}
	}
	printf("fields: %d\n", n);
}

static void
print_part(struct mailmime *m)
{
	struct mailmime_content *ct = m->mm_content_type;
	struct mailmime_data *d;
	const char *type = "?";
	char *body;
	size_t idx = 0, len;
	clistiter *it;

	if (ct->ct_type->tp_type == MAILMIME_TYPE_COMPOSITE_TYPE)
		type = "multipart";
	else if (ct->ct_type->tp_data.tp_discrete_type->dt_type ==
	    MAILMIME_DISCRETE_TYPE_TEXT)
		type = "text";
	printf("part: %s/%s\n", type, ct->ct_subtype);
	if (m->mm_type == MAILMIME_MULTIPLE) {
		for (it = clist_begin(m->mm_data.mm_multipart.mm_mp_list);
		    it != NULL; it = clist_next(it))
			print_part(clist_content(it));
		return;
	}
	d = m->mm_data.mm_single;
	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT)
		return;
	if (mailmime_part_parse(d->dt_data.dt_text.dt_data,
	    d->dt_data.dt_text.dt_length, &idx, d->dt_encoding, &body,
	    &len) != MAILIMF_NO_ERROR)
		return;
	/* Lines as a reader sees them: CRLF printed as LF. */
	for (idx = 0; idx < len; idx++)
		if (!(body[idx] == '\r' && idx + 1 < len && body[idx + 1] == '\n'))
			putchar(body[idx]);
	printf("\nend-part\n");
	mmap_string_unref(body);
}

int
main(int argc, char **argv)
{
	struct mailmime *mime;
	size_t len, idx = 0;
	char *msg;

	if (argc != 2) {
		fprintf(stderr, "usage: mimeparse FILE\n");
		return 64;
	}
	msg = fsx_read(argv[1], 64 * 1024 * 1024, &len);
	if (msg == NULL) {
		perror(argv[1]);
		return 66;
	}
	if (mailmime_parse(msg, len, &idx, &mime) != MAILIMF_NO_ERROR) {
		fprintf(stderr, "mimeparse: libetpan cannot parse %s\n", argv[1]);
		return 65;
	}
	if (mime->mm_type == MAILMIME_MESSAGE) {
		print_fields(mime->mm_data.mm_message.mm_fields);
		print_part(mime->mm_data.mm_message.mm_msg_mime);
	}
	mailmime_free(mime);
	free(msg);
	return 0;
}
