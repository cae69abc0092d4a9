#!/bin/sh
# Moving a list from another tool never re-mails anyone who left: a
# status column (a Mailchimp export, a Mailman roster) puts each row in
# its status, those who left are recorded so, an unknown or empty status
# rejects its row, and importing the file again changes nothing.
. "$(dirname "$0")/lib.sh"

DATA=$TOP/tests/data/migrate
run 0 tocsin init
run 0 tocsin list create bolivia --from "Bolivia <alerts@bolivia.example>" \
    --address "1 Main St, Springfield"
run 0 tocsin sub import bolivia "$DATA/mailchimp-export.csv"
has out "$DATA/mailchimp-export.csv: 2 imported, 0 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 2 recorded as left, 1 pending (not confirmed, not mailed), 2 rejected" \
	"a Mailchimp export: each row in its status"
has err "tocsin-sub: $DATA/mailchimp-export.csv:7: rejected: 'archived': not a status tocsin knows (subscribed, unsubscribed, cleaned, pending ...)" \
	"an unknown status rejects its row, named"
has err "tocsin-sub: $DATA/mailchimp-export.csv:8: rejected: no status (subscribed, unsubscribed, cleaned, pending ...)" \
	"so does an empty one"
statuses() {
	sql "SELECT s.email || ' ' || m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id JOIN lists l ON l.id = m.list_id WHERE l.name = '$1' ORDER BY 1" | tr '\n' ';'
}
is "$(statuses bolivia)" "ana@example.bo subscribed;beto@example.bo unsubscribed;ceci@example.bo bounced;dani@example.bo pending;eli@example.bo subscribed;" \
	"cleaned is bounced, pending is pending"
is "$(sql "SELECT kind || ' ' || detail FROM events e JOIN subscribers s ON s.id = e.subscriber_id WHERE s.email IN ('beto@example.bo', 'ceci@example.bo') ORDER BY s.email")" \
	"unsubscribe in the imported file
bounce in the imported file" "each leaving is an event"
is "$(sql "SELECT json_extract(fields, '\$.TAGS') FROM subscribers WHERE email = 'eli@example.bo'")" "donor" \
	"the other columns are still fields"
run 0 tocsin segment count bolivia
has out "2 people: subscribed members of 'bolivia'" "only the subscribed are mailed"

sql 'SELECT * FROM memberships ORDER BY 1, 2' >before
run 0 tocsin sub import bolivia "$DATA/mailchimp-export.csv"
has out "$DATA/mailchimp-export.csv: 0 imported, 0 updated, 5 unchanged, 0 left alone (unsubscribed, bounced or complained), 2 rejected" \
	"the same file again changes nothing"
sql 'SELECT * FROM memberships ORDER BY 1, 2' >after
same before after "not a status moved"

# A later roster that still has Beto subscribed does not bring him back.
printf 'email,first_name\nbeto@example.bo,Beto\n' >later.csv
run 0 tocsin sub import bolivia later.csv
has out "later.csv: 0 imported, 0 updated, 0 unchanged, 1 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"a plain import leaves those who left alone"

# Mailchimp's other files have no status column, but their columns say
# it: UNSUB_TIME in the unsubscribed file, CLEAN_TIME in the cleaned.
run 0 tocsin sub import bolivia "$DATA/mailchimp-unsubscribed.csv"
has out "$DATA/mailchimp-unsubscribed.csv: 0 imported, 0 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 2 recorded as left, 0 rejected" \
	"Mailchimp's unsubscribed file records who left"
run 0 tocsin sub import bolivia "$DATA/mailchimp-cleaned.csv"
has out "$DATA/mailchimp-cleaned.csv: 0 imported, 0 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 1 recorded as left, 0 rejected" \
	"and its cleaned file who bounced"
is "$(statuses bolivia)" "ana@example.bo unsubscribed;beto@example.bo unsubscribed;ceci@example.bo bounced;dani@example.bo pending;eli@example.bo subscribed;lu@example.bo unsubscribed;mo@example.bo bounced;" \
	"Ana, subscribed in the first file, unsubscribed in the later one"

# Two rows of one file for one address (in any case) that disagree:
# the first stands and the second is reported, not applied.
printf 'email,first_name,status\nrob@example.bo,Robert,subscribed\nROB@example.bo,Bob,subscribed\nsam@example.bo,Sam,subscribed\nsam@example.bo,Sam,unsubscribed\nrob@example.bo,Robert,subscribed\n' >dup.csv
run 0 tocsin sub import bolivia dup.csv
has out "dup.csv: 2 imported, 0 updated, 1 unchanged, 0 left alone (unsubscribed, bounced or complained), 2 rejected" \
	"conflicting rows for one address are rejected; a true repeat is not"
has err "tocsin-sub: dup.csv:3: rejected: 'ROB@example.bo': an earlier row of the file has this address with other values; the first stands" \
	"the conflict is reported with its line"
