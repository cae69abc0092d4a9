/*
 * person: everything held about one person, shown, exported, or
 * forgotten (GDPR's rights of access and erasure): their subscriber
 * record, every list, signature, pending signature, delivery, event and
 * reply. person forget deletes it all in one transaction and keeps two
 * things only: deliveries, made anonymous, so a blast's figures stay
 * true; and a salted hash of the address in the suppression list
 * (PEOPLE_FORGOTTEN_SQL), so no import, sub add or form puts them back.
 */
#ifndef TOCSIN_PERSON_H
#define TOCSIN_PERSON_H

#include "db.h"

/* person show: the collection for a person to read. 0 or -1. */
int	person_show(struct db *db, const char *email);
/* person export: the collection as JSON on stdout. 0 or -1. */
int	person_export(struct db *db, const char *email);

struct person_forgotten {
	long long	lists;
	long long	signatures;	/* and pending ones */
	long long	deliveries;	/* kept, made anonymous */
	long long	events;
	long long	replies;
	int		had_record;	/* a subscriber record was held */
};

/*
 * Forgets the person. With `really` 0, only counts what would go. 0, or
 * -1 (logged). *f says what went.
 */
int	person_forget(struct db *db, const char *email, int really,
	    struct person_forgotten *f);

#endif
