#!/bin/sh
# tocsin send against Postfix's smtp-sink: every recipient exactly once
# and personalised, the segment honoured, an unsubscribe before the send
# honoured, 4xx deferred, 5xx failed, a drop after the data unknown, a
# dead server leaves everything queued, one sender at a time, dry run.
. "$(dirname "$0")/lib.sh"

new_secret
start_sink
config() {
	cat >tocsin.conf <<X
$(sender_section)
$(smtp_section "$1")
sessions = 4
X
}
config "$SINK_PORT"
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
awk 'BEGIN { print "email,first_name,city"; for (i = 1; i <= 300; i++) printf "p%03d@example.org,Person%03d,%s\n", i, i, i % 3 ? "Lyon" : "Porto" }' >people.csv
printf '"eve@example.org","Eve\r\nBcc: victim@evil.example",Lyon\n' >>people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin action create resign-now --title "Resign now"
for i in 001 002 003; do run 0 tocsin action sign resign-now p$i@example.org; done
cp "$TOP/templates/petition.alert" alert.alert

run 0 tocsin blast create --schedule river alert.alert --action resign-now --not-signed resign-now
has out "blast 1: 298 recipients, due $(date '+%Y-%m-%d %H:%M') UTC (now)" "the blast leaves out the signers"
run 0 tocsin sub rm river p010@example.org
run 0 tocsin send --due
rcpt_counts >counts
is "$(wc -l <counts | tr -d ' ')" "297" "297 recipients got mail (298, less one who left)"
is "$(awk '$1 != 1' counts | wc -l | tr -d ' ')" "0" "each exactly once"
lacks counts "p001@example.org" "a signer got nothing"
lacks counts "p010@example.org" "who unsubscribed after the blast was made got nothing"
is "$(sql "SELECT state || ' ' || count(*) FROM deliveries GROUP BY state ORDER BY state" | tr '\n' ',')" \
	"sent 297,skipped 1," "deliveries: 297 sent, 1 skipped"
