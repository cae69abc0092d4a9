#!/bin/sh
# tocsin send over two relays (sessions spread over both, everyone
# still exactly once), with an hourly cap per relay across runs, and
# the dry run (a Maildir, and no change).
. "$(dirname "$0")/lib.sh"

send_fixture
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
send_config "$first_port"
sed -i "s|^url = .*|url = smtp://127.0.0.1:$first_port, smtp://127.0.0.1:$second_port|" tocsin.conf
run 0 tocsin blast create --schedule river alert.alert --action resign-now --where city=Lyon
run 0 tocsin send --due
n1=$(ls "$first_dump" | wc -l)
n2=$(ls "$T/dump2" | wc -l)
tap_result $([ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]; echo $?) "both relays carried messages ($n1 and $n2)"
is "$((n1 + n2))" "$(sql 'SELECT recipients FROM blasts WHERE id = 1')" "together, every recipient once"
kill "$second_pid"
wait "$second_pid" 2>/dev/null

# An hourly cap per relay, across runs.
send_config "$SINK_PORT"
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
send_config "$SINK_PORT"
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
done_testing
