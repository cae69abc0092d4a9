#!/bin/sh
# tocsin send when smtp-sink injects faults: 4xx deferred with a later
# retry, 5xx failed with its code and reply, a drop after the data
# unknown (reported, resent only when asked), and a deferral past the
# queue's lifetime failed.
. "$(dirname "$0")/lib.sh"

send_fixture

# 4xx, 5xx, and a drop after the data.
stop_sink
start_sink -r RCPT
send_config "$SINK_PORT"
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto
run 0 tocsin send 1
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 1 AND state = 'deferred' AND attempts = 1 AND smtp_code BETWEEN 400 AND 499 AND next_try_at > strftime('%s', 'now')")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 1')" "4xx defers every one, with a later retry"
is "$(sql 'SELECT state FROM blasts WHERE id = 1')" "scheduled" "a blast with deferrals is not done"
stop_sink
start_sink -f RCPT
send_config "$SINK_PORT"
# every one refused: the breaker (t3110) would pause the blast
printf 'pause_after_refusals = 0\n' >>tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto
run 0 tocsin send 2
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'failed' AND smtp_code = 500 AND smtp_reply LIKE '500 5.3.0%'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 2')" "5xx fails every one, code and reply kept"
run 0 tocsin blast show 2
grep -q "^  failed   p[0-9]*@example.org 500 500 5.3.0 Error: command failed$" out
tap_result $? "blast show lists the last errors"
is "$(sql "SELECT count(*) FROM memberships WHERE status = 'bounced'")" "0" "a 5.3.0 is not a bad address: nobody bounced"
stop_sink
start_sink -q .
send_config "$SINK_PORT"
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto
run 0 tocsin send 3
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 3 AND state = 'unknown'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 3')" "a drop after the data is unknown, never deferred"
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 3 AND state = 'unknown'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 3')" "unknown ones are not resent by themselves"
run 0 tocsin blast show 3
grep -q "^  unknown  p[0-9]*@example.org" out
tap_result $? "blast show lists every unknown delivery"
stop_sink
start_sink
send_config "$SINK_PORT"
run 0 tocsin send --resend-unknown 3
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 3 AND state = 'sent'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 3')" "--resend-unknown resends them"
is "$(sql 'SELECT state FROM blasts WHERE id = 3')" "done" "and the blast is done again"

# Past the queue lifetime (3 days from the blast's start), 4xx fails.
stop_sink
start_sink -r RCPT
send_config "$SINK_PORT"
sql "UPDATE blasts SET started_at = started_at - 4 * 86400 WHERE id = 1"
sql "UPDATE deliveries SET next_try_at = 0 WHERE blast_id = 1"
run 0 tocsin send 1
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 1 AND state = 'failed' AND attempts = 2")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 1')" "a deferral past the queue lifetime fails"
is "$(sql 'SELECT state FROM blasts WHERE id = 1')" "done" "and the blast is done"

done_testing
