#!/bin/sh
# GDPR: person show and export give everything held about a person;
# person forget deletes it everywhere (lists, signatures, events,
# replies), keeps the blasts' figures, and leaves only a salted hash in
# the suppression list, so no import or sub add brings them back.
. "$(dirname "$0")/lib.sh"

MK="python3 $TOP/tests/tools/mkmail.py"
new_secret
start_sink
start_dovecot
cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
$(imap_config)
X
run 0 tocsin init
run 0 tocsin list create river --from "River Alliance <alerts@river.example>" \
	--reply-to organiser@river.example --address "PO Box 7, La Paz"
run 0 tocsin list create lake --from "Lake <alerts@lake.example>" \
	--address "PO Box 7, La Paz"
printf 'email,first_name,last_name,city\nAnn.Lee@example.org,Ann,Lee,Lyon\nbob@example.org,Bob,Ray,Porto\n' >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin sub import lake people.csv
run 0 tocsin action create resign-now --title "Resign now"
run 0 tocsin action sign resign-now ann.lee@example.org --name "Ann Lee" \
	--org "Riverside Allotments"
run 0 tocsin action sign resign-now bob@example.org --name "Bob Ray"
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
mkdir msgs
$MK reply "$(sunk_to Ann.Lee@example.org)" "Please tell me who funds you." >msgs/ann
# A stranger's report naming someone else whose address holds hers.
$MK forged-dsn bounces@bounces.example.org joann.lee@example.org >msgs/joann
maildir_deliver msgs/ann msgs/joann
run 0 tocsin inbox --once
is "$(sql "SELECT count(*) FROM replies")" "2" "the reply and the report are kept"

# show: every kind of record, by any case of the address.
run 0 tocsin person show ANN.LEE@example.org
has out "what is held about ANN.LEE@example.org" "show names the person"
has out "lists: 2" "both lists"
has out "  list: lake" "each list by name"
has out "  status: subscribed" "with its status"
has out "signatures: 1" "the signature"
has out "  org: Riverside Allotments" "with its organisation"
has out "deliveries: 1" "the delivery"
has out "replies: 1" "the reply, not a report naming joann.lee@"
has out "  excerpt: Please tell me who funds you." "with its words"
has out '  fields: {"city":"Lyon"}' "custom fields are shown"
has out "events: 1" "the event of her reply"
lacks out "bob@example.org" "nobody else's data"

# export: the same as JSON.
run 0 tocsin person export ann.lee@example.org
/usr/bin/python3 - out >checks <<'X'
import json, sys
d = json.load(open(sys.argv[1]))
print(d['subscriber'][0]['email'] == 'Ann.Lee@example.org', 'export: the address as written')
print(sorted(x['list'] for x in d['lists']) == ['lake', 'river'], 'export: the lists')
print(d['signatures'][0]['name'] == 'Ann Lee', 'export: the signature as signed')
print(d['deliveries'][0]['state'] == 'sent', 'export: the delivery and its state')
print(d['replies'][0]['excerpt'].startswith('Please tell me'), 'export: the reply')
print(d['subscriber'][0]['created_at'].endswith('Z'), 'export: times are ISO 8601 UTC')
print(len(d['events']) >= 0 and d['suppression'] == [], 'export: no suppression yet')
X
while read -r verdict what; do
	is "$verdict" True "$what"
done <checks

# forget: without --yes, only what would go.
run 64 tocsin person forget ann.lee@example.org
has out "would forget ann.lee@example.org: 2 list memberships, 1 signature, 1 event and 1 reply deleted; 1 delivery kept without them, for the blasts' figures" \
	"forget without --yes says what would go"
has out "nothing changed: add --yes to forget them" "and that nothing changed"
is "$(sql "SELECT count(*) FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'ann.lee@example.org'")" \
	"2" "nothing changed"
sent_before=$(sql "SELECT count(*) FROM deliveries WHERE state = 'sent'")
run 0 tocsin person forget ann.lee@example.org --yes
has out "forgot ann.lee@example.org: 2 list memberships, 1 signature, 1 event and 1 reply deleted; 1 delivery kept without them, for the blasts' figures" \
	"forget says what went"
grep -q "^a salted hash of the address stays in the suppression list" out
tap_result $? "and what stays"
for t in subscribers signatures replies events suppressions pending_signatures deliveries; do
	is "$(sqlite3 "$T/tocsin.db" ".dump $t" | grep -ciE '(^|[^a-z])ann\.lee|Ann Lee|Riverside Allot|who funds')" "0" \
		"nothing of her is left in $t"
done
is "$(sql "SELECT count(*) FROM deliveries WHERE state = 'sent'")" "$sent_before" \
	"the blast's figures are unchanged"
is "$(sql "SELECT count(*) FROM signatures")" "1" "the other signer stays"
is "$(sql "SELECT count(*) FROM replies WHERE excerpt LIKE '%joann.lee@example.org%'")" "1" \
	"and so does the report naming joann.lee@, whose address holds hers"
is "$(sql "SELECT reason FROM suppressions")" "forgotten" "one row in the suppression list"
grep -q "^forgotten:[0-9a-f]\{64\}$" <<X
$(sql "SELECT email FROM suppressions")
X
tap_result $? "and it is a hash"
run 0 tocsin person show ann.lee@example.org
has out "suppression: 1" "show finds the hash by the address"
has out "  reason: forgotten" "and says why"
has out "lists: 0" "and nothing else"

# Nothing brings her back but the operator lifting it.
run 0 tocsin sub import river people.csv
is "$(sql "SELECT count(*) FROM subscribers WHERE email = 'ann.lee@example.org'")" "0" \
	"an import does not bring her back"
# A new person first makes the import try each insert before a lookup.
run 0 tocsin suppress add kept.out@example.org
printf 'email\nnew.face@example.org\nANN.LEE@example.org\nnext.face@example.org\nkept.out@example.org\n' >newfirst.csv
run 0 tocsin sub import river newfirst.csv
has out "newfirst.csv: 2 imported, 0 updated, 0 unchanged, 2 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"after a new person, her row and a suppressed one are left alone"
is "$(sql "SELECT count(*) FROM subscribers WHERE email IN ('ann.lee@example.org', 'kept.out@example.org')")" "0" \
	"and neither is stored"
run 65 tocsin sub add lake ANN.LEE@example.org
is "$(sql "SELECT count(*) FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'ann.lee@example.org'")" \
	"0" "nor does sub add, in any case"
printf 'email,name\nann.lee@example.org,Ann Lee\n' >signed.csv
run 0 tocsin action import resign-now signed.csv
grep -q "signed.csv:2: rejected: ann.lee@example.org asked to be forgotten (tocsin person forget)" err
tap_result $? "nor an import of signatures"
run 0 tocsin suppress export
lacks out "forgotten:" "suppress export leaves the hash out (it is salted for this database)"
run 0 tocsin suppress rm ann.lee@example.org --reason "she asked to rejoin"
run 0 tocsin sub add lake ann.lee@example.org
is "$(sql "SELECT m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'ann.lee@example.org'")" \
	"subscribed" "suppress rm lifts the hash"

run 65 tocsin person show not-an-address
has err "tocsin-person: 'not-an-address' is not an email address: no '@'" \
	"a bad address is refused"
run 0 tocsin person show nobody@example.org
has out "nothing is held about nobody@example.org" "a stranger has nothing held"
done_testing
