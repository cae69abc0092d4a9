#!/bin/sh
# No surprise sends: blast create makes a draft that nothing sends until
# it is scheduled; a past time or an empty segment is refused unless a
# flag names the risk; send BLAST_ID waits for the blast's time unless
# --now. And nobody gets the same action's alert twice within
# [blast] duplicate_days, nor more than max_per_day blasts a day.
. "$(dirname "$0")/lib.sh"

new_secret
start_sink
cat >tocsin.conf <<X
[sender]
domain = river.example
bounce_domain = bounces.river.example
unsubscribe_url = https://river.example/unsubscribe
secret_file = secret.key
$(smtp_section)
X
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
{ echo "email,first_name,city"; for i in $(seq 1 6); do echo "p$i@example.org,Pat$i,$([ $i -le 3 ] && echo Lyon || echo Porto)"; done; } >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin action create resign-now --title "Resign now"
run 0 tocsin action create water --title "Clean water"
cp "$TOP/templates/petition.alert" alert.alert
sent() { ls "$SINK_DUMP" | wc -l | tr -d ' '; }

# A draft.
run 0 tocsin blast create river alert.alert --action resign-now --where city=Lyon
has out "blast 1: a draft, 3 recipients: subscribed members of 'river', where city=Lyon" \
	"blast create makes a draft, and says who"
has out "  subject: Pat1, the minister must resign now. Will you sign? (for p1@example.org)" \
	"and what the first recipient's subject says"
run 0 tocsin blast ls --format tsv
is "$(sed -n '2p' out | cut -f4)" "draft" "blast ls says draft"
run 0 tocsin send --due
is "$(sent)" "0" "cron sends no draft"
run 65 tocsin send 1
has err "tocsin-send: blast 1 is a draft: 'tocsin blast schedule 1' makes it due (and 'tocsin send --dry-run' shows it)" \
	"send of a draft says so"
run 0 tocsin send --dry-run --outbox outbox 1
is "$(ls outbox/new | wc -l | tr -d ' ')" "3" "a dry run shows a draft's messages"
# A test send: the exact message, for the first recipient, to staff.
run 0 tocsin blast test 1 --to staff@ngo.example --to chief@ngo.example
has out "test of blast 1 sent to staff@ngo.example: 250 2.0.0 Ok" "blast test sends to each staff address"
has out "test of blast 1 sent to chief@ngo.example: 250 2.0.0 Ok" "and the second"
is "$(grep -l '^X-Rcpt-Args: <staff@ngo.example>' "$SINK_DUMP"/* | wc -l | tr -d ' ')" "1" "staff got it once"
test_mail=$(grep -l '^X-Rcpt-Args: <staff@ngo.example>' "$SINK_DUMP"/*)
grep -q '^Subject: \[TEST\] Pat1, the minister must resign now' "$test_mail"
tap_result $? "with [TEST] before the subject, rendered for the first recipient"
grep -q 'unsubscribe?t=um1x0-' "$test_mail"
tap_result $? "its links name nobody (subscriber 0)"
run 0 tocsin blast test 1 --to staff@ngo.example --as p2@example.org
grep -q '^Subject: \[TEST\] Pat2, the minister' "$(grep -l '^X-Rcpt-Args: <staff@ngo.example>' "$SINK_DUMP"/* | tail -n 1)" ||
	grep -l '^Subject: \[TEST\] Pat2, the minister' "$SINK_DUMP"/* >/dev/null
tap_result $? "--as picks whose data to merge"
is "$(sql "SELECT group_concat(DISTINCT state) FROM deliveries WHERE blast_id = 1")" "queued" "a test changes no delivery"
run 65 tocsin blast test 1 --to staff@ngo.example --as nobody@example.org
has err "tocsin-blast: no subscriber nobody@example.org to take the data of" "--as an unknown address: 65"
run 64 tocsin blast test 1
rm -f "$SINK_DUMP"/*
run 0 tocsin blast schedule 1
has out "blast 1 is scheduled, due $(date '+%Y-%m-%d %H:%M') UTC (now)" "blast schedule makes it due"
run 65 tocsin blast schedule 1
run 0 tocsin send --due
is "$(sent)" "3" "and cron sends it"

# Refused unless the risk is named.
run 65 tocsin blast create river alert.alert --action resign-now --where city=Nowhere
has err "tocsin-blast: blast not made: the segment (subscribed members of 'river', where city=Nowhere) matches nobody; --allow-empty makes it anyway" \
	"a segment that matches nobody is refused"
is "$(sql 'SELECT count(*) FROM blasts')" "1" "and nothing is made"
run 0 tocsin blast create river alert.alert --action resign-now --where city=Nowhere --allow-empty
run 65 tocsin blast create --schedule --at "2020-01-01 09:00" river alert.alert --action water
grep -q "^tocsin-blast: --at 2020-01-01 09:00 is in the past: the blast would go at once; --allow-past if that is what you want$" err
tap_result $? "a past --at is refused"
run 64 tocsin blast create --at "2030-01-01 09:00" river alert.alert --action water
has err "tocsin-blast: --at goes with --schedule (or 'blast schedule ID --at TIME')" "--at without --schedule is a usage error"

# Due later: send BLAST_ID waits, unless --now.
run 0 tocsin blast create --schedule --at "2030-01-01 09:00" river alert.alert --action water --where city=Porto
later=$(sql 'SELECT max(id) FROM blasts')
run 0 tocsin send "$later"
has out "blast $later is due 2030-01-01 09:00 UTC, not yet: nothing sent ('tocsin send --now $later' sends it now)" \
	"send of a blast due tomorrow sends nothing, and says when"
is "$(sent)" "3" "nothing sent"
run 0 tocsin send --now "$later"
is "$(sent)" "6" "--now sends it"

# The same action's alert twice within duplicate_days: skipped.
run 0 tocsin blast create --schedule river alert.alert --action resign-now
again=$(sql 'SELECT max(id) FROM blasts')
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = $again AND state = 'skipped' AND smtp_reply = 'already sent this action''s alert by blast 1'")" "3" \
	"the three who had blast 1's alert are skipped"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = $again AND state = 'sent'")" "3" "the others get it"
run 0 tocsin blast show "$again"
has out "  skipped (already sent this action's alert by blast 1) 3" "blast show counts them, with why"

# max_per_day: Porto had water and resign-now today (2): a third waits.
run 0 tocsin action create trees --title "Save the trees"
run 0 tocsin blast create --schedule river alert.alert --action trees
third=$(sql 'SELECT max(id) FROM blasts')
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.blast_id = $third AND d.state = 'skipped' AND d.smtp_reply LIKE 'had max_per_day (2)%'")" "3" \
	"who had 2 blasts in the last 24 hours is skipped"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = $third AND state = 'sent'")" "3" "who had fewer gets it"
done_testing