is "$(sql 'SELECT state FROM blasts WHERE id = 1')" "done" "the blast is done"
f=$(grep -l '^X-Rcpt-Args: <p150@example.org>' "$SINK_DUMP"/*)
grep -q '^Hi Person150,' "$f"
tap_result $? "the message is personalised"
grep -q '^X-Mail-Args: <bounce+bd[0-9]*-[a-z2-7]\{16\}@bounces.river.example>' "$f"
tap_result $? "the envelope sender is the VERP bounce address"
f=$(grep -l '^X-Rcpt-Args: <eve@example.org>' "$SINK_DUMP"/*)
is "$(grep -c '^X-Rcpt-Args:' "$f")" "1" "a hostile name adds no recipient"
sed '/^\r\{0,1\}$/q' "$f" | grep -ci '^bcc' >bcc
is "$(cat bcc)" "0" "and no header"
run 0 tocsin send --due
is "$(ls "$SINK_DUMP" | wc -l | tr -d ' ')" "297" "a second run sends nothing"

# (one sender at a time: t3120, with a sender running)
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto

# AUTH: the password comes from a file (or the environment), never
# argv or a log line; a refused login leaves everything queued (exit 75).
# smtp-sink offers AUTH but refuses it, which is what this needs.
printf 'hunter2-secret\n' >smtp.pw
chmod 600 smtp.pw
config "$SINK_PORT"
printf 'user = bench\npassword_file = smtp.pw\n' >>tocsin.conf
chmod 644 smtp.pw
run 78 tocsin send --due
has err "tocsin-send: [smtp] password_file 'smtp.pw' may be read by others: chmod 600 it" \
	"a password file others may read is refused, as the secret is"
chmod 600 smtp.pw
run 75 tocsin send --due
lacks err "hunter2-secret" "the password is never printed"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'queued'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 2')" "a refused login loses nobody"
config "$SINK_PORT"
printf 'user = bench\n' >>tocsin.conf
run 78 tocsin send --due
has err "tocsin-send: [smtp] user is set but there is no password_file and no \$TOCSIN_SMTP_PASSWORD" \
	"a user without a password is a configuration error"
TOCSIN_SMTP_PASSWORD=from-the-env run 75 tocsin send --due
lacks err "from-the-env" "a password from the environment is never printed either"
config "$SINK_PORT"
sed 's/^starttls = no$/starttls = required/' tocsin.conf >tls.conf
run 75 tocsin -c tls.conf send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'queued'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 2')" "STARTTLS required but not offered sends nothing in the clear"
sed 's/^url = .*/url = smtp:\/\/192.0.2.1:25/' tocsin.conf >open.conf
run 78 tocsin -c open.conf send --due
has err "tocsin-send: [smtp] starttls = no sends in the clear: refused for 'smtp://192.0.2.1:25', which is not a loopback address" \
	"starttls = no is refused for a relay that is not on loopback"

# A dead server: exit 75, nothing lost.
config "$(free_port)"
run 75 tocsin send --due
grep -q "the SMTP server is unavailable" err
tap_result $? "a dead server is reported"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'queued' AND attempts = 0")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 2')" "every recipient is still queued, with no attempt counted"
config "$SINK_PORT"
run 0 tocsin send 2
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'sent'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 2')" "the next run sends them"

# 4xx, 5xx, and a drop after the data.
stop_sink
start_sink -r RCPT
config "$SINK_PORT"
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto
run 0 tocsin send 3
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 3 AND state = 'deferred' AND attempts = 1 AND smtp_code BETWEEN 400 AND 499 AND next_try_at > strftime('%s', 'now')")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 3')" "4xx defers every one, with a later retry"
is "$(sql 'SELECT state FROM blasts WHERE id = 3')" "scheduled" "a blast with deferrals is not done"
stop_sink
start_sink -f RCPT
config "$SINK_PORT"
# every one refused: the breaker (t3110) would pause the blast
printf 'pause_after_refusals = 0\n' >>tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto
run 0 tocsin send 4
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 4 AND state = 'failed' AND smtp_code = 500 AND smtp_reply LIKE '500 5.3.0%'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 4')" "5xx fails every one, code and reply kept"
run 0 tocsin blast show 4
grep -q "^  failed   p[0-9]*@example.org 500 500 5.3.0 Error: command failed$" out
tap_result $? "blast show lists the last errors"
is "$(sql "SELECT count(*) FROM memberships WHERE status = 'bounced'")" "0" "a 5.3.0 is not a bad address: nobody bounced"
stop_sink
start_sink -q .
config "$SINK_PORT"
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto
run 0 tocsin send 5
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 5 AND state = 'unknown'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 5')" "a drop after the data is unknown, never deferred"
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 5 AND state = 'unknown'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 5')" "unknown ones are not resent by themselves"
run 0 tocsin blast show 5
grep -q "^  unknown  p[0-9]*@example.org" out
tap_result $? "blast show lists every unknown delivery"
stop_sink
start_sink
config "$SINK_PORT"
run 0 tocsin send --resend-unknown 5
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 5 AND state = 'sent'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 5')" "--resend-unknown resends them"
is "$(sql 'SELECT state FROM blasts WHERE id = 5')" "done" "and the blast is done again"

# Two relays: sessions spread over both, everyone still exactly once.
stop_sink
start_sink
first_port=$SINK_PORT
first_dump=$SINK_DUMP
first_pid=$SINK_PID
mkdir -p "$T/dump2"
chmod 777 "$T/dump2"
second_port=$(free_port)
user=
[ "$(id -u)" -eq 0 ] && user="-u nobody"
# shellcheck disable=SC2086
/usr/sbin/smtp-sink $user -4 -d "$T/dump2/%M." 127.0.0.1:"$second_port" 256 >sink2.log 2>&1 &
second_pid=$!
wait_port "$second_port"
config "$first_port"
sed -i "s|^url = .*|url = smtp://127.0.0.1:$first_port, smtp://127.0.0.1:$second_port|" tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
run 0 tocsin send --due
n1=$(ls "$first_dump" | wc -l)
n2=$(ls "$T/dump2" | wc -l)
tap_result $([ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]; echo $?) "both relays carried messages ($n1 and $n2)"
is "$((n1 + n2))" "$(sql 'SELECT recipients FROM blasts WHERE id = 6')" "together, every recipient once"
kill "$second_pid"
wait "$second_pid" 2>/dev/null

# Past the queue lifetime (3 days from the blast's start), 4xx fails.
stop_sink
start_sink -r RCPT
config "$SINK_PORT"
printf 'hourly_cap =\n' >>tocsin.conf
sql "UPDATE blasts SET started_at = started_at - 4 * 86400 WHERE id = 3"
sql "UPDATE deliveries SET next_try_at = 0 WHERE blast_id = 3"
run 0 tocsin send 3
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 3 AND state = 'failed' AND attempts = 2")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 3')" "a deferral past the queue lifetime fails"
is "$(sql 'SELECT state FROM blasts WHERE id = 3')" "done" "and the blast is done"

# An hourly cap per relay, across runs.
config "$first_port"
printf 'hourly_cap = 40\n' >>tocsin.conf
stop_sink
start_sink
sed -i "s|^url = .*|url = smtp://127.0.0.1:$SINK_PORT|" tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
capblast=$(sql 'SELECT max(id) FROM blasts')
run 0 tocsin send --due
has err "tocsin-send: every relay has taken its hourly cap of 40 messages: the rest waits for a later run" \
	"the cap stops the run and says why"
is "$(ls "$SINK_DUMP" | wc -l | tr -d ' ')" "40" "the relay took 40 messages"
run 0 tocsin send --due
is "$(ls "$SINK_DUMP" | wc -l | tr -d ' ')" "40" "and no more within the hour, run after run"
sql "UPDATE deliveries SET updated_at = updated_at - 3600 WHERE relay IS NOT NULL"
run 0 tocsin send --due
is "$(ls "$SINK_DUMP" | wc -l | tr -d ' ')" "80" "an hour later it takes 40 more"
is "$(sql "SELECT DISTINCT relay FROM deliveries WHERE blast_id = $capblast AND relay IS NOT NULL")" \
	"smtp://127.0.0.1:$SINK_PORT" "each delivery records its relay"
sed -i '/^hourly_cap/d' tocsin.conf
run 0 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = $capblast AND state = 'sent'")" \
	"$(sql "SELECT recipients FROM blasts WHERE id = $capblast")" "without the cap, the rest goes"

# Dry run: a Maildir, and no change.
stop_sink
start_sink
config "$SINK_PORT"
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
dry=$(sql 'SELECT max(id) FROM blasts')
sql "SELECT * FROM deliveries WHERE blast_id = $dry" >before
run 0 tocsin send --dry-run --outbox outbox "$dry"
is "$(ls outbox/new | wc -l | tr -d ' ')" "$(sql "SELECT recipients FROM blasts WHERE id = $dry")" \
	"--dry-run writes every message to the Maildir"
sql "SELECT * FROM deliveries WHERE blast_id = $dry" >after
same before after "--dry-run changes no delivery"
is "$(ls "$SINK_DUMP" | wc -l | tr -d ' ')" "0" "--dry-run sends nothing"
grep -q '^Return-Path: <bounce+bd' "outbox/new/$(ls outbox/new | head -n 1)"
tap_result $? "the outbox shows the envelope sender"
run 64 tocsin send
run 64 tocsin send --due 3
run 64 tocsin send --dry-run --due
done_testing
