#!/bin/sh
# tocsin status says what is wrong before anyone asks: a scheduler that
# never ran, a relay that defers, a sender that failed, a blast that
# paused itself, a config that signs nothing; exits 75 while something
# needs a person and 0 when all is well, for a monitoring check.
. "$(dirname "$0")/lib.sh"

alert_sent 3
run 0 tocsin inbox --once
run 75 tocsin status
has out "! no DKIM key: tocsin signs nothing, so one-click unsubscribe counts only if the relay signs ('tocsin dkim keygen', then tocsin dns)" \
	"a config that signs nothing needs a person"
grep -q "^send       last run .*, ok; last did something .*: 1 blast: 3 sent, 0 deferred, 0 failed$" out
tap_result $? "the last send run is shown, ok, with what it did"
grep -q "^inbox      last run .*, ok$" out
tap_result $? "and the last inbox run"
grep -q "^relays     smtp://127.0.0.1:$SINK_PORT: last sent .*; last error none$" out
tap_result $? "each relay's last success and error"
has out "1 thing needs a person" "it counts what needs a person"

run 0 tocsin dkim keygen --selector s --out dkim.key --domain river.example
printf '[dkim]\nselector = s\nkey_file = dkim.key\n' >>tocsin.conf
run 0 tocsin status
has out "all well" "with DKIM on and everything run, all is well"
lacks out "! " "and nothing is marked"

# A relay that defers every recipient.
stop_sink
start_sink -r RCPT
sed -i "s|^url = smtp://127.0.0.1:.*|url = smtp://127.0.0.1:$SINK_PORT|" tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
run 75 tocsin status
grep -q "^  *oldest deferred: delivery [0-9]* of blast 2, since .*, last reply \"450 4.3.0 Error: command failed\"$" out
tap_result $? "the oldest deferred message, with the relay's reply"
grep -q "^! relay smtp://127.0.0.1:$SINK_PORT: its last answer was an error, not a message taken: 4" out
tap_result $? "a relay whose last answer was an error needs a person"
grep -q "^blasts     blast 2 (river, resign-now): sending: 0 sent, 0 queued, 3 deferred, 0 unknown$" out
tap_result $? "the blast's counts"
run 0 tocsin blast show 2
grep -q "^waiting: deferred since .*, the relay smtp://127.0.0.1:$SINK_PORT: 450 4.3.0 Error: command failed$" out
tap_result $? "blast show says the relay defers it, since when, and what it said"

# A relay that is down: the send run fails, and status says how.
stop_sink
sql "UPDATE deliveries SET next_try_at = 0 WHERE blast_id = 2"
run 75 tocsin send --due
run 75 tocsin status --format json
/usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
p = s["problems"]
ok = (s["runs"]["send"]["ok"] is False and
    any(x.startswith("the last tocsin send failed: ") for x in p) and
    s["blasts"][0]["deferred"] == 3 and s["oldest_deferred"]["blast"] == 2 and
    s["database"]["schema"] > 0)
sys.exit(0 if ok else 1)' out
tap_result $? "--format json: the failed run, its problem, the blast and the queue"
run 0 tocsin blast show 2
grep -q "^waiting: the last tocsin send (.*) failed: " out
tap_result $? "blast show says the last send failed, and how"

# A blast that paused itself, and what a person must decide.
sql "UPDATE blasts SET state = 'paused', state_reason = '20 permanent refusals in a row' WHERE id = 2;
UPDATE deliveries SET state = 'unknown' WHERE blast_id = 2 AND id = (SELECT min(id) FROM deliveries WHERE blast_id = 2)"
run 75 tocsin status
has out "! blast 2 paused itself: 20 permanent refusals in a row" "a blast tocsin paused needs a person"
has out "! blast 2: 1 messages in flight when a sender died may or may not have arrived: 'tocsin send --resend-unknown 2' sends them again" \
	"so do messages whose fate is unknown"
# The relays' hourly cap.
run 0 tocsin blast cancel 2
start_sink
sed -i "s|^url = smtp://127.0.0.1:.*|url = smtp://127.0.0.1:$SINK_PORT\nhourly_cap = 2|" tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
run 0 tocsin blast show 3
has out "waiting: every relay has had its hourly cap of 2 messages ([smtp] hourly_cap): the rest goes within the hour" \
	"blast show says the hourly cap holds it"
run 0 tocsin status --help
run 64 tocsin status --format csv
done_testing
