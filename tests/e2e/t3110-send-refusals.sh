#!/bin/sh
# A relay's permanent refusal is judged by the command it answered and
# by what it says: a refusal of our sender (at MAIL, or at RCPT as
# Postfix does by default), of relaying or of the message bounces
# nobody; a dead mailbox at RCPT does. A run of permanent refusals that
# looks systemic trips the breaker: the blast pauses itself, nobody is
# bounced by the run, and send exits 75.
. "$(dirname "$0")/lib.sh"

new_secret
config() {
	cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
sessions = 4
X
}
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
run 0 tocsin list create lake --from "Lake <alerts@lake.example>" \
    --address "1 Main St, Springfield"
awk 'BEGIN { print "email,first_name,city"; for (i = 1; i <= 40; i++) printf "p%02d@example.org,P%02d,%s\n", i, i, i <= 5 ? "Lyon" : "Porto" }' >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin sub import lake people.csv
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin action create resign-now --title "Resign now"
bounced() { sql "SELECT count(*) FROM memberships WHERE status = 'bounced'"; }

# "Sender address rejected" at MAIL: nobody bounced.
start_sink -f MAIL -B "550 5.1.8 <bounce@bounces.river.example>: Sender address rejected: Domain not found"
config
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
run 0 tocsin send 1
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 1 AND state = 'failed'")" "5" \
	"a refusal at MAIL fails the message"
is "$(bounced)" "0" "and bounces nobody"
grep -q "^tocsin-send: blast=1 delivery=[0-9]* refused at=MAIL about=sender$" err
tap_result $? "the log says the refusal was about our sender"
grep -q '^tocsin-send: blast=1 delivery=[0-9]* subscriber=[0-9]* result=failed code=550 reply="550 5.1.8 <bounce@bounces.river.example>: Sender address rejected: Domain not found"$' err
tap_result $? "and gives each delivery's outcome a line"
stop_sink

# The same words at RCPT (Postfix's default): nobody bounced.
start_sink -f RCPT -B "550 5.1.8 <bounce@bounces.river.example>: Sender address rejected: Domain not found"
config
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
run 0 tocsin send 2
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'failed'")" "5" \
	"a sender refusal at RCPT fails the message"
is "$(bounced)" "0" "and bounces nobody"
stop_sink

# Relaying refused, and a refusal of the message after its data.
start_sink -f RCPT -B "554 5.7.1 <p01@example.org>: Relay access denied"
config
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
run 0 tocsin send 3
is "$(bounced)" "0" "relay access denied bounces nobody"
stop_sink
start_sink -f . -B "550 5.1.1 Message rejected: DMARC policy of the sender"
config
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
run 0 tocsin send 4
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 4 AND state = 'failed'")" "5" \
	"a refusal after the data fails the message"
is "$(bounced)" "0" "and bounces nobody, whatever its code"
stop_sink

# A dead mailbox at RCPT bounces the subscriber on every list.
start_sink -f RCPT -B "550 5.1.1 <p01@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
config
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
run 0 tocsin send 5
is "$(sql "SELECT count(*) FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE m.status = 'bounced' AND s.email <= 'p05@example.org'")" "10" \
	"a dead mailbox at RCPT bounces its subscriber on both lists"
is "$(sql "SELECT count(*) FROM events WHERE kind = 'bounce' AND source = 'smtp'")" "5" \
	"with one event each"
d=$(sql "SELECT d.id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.blast_id = 5 AND s.email = 'p01@example.org'")
grep "delivery=$d " err >story
is "$(wc -l <story | tr -d ' ')" "2" "grep delivery=ID finds its outcome and its refusal's judgement"
grep -q 'result=failed code=550 reply="550 5.1.1 <rcpt>: Recipient address rejected' story && ! grep -q "p01@example.org" story
tap_result $? "the log names the recipient by id, never by address"

# The breaker: 35 refusals of every recipient look systemic.
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto
run 75 tocsin send 6
is "$(bounced)" "10" "the breaker's run bounces nobody more"
is "$(sql "SELECT state FROM blasts WHERE id = 6")" "paused" "the blast paused itself"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 6 AND state = 'queued'")" "35" \
	"every recipient is queued again"
grep -q "blast=6 paused: 20 permanent refusals in a row, the last: 550 5.1.1" err
tap_result $? "the log says why the blast paused"
run 0 tocsin blast show 6
grep -q "^why: 20 permanent refusals in a row, the last: 550 5.1.1 .*nobody was bounced: check the relay and the sender, then tocsin blast resume 6 (" out
tap_result $? "blast show says why, and what to do"
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 6 AND state = 'queued'")" "35" \
	"a paused blast is not sent"
stop_sink

# Once the relay is mended, resuming sends everyone.
start_sink
config
run 0 tocsin blast resume 6
run 0 tocsin blast show 6
has out "why: by the operator ($(date '+%Y-%m-%d %H:%M') UTC)" "resuming replaces the reason"
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 6 AND state = 'sent'")" "35" \
	"after resume, every recipient is sent"
is "$(bounced)" "10" "still nobody else bounced"

# pause_after_refusals = 0 turns the breaker off.
stop_sink
start_sink -f RCPT -B "550 5.1.1 <x@example.org>: Recipient address rejected: User unknown"
config
printf 'pause_after_refusals = 0\n' >>tocsin.conf
run 0 tocsin blast create --schedule lake alert.alert --action resign-now --where city=Porto
run 0 tocsin send 7
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 7 AND state = 'failed'")" "35" \
	"without the breaker, every refusal stands"
is "$(bounced)" "80" "and every dead mailbox bounces"
# One shape for a bounce, whoever saw it (people_mark_bounced).
is "$(sql "SELECT count(*) > 0, sum(list_id IS NULL OR delivery_id IS NULL OR subscriber_id IS NULL) FROM events WHERE kind = 'bounce'")" \
	"1|0" "every bounce event names its subscriber, list and delivery"
done_testing
