#!/bin/sh
# The rates that keep a sender out of spam: report shows each blast's
# and each list's bounce, complaint and unsubscribe rates over 30 days
# and flags complaints past Gmail's 0.1% target and 0.3% limit; a list
# past [blast] complaint_limit gets no more alerts until the operator
# resumes with --force. The complaints are real: ARF reports through
# Dovecot and tocsin inbox, for messages smtp-sink received.
. "$(dirname "$0")/lib.sh"

MK="python3 $TOP/tests/tools/mkmail.py"
alert_sent 1000
is "$(rcpt_counts | wc -l | tr -d ' ')" "1000" "blast 1 went to 1,000 people"

# Four of them report it as spam: 0.4%.
mkdir msgs
for i in 11 22 33 44; do
	$MK arf "$(sunk_to p$i@example.org)" >msgs/arf-$i
done
maildir_deliver msgs/*
run 0 tocsin inbox --once
is "$(sql "SELECT count(*) FROM events WHERE kind = 'complaint' AND delivery_id IS NOT NULL")" "4" \
	"the inbox records four complaints, each for its delivery"

run 0 tocsin report --format tsv
is "$(sed -n 2p out | cut -f7,10,11,17 | tr '\t' ' ')" "1000 4 0.4 complaints over Gmail's 0.3% limit" \
	"report flags the blast's complaint rate"
run 0 tocsin report --days 30 --format tsv
is "$(head -1 out)" "$(printf 'list\tsent\tbounced\tbounced_pct\tcomplained\tcomplained_pct\tunsubscribed\tunsubscribed_pct\tflag')" \
	"the lists' figures have their own header"
is "$(sed -n 2p out | tr '\t' ' ')" "river 1000 0 0.00 4 0.40 0 0.00 complaints over Gmail's 0.3% limit" \
	"and the list's rate over 30 days"
run 0 tocsin report
grep -q "^The last 30 days, by list:$" out && grep -q "^river .* 4 (0.40%) .*complaints over Gmail's 0.3% limit$" out
tap_result $? "for people, both tables"

# The next alert to the list waits for a person.
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
has err "tocsin-send: blast=2 paused: the list's complaint rate over 30 days is 0.40% (4 complaints in 1000 sent), past [blast] complaint_limit 0.30%: find out why before mailing them again; 'tocsin blast resume --force ID' sends anyway" \
	"send pauses it, with the figures"
is "$(sql "SELECT state FROM blasts WHERE id = 2")" "paused" "the blast is paused"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'sent'")" "0" \
	"and nothing of it was sent"
run 0 tocsin blast show 2
grep -q "the list's complaint rate over 30 days is 0.40%" out
tap_result $? "blast show says why"

run 0 tocsin blast resume 2
run 0 tocsin send --due
is "$(sql "SELECT state FROM blasts WHERE id = 2")" "paused" "a plain resume is paused again"
run 0 tocsin blast resume --force 2
has out "blast 2 is scheduled, whatever its list's complaint rate" "resume --force says what it does"
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'sent'")" "996" \
	"and the blast goes to the 996 still on the list"

# The limit is the config's; 0 turns the guard off. The list now
# stands at 4 in 1,996: 0.20%.
run 0 tocsin blast create --schedule river alert.alert --action resign-now
cat >>tocsin.conf <<X
[blast]
complaint_limit = 0.1%
X
run 0 tocsin send --due
is "$(sql "SELECT state FROM blasts WHERE id = 3")" "paused" "past a limit of 0.1%, blast 3 is paused"
grep -q "is 0.20% (4 complaints in 1996 sent), past \[blast\] complaint_limit 0.10%" err
tap_result $? "with the list's figures"
sed -i 's/^complaint_limit = 0.1%/complaint_limit = 0/' tocsin.conf
run 0 tocsin blast resume 3
run 0 tocsin send --due
is "$(sql "SELECT state FROM blasts WHERE id = 3")" "done" "with the guard off (0), it is sent"
sed -i 's/^complaint_limit = 0$/complaint_limit = 101/' tocsin.conf
run 78 tocsin send --due
has err "tocsin-send: tocsin.conf:$(grep -n '^complaint_limit' tocsin.conf | cut -d: -f1): 'complaint_limit' in [blast] must be a percentage from 0 to 100 (0.3 or 0.3%)" \
	"a limit that is no percentage is refused"

done_testing
