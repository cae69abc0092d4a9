#!/bin/sh
# The inbox reads any mailbox in bounded memory: sizes first, batches by
# bytes, and a message over 1 MB read from its start only, which is
# enough for a DSN with a 20 MB original returned; the small messages
# beside the large ones are all processed (bench/inbox-large measures
# the peak RSS).
. "$(dirname "$0")/lib.sh"

MK="python3 $TOP/tests/tools/mkmail.py"
alert_sent 10
mkdir msgs
# 20 MB of base64, as a large attachment would be.
python3 -c 'import sys; sys.stdout.write("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n" * 317000)' >blob
# p1's bounce returns the whole original with a 20 MB attachment.
$MK bounce "$(sunk_to p1@example.org)" 5.1.1 "User unknown" | sed '/^--BOUNDARY--$/d' >msgs/big-bounce
printf -- '--BOUNDARY\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n' >>msgs/big-bounce
cat blob >>msgs/big-bounce
printf -- '--BOUNDARY--\n' >>msgs/big-bounce
# Two strangers' 20 MB messages.
for k in 1 2; do
	{ printf 'From: stranger%s@example.net\nTo: alerts@river.example\nSubject: look\nMessage-ID: <big%s@example.net>\n\n' "$k" "$k"; cat blob; } >msgs/big-$k
done
# Small replies from p2..p10 asking to be removed.
for i in $(seq 2 10); do $MK reply "$(sunk_to "p$i@example.org")" "Please remove me from this list." >"msgs/small-$i"; done
maildir_deliver msgs/*
run 0 tocsin inbox --once
has err "tocsin-inbox: 12 messages: 1 bounces, 0 complaints, 0 auto-replies, 9 unsubscribe, 0 sign, 0 replies, 2 unknown; 0 seen before" \
	"all twelve messages are read, the three large ones among them"
is "$(grep -c 'larger than 1048576 bytes; read from its start only' err)" "3" \
	"each large message is read from its start only, and the log says so"
st() { sql "SELECT m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = '$1'"; }
is "$(st p1@example.org)" "bounced" "a DSN returning a 20 MB original still bounces its subscriber"
is "$(sql "SELECT count(*) FROM memberships WHERE status = 'unsubscribed'")" "9" \
	"every small message beside the large ones is acted on"
is "$(folder_count INBOX)" "0" "the INBOX is empty"
is "$(folder_count unknown)" "2" "the strangers' messages are kept, whole, in unknown"
big=$(find "$MAILDIR/.unknown" -type f -size +20M | wc -l | tr -d ' ')
is "$big" "2" "and moved whole, never cut"
done_testing
