#!/bin/sh
# tocsin inbox killed (-9) in the middle of its work, several times, on
# 3,000 messages in a real Dovecot: each run finishes what the last one
# left, no message is acted on twice, none is lost, none is deleted.
. "$(dirname "$0")/lib.sh"

new_secret
start_dovecot
{ printf '[sender]\nsecret_file = secret.key\n'; imap_config; } >tocsin.conf
run 0 tocsin init
n=3000
mkdir msgs
python3 - "$n" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    open("msgs/%05d" % i, "w").write(
        "From: reader%d@example.com\nTo: reply+d%d-aaaaaaaaaaaaaaaa@river.example\n"
        "Subject: Re: Resign now\nMessage-ID: <q%d@example.com>\n\n"
        "Question %d: who pays for this campaign?\n" % (i, i, i, i))
PY
find msgs -type f | xargs sh "$TOP/scripts/dovecot-local.sh" deliver "$T"
is "$(folder_count INBOX)" "$n" "$n messages wait"

kills=0
for delay in 0.3 0.5 0.7 0.9 1.1; do
	tocsin inbox --once >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
done
diag_kills=$(printf '# killed %s runs with -9\n' "$kills")
echo "$diag_kills"
run 0 tocsin inbox --once
is "$(folder_count INBOX)" "0" "after the kills, one more run empties the INBOX"
is "$(folder_count replies)" "$n" "every message is in replies, none lost, none twice"
is "$(sql 'SELECT count(*) FROM replies')" "$n" "each kept once in the database"
is "$(sql 'SELECT count(DISTINCT digest) FROM inbox_messages')" "$n" "each message recorded once"
is "$(sql 'SELECT count(*) FROM inbox_messages WHERE moved = 0')" "0" "and every move noted"
run 0 tocsin inbox --once
is "$(cat out)" "" "a last run finds nothing, and says nothing"
done_testing
