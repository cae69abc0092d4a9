#!/bin/sh
# The compliance rule: import and add never resubscribe an address that
# unsubscribed, bounced or complained, on the list or in the global
# suppression list; only --resubscribe with a reason does, recorded.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create news --from news@example.org \
    --address "1 Main St, Springfield"
run 0 tocsin list create other --from other@example.org \
    --address "1 Main St, Springfield"
cat >people.csv <<'X'
email,first_name
ann@example.org,Ann
bob@example.org,Bob
carol@example.org,Carol
dave@example.org,Dave
eve@example.org,Eve
X
run 0 tocsin sub import news people.csv

run 0 tocsin sub rm news ANN@example.org
has out "unsubscribed ANN@example.org from list 'news'" "sub rm unsubscribes"
run 0 tocsin sub rm news ann@example.org
has out "ann@example.org is unsubscribed on list 'news' already" \
	"sub rm again says so"
# An address that asked to leave before the list was moved here.
run 0 tocsin sub rm news Zed@example.org
has out "Zed@example.org was not on list 'news': recorded as unsubscribed, so no import adds them" \
	"sub rm of a stranger records the unsubscribe"
printf 'email,first_name\nzed@example.org,Zed\n' >zed.csv
run 0 tocsin sub import news zed.csv
has out "zed.csv: 0 imported, 0 updated, 0 unchanged, 1 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"and a later import leaves them alone"
run 65 tocsin sub add news zed@example.org
is "$(sql "SELECT m.status || ' ' || m.status_reason || ' ' || (SELECT count(*) FROM events e WHERE e.subscriber_id = s.id AND e.kind = 'unsubscribe') FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'zed@example.org'")" \
	"unsubscribed before joining 1" "kept unsubscribed, with why and an event"
# The rest of this test counts people.csv alone: Zed goes.
sql "DELETE FROM events WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'zed@example.org');
DELETE FROM memberships WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'zed@example.org');
DELETE FROM subscribers WHERE email = 'zed@example.org'"
# What the inbox will do later, done by hand here.
sql "UPDATE memberships SET status = 'bounced' WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'bob@example.org');
UPDATE memberships SET status = 'complained' WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'carol@example.org');
INSERT INTO suppressions VALUES ('Dave@Example.org', 'complained', 1);
INSERT INTO suppressions VALUES ('zoe@example.org', 'manual', 1);"

printf 'email,first_name\nzoe@example.org,Zoe\nfrank@example.org,Frank\n' >>people.csv
sql 'SELECT * FROM memberships' >before
run 0 tocsin sub import news people.csv
has out "people.csv: 1 imported, 0 updated, 1 unchanged, 5 left alone (unsubscribed, bounced or complained), 1 rejected" \
	"import leaves unsubscribed, bounced, complained and suppressed alone"
is "$(sql "SELECT s.email || ':' || m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE m.list_id = 1 ORDER BY 1" | tr '\n' ' ')" \
	"ann@example.org:unsubscribed bob@example.org:bounced carol@example.org:complained dave@example.org:subscribed eve@example.org:subscribed frank@example.org:subscribed " \
	"their statuses are unchanged"
is "$(sql "SELECT count(*) FROM subscribers WHERE email = 'zoe@example.org'")" "0" \
	"a suppressed stranger is not even stored"
run 0 tocsin sub ls news --status subscribed --format csv
cut -d, -f1,4 out >got
same - got "sub ls --status subscribed" <<'X'
email,status
dave@example.org,subscribed
eve@example.org,subscribed
frank@example.org,subscribed
X

# The suppression list is global: another list refuses Dave too.
run 0 tocsin sub import other people.csv
has out "people.csv: 5 imported, 0 updated, 0 unchanged, 2 left alone (unsubscribed, bounced or complained), 1 rejected" \
	"another list imports those who only left 'news', not the suppressed"

for who in ann@example.org bob@example.org carol@example.org zoe@example.org; do
	run 65 tocsin sub add news $who
done
has err "tocsin-sub: zoe@example.org left alone: they unsubscribed, bounced or complained; if they asked to come back, use --resubscribe REASON" \
	"sub add refuses and says how to override"
run 64 tocsin sub add news ann@example.org --resubscribe ""
run 0 tocsin sub add news ann@example.org --resubscribe "asked by phone on 2026-11-20"
has out "resubscribed ann@example.org to list 'news' (reason recorded)" \
	"--resubscribe with a reason resubscribes"
is "$(sql "SELECT kind || '|' || detail || '|' || source FROM events WHERE kind = 'resubscribe'")" \
	"resubscribe|asked by phone on 2026-11-20|cli" "the reason is recorded as an event"
is "$(sql "SELECT status || '|' || status_reason FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'ann@example.org' AND m.list_id = 1")" \
	"subscribed|asked by phone on 2026-11-20" "and on the membership"
run 0 tocsin sub import news people.csv --resubscribe "list merge approved by Sam"
has out "people.csv: 0 imported, 0 updated, 3 unchanged, 0 left alone (unsubscribed, bounced or complained), 4 resubscribed, 1 rejected" \
	"import --resubscribe resubscribes with the reason"
is "$(sql "SELECT count(*) FROM suppressions")" "0" \
	"resubscribing lifts the suppression"
is "$(sql "SELECT count(*) FROM events WHERE detail = 'list merge approved by Sam'")" "4" \
	"each resubscription is an event"

run 0 tocsin sub add news gus@example.org --field first_name=Gus --field city=Lyon
has out "added gus@example.org to list 'news'" "sub add adds"
is "$(sql "SELECT first_name || '|' || fields FROM subscribers WHERE email = 'gus@example.org'")" \
	'Gus|{"city":"Lyon"}' "sub add stores names and fields"
run 0 tocsin sub add news gus@example.org --field city=Lyon
has out "gus@example.org is already on list 'news'" "adding again changes nothing"
run 0 tocsin sub add news gus@example.org --field city=Paris
has out "gus@example.org is on list 'news': details updated" "a new value updates"
is "$(sql "SELECT source FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'gus@example.org'")" \
	"cli" "a subscription records where it came from"
run 65 tocsin sub add news "gus@@example.org"
has err "tocsin-sub: 'gus@@example.org' is not an email address: more than one '@'" \
	"a bad address is refused with why"
run 64 tocsin sub add news x@example.org --field noequals
done_testing
