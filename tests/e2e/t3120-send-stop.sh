#!/bin/sh
# Stop means stop: a running sender sees a pause or a cancel from a
# second process within a second, sends nothing more for that blast, and
# records what was in flight. One dead relay does not stop the others.
. "$(dirname "$0")/lib.sh"

send_fixture 200
sent() { ls "$SINK_DUMP" | wc -l | tr -d ' '; }
# Waits (5 s at most) until the sink has at least $1 messages.
wait_sent() {
	i=0
	while [ "$(sent)" -lt "$1" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# Cancel while it sends, at 20 messages a second.
run 0 tocsin blast create --schedule river alert.alert --action resign-now --rate 20
tocsin send 1 >send.out 2>send.err &
sender=$!
wait_sent 10
# One sender per database, whatever the path names it: a symlink too.
ln -s tocsin.db link.db
mkdir other
ln tocsin.db other/hard.db
run 0 tocsin -d link.db send --due
has out "another tocsin send is running on 'link.db': nothing to do" \
	"a second sender through a symlink says so and exits 0"
run 0 tocsin -d other/hard.db send --due
has out "another tocsin send is running on 'other/hard.db': nothing to do" \
	"and through a hard link"
run 0 tocsin blast cancel 1
at_cancel=$(sent)
start=$(date +%s)
wait $sender
rc=$?
took=$(($(date +%s) - start))
is "$rc" "0" "the sender exits 0 after a cancel"
after=$(sent)
tap_result $([ $((after - at_cancel)) -le 6 ]; echo $?) \
	"at most what was in flight went after the cancel ($at_cancel then $after)"
tap_result $([ "$took" -le 2 ]; echo $?) "the sender stopped within a second or two ($took s)"
grep -q "blast=1 is no longer scheduled (paused or cancelled): nothing more is sent for it" send.err
tap_result $? "the sender says why it stopped"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 1 AND state = 'sent'")" "$after" \
	"what was in flight is recorded"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 1 AND state = 'sending'")" "0" \
	"nothing is left sending"
lacks send.err "BUG" "the first sender ran undisturbed"
is "$(sql 'SELECT state FROM blasts WHERE id = 1')" "cancelled" "the blast stays cancelled"
run 0 tocsin send --due
is "$(sent)" "$after" "a cancelled blast is never sent again"

# Pause, then resume: everyone exactly once.
rm -f "$SINK_DUMP"/*
run 0 tocsin blast create --schedule river alert.alert --action resign-now --rate 20
tocsin send 2 >send.out 2>send.err &
sender=$!
wait_sent 10
run 0 tocsin blast pause 2
at_pause=$(sent)
wait $sender
after=$(sent)
tap_result $([ $((after - at_pause)) -le 6 ] && [ "$after" -lt 200 ]; echo $?) \
	"a pause stops the sender too ($at_pause then $after)"
run 0 tocsin blast resume 2
sql "UPDATE blasts SET rate = NULL WHERE id = 2"
run 0 tocsin send 2
rcpt_counts >counts
is "$(wc -l <counts | tr -d ' ')" "200" "after resume, everyone got the alert"
is "$(awk '$1 != 1' counts | wc -l | tr -d ' ')" "0" "exactly once"

# Two relays, one dead: the live one carries the whole blast.
rm -f "$SINK_DUMP"/*
dead=$(free_port)
send_config "$SINK_PORT"
sed -i "s|^url = .*|url = smtp://127.0.0.1:$dead, smtp://127.0.0.1:$SINK_PORT|" tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
is "$(sent)" "200" "the live relay carried every message"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 3 AND state = 'sent'")" "200" \
	"every delivery is sent"
is "$(sql 'SELECT state FROM blasts WHERE id = 3')" "done" "and the blast is done"
grep -q "tocsin-send: relay smtp://127.0.0.1:$dead is unavailable (.*): set aside for this run" err
tap_result $? "the dead relay is named and set aside"
rcpt_counts >counts
is "$(awk '$1 != 1' counts | wc -l | tr -d ' ')" "0" "each exactly once"

# Every relay dead: exit 75, nobody lost.
send_config "$(free_port)"
sed -i "s|^url = .*|url = smtp://127.0.0.1:$dead, smtp://127.0.0.1:$(free_port)|" tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 75 tocsin send --due
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 4 AND state = 'queued' AND attempts = 0")" "200" \
	"with every relay down, everyone is still queued, no attempt counted"
done_testing