has err "tocsin-sub: dup.csv:5: rejected: 'sam@example.bo': an earlier row of the file has this address with other values; the first stands" \
	"a conflicting status too"
is "$(sql "SELECT s.first_name || ' ' || m.status FROM subscribers s JOIN memberships m ON m.subscriber_id = s.id WHERE s.email IN ('rob@example.bo', 'sam@example.bo') ORDER BY s.email")" \
	"Robert subscribed
Sam subscribed" "the first rows' values are the ones stored"

# The same in a file long enough that the table of rows seen is sized
# from the rows read so far (past its first few thousand): a conflict
# and a true repeat far from the rows they repeat are still told apart.
awk 'BEGIN { print "email,first_name"
	for (i = 1; i <= 6000; i++) printf "p%d@example.bo,P%d\n", i, i
	print "P17@example.bo,Other"; print "p5999@example.bo,P5999" }' >long.csv
run 0 tocsin list create long --from "Long <l@example.org>" \
    --address "1 Main St, Springfield"
run 0 tocsin sub import long long.csv
has out "long.csv: 6000 imported, 0 updated, 1 unchanged, 0 left alone (unsubscribed, bounced or complained), 1 rejected" \
	"6,002 rows: one conflict rejected, one repeat unchanged"
has err "tocsin-sub: long.csv:6002: rejected: 'P17@example.bo': an earlier row of the file has this address with other values; the first stands" \
	"the conflict 6,000 rows on is reported with its line"

# A Mailman roster: delivery_status in Mailman's words; someone who left
# is recorded so even when subscribed here (the first word that they
# left stands, and nothing resubscribes them).
run 0 tocsin list create roster --from "Roster <r@example.org>" \
    --address "1 Main St, Springfield"
run 0 tocsin sub import roster "$DATA/mailman-roster.csv"
has out "$DATA/mailman-roster.csv: 2 imported, 0 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 3 recorded as left, 0 rejected" \
	"a Mailman roster"
is "$(statuses roster)" "ana@example.bo subscribed;hugo@example.org subscribed;ines@example.org unsubscribed;juan@example.org bounced;kim@example.org unsubscribed;" \
	"by_user, by_bounces, by_moderator"
printf 'email,status\nhugo@example.org,by_user\nines@example.org,enabled\n' >changes.csv
run 0 tocsin sub import roster changes.csv
has out "changes.csv: 0 imported, 0 updated, 0 unchanged, 1 left alone (unsubscribed, bounced or complained), 1 recorded as left, 0 rejected" \
	"a status column unsubscribes a member, and never resubscribes"
is "$(statuses roster)" "ana@example.bo subscribed;hugo@example.org unsubscribed;ines@example.org unsubscribed;juan@example.org bounced;kim@example.org unsubscribed;" \
	"Hugo left, Ines stays out"

# An export of everyone carries each status, so a new database made
# from it mails nobody who left.
run 0 tocsin sub export bolivia --status all
cp out all.csv
has all.csv "email,first_name,last_name,status,MEMBER_RATING,OPTIN_TIME,TAGS" "the export has a status column"
run 0 tocsin sub export bolivia
has out "email,first_name,last_name,MEMBER_RATING,OPTIN_TIME,TAGS" "not when it holds the subscribed only"
statuses bolivia >want
export TOCSIN_DB=$T/moved.db
DB=$TOCSIN_DB
run 0 tocsin init
run 0 tocsin list create bolivia --from "Bolivia <alerts@bolivia.example>" \
    --address "1 Main St, Springfield"
run 0 tocsin sub import bolivia all.csv
has out "all.csv: 3 imported, 0 updated, 0 unchanged, 0 left alone (unsubscribed, bounced or complained), 5 recorded as left, 1 pending (not confirmed, not mailed), 0 rejected" \
	"the export imports into a new database"
statuses bolivia >got
unset TOCSIN_DB DB
same want got "with every status as it was"

# A spam report recorded in the old tool is about all our mail: the
# address is suppressed everywhere, as the inbox does with a complaint.
printf 'email,status\nfeli@example.bo,complained\n' >complained.csv
run 0 tocsin sub import bolivia complained.csv
is "$(sql "SELECT reason FROM suppressions WHERE email = 'feli@example.bo'")" "complained" \
	"an imported complaint suppresses the address on every list"
run 65 tocsin sub add roster feli@example.bo
is "$(sql "SELECT count(*) FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id JOIN lists l ON l.id = m.list_id WHERE s.email = 'feli@example.bo' AND l.name = 'roster'")" \
	"0" "so another list does not take them"

# Signatures have no status column: the column is ignored there.
run 0 tocsin action create resign-now --title "Resign now"
printf 'email,name,status\nana@example.bo,Ana Quispe,unsubscribed\n' >signed.csv
run 0 tocsin action import resign-now signed.csv
has out "signed.csv: 1 signed, 0 already signed, 0 rejected" "a signature file's status is no status"

done_testing
