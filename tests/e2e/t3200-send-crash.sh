#!/bin/sh
# The guarantee: kill -9 the sender at random moments (it signs with
# DKIM on threads of its own), run it again,
# and every recipient gets the alert; nobody gets it twice except
# messages in flight at a kill (at most one per session each time),
# which are 'unknown', reported, and resent only when asked.
. "$(dirname "$0")/lib.sh"

N=1500
SESSIONS=4
new_secret
start_sink
# Signed, so that kills also land while messages are with the signer.
run 0 tocsin dkim keygen --selector s --out dkim.key --domain river.example
cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
sessions = $SESSIONS
[dkim]
selector = s
key_file = dkim.key
X
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
awk -v n=$N 'BEGIN { print "email,first_name"; for (i = 1; i <= n; i++) printf "c%04d@example.org,C%04d\n", i, i }' >people.csv
run 0 tocsin sub import river people.csv
printf 'Subject: Hello {{first_name}}\n\nHi {{first_name}}, will you sign?\n' >short.alert
run 0 tocsin blast create --schedule river short.alert --rate 1000

# Kill at random moments until the blast is done.
kills=0
seed=$$
while [ "$(sql 'SELECT state FROM blasts WHERE id = 1')" != done ] && [ $kills -lt 40 ]; do
	tocsin send --due >/dev/null 2>>send.err &
	pid=$!
	seed=$((seed + 1))
	sleep "$(awk -v s=$seed 'BEGIN { srand(s); printf "%.3f", 0.02 + rand() * 0.3 }')"
	if kill -9 $pid 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null
done
diag_kills="$kills kills"
echo "# $diag_kills, $(sql "SELECT count(*) FROM deliveries WHERE state = 'unknown'") unknown"
tap_result $([ $kills -ge 3 ]; echo $?) "the sender was killed mid-blast several times ($kills)"
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE state IN ('queued', 'sending', 'deferred')")" "0" \
	"after the kills, nothing is left to send"
unknown=$(sql "SELECT count(*) FROM deliveries WHERE state = 'unknown'")
tap_result $([ "$unknown" -le $((kills * SESSIONS)) ]; echo $?) \
	"unknown deliveries ($unknown) are at most one per session per kill"

rcpt_counts >counts
sql "SELECT s.email FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.state = 'sent'" | sort >sent
sql "SELECT s.email FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.state = 'unknown'" | sort >unknown
awk '$1 == 1 { print $2 }' counts | sort >once
awk '$1 > 1 { print $2 }' counts | sort >twice
comm -23 sent once >sent-not-once
is "$(wc -l <sent-not-once | tr -d ' ')" "0" "every 'sent' recipient got exactly one message"
is "$(wc -l <twice | tr -d ' ')" "0" "nobody got two messages"
is "$(($(wc -l <sent) + $(wc -l <unknown)))" "$N" "every recipient is sent or unknown"
comm -13 sent once | comm -23 - unknown >stray
is "$(wc -l <stray | tr -d ' ')" "0" "every message that arrived belongs to a sent or unknown delivery"

# Asked to, the unknown ones are resent: duplicates are only theirs.
run 0 tocsin send --due --resend-unknown
rcpt_counts >counts2
awk '$1 > 1 { print $2 }' counts2 | sort >twice2
comm -23 twice2 unknown >doubled-not-unknown
is "$(wc -l <doubled-not-unknown | tr -d ' ')" "0" "after --resend-unknown, only unknown ones may have two"
is "$(wc -l <counts2 | tr -d ' ')" "$N" "and every recipient has the alert"
is "$(sql "SELECT count(*) FROM deliveries WHERE state != 'sent'")" "0" "every delivery is sent"
# SIGTERM: the messages in flight are finished and recorded; exit 75.
run 0 tocsin blast create --schedule river short.alert --rate 500
tocsin send --due >term.out 2>term.err &
pid=$!
# Once it is sending (a message of the blast recorded sent), not after
# a guess of how long that takes.
i=0
while [ "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'sent'")" -eq 0 ] &&
    [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
wait $pid
is "$?" "75" "SIGTERM makes the sender exit 75"
grep -q "stopped: the messages in flight were finished and recorded" term.err
tap_result $? "and it says so"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state IN ('sending', 'unknown')")" "0" \
	"nothing is left in doubt after SIGTERM"
sent=$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'sent'")
tap_result $([ "$sent" -gt 0 ] && [ "$sent" -lt $N ]; echo $?) "it stopped part way ($sent sent)"
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'sent'")" "$N" "the next run finishes the blast"
done_testing
