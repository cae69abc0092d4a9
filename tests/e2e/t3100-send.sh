#!/bin/sh
# tocsin send against Postfix's smtp-sink: every recipient exactly once
# and personalised, the segment honoured, an unsubscribe before the send
# honoured, the password's rules, a dead server leaves everything
# queued. (Faults: t3101; relays, the hourly cap, the dry run: t3102;
# one sender at a time: t3120.)
. "$(dirname "$0")/lib.sh"

send_fixture
# A hostile name: CR LF and a header in a CSV cell.
printf 'email,first_name,city\n"eve@example.org","Eve\r\nBcc: victim@evil.example",Lyon\n' >eve.csv
run 0 tocsin sub import river eve.csv

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

run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Porto

# AUTH: the password comes from a file (or the environment), never
# argv or a log line; a refused login leaves everything queued (exit 75).
# smtp-sink offers AUTH but refuses it, which is what this needs.
printf 'hunter2-secret\n' >smtp.pw
chmod 600 smtp.pw
send_config "$SINK_PORT"
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
send_config "$SINK_PORT"
printf 'user = bench\n' >>tocsin.conf
run 78 tocsin send --due
has err "tocsin-send: [smtp] user is set but there is no password_file and no \$TOCSIN_SMTP_PASSWORD" \
	"a user without a password is a configuration error"
TOCSIN_SMTP_PASSWORD=from-the-env run 75 tocsin send --due
lacks err "from-the-env" "a password from the environment is never printed either"
send_config "$SINK_PORT"
sed 's/^starttls = no$/starttls = required/' tocsin.conf >tls.conf
run 75 tocsin -c tls.conf send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'queued'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 2')" "STARTTLS required but not offered sends nothing in the clear"
sed 's/^url = .*/url = smtp:\/\/192.0.2.1:25/' tocsin.conf >open.conf
run 78 tocsin -c open.conf send --due
has err "tocsin-send: [smtp] starttls = no sends in the clear: refused for 'smtp://192.0.2.1:25', which is not a loopback address" \
	"starttls = no is refused for a relay that is not on loopback"

# A dead server: exit 75, nothing lost.
send_config "$(free_port)"
run 75 tocsin send --due
grep -q "the SMTP server is unavailable" err
tap_result $? "a dead server is reported"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'queued' AND attempts = 0")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 2')" "every recipient is still queued, with no attempt counted"
send_config "$SINK_PORT"
run 0 tocsin send 2
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'sent'")" \
	"$(sql 'SELECT recipients FROM blasts WHERE id = 2')" "the next run sends them"

run 64 tocsin send
run 64 tocsin send --due 3
run 64 tocsin send --dry-run --due
done_testing
