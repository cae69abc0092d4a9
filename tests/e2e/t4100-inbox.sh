#!/bin/sh
# tocsin inbox against a real Dovecot on 127.0.0.1: corpus bounces, an
# ARF report and auto-replies beside the bounces and replies of a real
# blast (with its tokens); every change committed, every message moved,
# nothing deleted, and a second run changes nothing.
. "$(dirname "$0")/lib.sh"

CORPUS=$TOP/tests/corpus/bounces
MK="python3 $TOP/tests/tools/mkmail.py"
new_secret
start_sink
start_dovecot
cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
$(imap_config)
X
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
{
	echo "email,first_name,last_name"
	for i in 1 2 3 4 5 6; do echo "p$i@example.org,Person$i,Doe"; done
	# Addresses that corpus messages name: with no token of ours in
	# them, those reports must change nobody (the names are anyone's).
	echo "kijitora@example.jp,Kiji,Tora"		# lhost-exim-02 (hard)
	echo "kijitora@y.example.com,Kiji,Y"		# arf-14 (complaint)
	echo "shiba@example.com,Shiba,Inu"		# lhost-exim-07 (mailbox full)
} >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin action create resign-now --title "Resign now"
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due

# p4 bounced softly twice already, 9 and 2 days ago.
p4=$(sql "SELECT id FROM subscribers WHERE email = 'p4@example.org'")
now=$(date +%s)
sql "INSERT INTO events (kind, subscriber_id, detail, source, created_at) VALUES
	('softbounce', $p4, 'mailboxfull', 'fixture', $((now - 9 * 86400))),
	('softbounce', $p4, 'mailboxfull', 'fixture', $((now - 2 * 86400)))" >/dev/null

mkdir msgs
$MK bounce "$(sunk_to p1@example.org)" 5.1.1 "<p1@example.org>: Recipient address rejected: User unknown" >msgs/hard
$MK bounce "$(sunk_to p4@example.org)" 4.2.2 "Mailbox full" >msgs/soft
$MK bounce "$(sunk_to p5@example.org)" 4.2.2 "Mailbox full" >msgs/soft-once
$MK reply "$(sunk_to p2@example.org)" "Unsubscribe me, please." >msgs/unsubscribe
$MK reply "$(sunk_to p3@example.org)" "Yes, add my name!" >msgs/sign
$MK mailto "$(sunk_to p6@example.org)" sign "" >msgs/sign-link
$MK reply "$(sunk_to p5@example.org)" "Who pays for this campaign? I would like to know more before I sign." >msgs/question
# A reply whose token was tampered with signs nobody.
sed 's/reply+rd\([0-9]*\)-[a-z2-7]*@/reply+rd\1-aaaaaaaaaaaaaaaa@/' msgs/sign >msgs/forged
sed -i 's/^Message-ID: <reply-/Message-ID: <forged-/' msgs/forged
printf 'this is not a mail message at all\n\001\002\003\n' >msgs/garbage
cp "$CORPUS/lhost-exim-02.eml" "$CORPUS/arf-14.eml" "$CORPUS/lhost-exim-07.eml" \
	"$CORPUS/rfc3834-01.eml" "$CORPUS/rfc3834-02.eml" "$CORPUS/rfc3464-07.eml" msgs/
maildir_deliver msgs/*
total=$(ls msgs | wc -l | tr -d ' ')
is "$(folder_count INBOX)" "$total" "$total messages wait in the INBOX"

run 0 tocsin inbox --once
has err "tocsin-inbox: $total messages: 6 bounces, 1 complaints, 2 auto-replies, 1 unsubscribe, 3 sign, 1 replies, 1 unknown; 0 seen before" "the run counts each kind"
has err "tocsin-inbox: 2 bounced, 2 soft bounces, 0 complained, 1 unsubscribed, 2 new signatures, 5 unattributed; $total moved" "and what it did"
grep -q '^tocsin-inbox: uid=[0-9]* token=invalid role=r: attributes nothing$' err
tap_result $? "the forged token is logged"
st() { sql "SELECT m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = '$1'"; }
is "$(st p1@example.org)" "bounced" "a hard bounce with the VERP token: bounced"
is "$(st kijitora@example.jp)" "subscribed" "a corpus bounce (Exim) with no token of ours: nobody bounced"
is "$(st p4@example.org)" "bounced" "a third soft bounce over 9 days: bounced"
is "$(st p5@example.org)" "subscribed" "one soft bounce: still subscribed"
is "$(st shiba@example.com)" "subscribed" "a full mailbox (corpus) is soft: still subscribed"
is "$(st kijitora@y.example.com)" "subscribed" "an ARF report with no token of ours: nobody complained"
is "$(sql "SELECT count(*) FROM suppressions WHERE email = 'kijitora@y.example.com'")" "0" "nor suppressed"
is "$(st p2@example.org)" "unsubscribed" "the unsubscribe reply: unsubscribed"
is "$(sql "SELECT group_concat(s.email, ' ') FROM signatures g JOIN subscribers s ON s.id = g.subscriber_id WHERE g.source = 'reply' ORDER BY s.email")" \
	"p3@example.org p6@example.org" "the sign reply and the sign link signed; the forged token did not"
is "$(sql "SELECT name FROM signatures g JOIN subscribers s ON s.id = g.subscriber_id WHERE s.email = 'p3@example.org'")" "Person3 Doe" "the signature carries the subscriber's name"
is "$(sql "SELECT count(*) FROM events WHERE source = 'inbox' AND (imap_uid IS NULL OR inbox_message_id IS NULL)")" "0" "every inbox event names its IMAP UID and message"
is "$(sql "SELECT count(*) FROM events e JOIN deliveries d ON d.id = e.delivery_id WHERE e.kind IN ('bounce','unsubscribe','signature') AND d.subscriber_id = e.subscriber_id")" "5" "the token-attributed events name their delivery"
is "$(folder_count INBOX)" "0" "the INBOX is empty"
is "$(folder_count processed)" "8" "8 messages in processed"
is "$(folder_count replies)" "2" "the question and the forged reply in replies"
is "$(folder_count unknown)" "5" "the garbage and the four corpus reports with no token in unknown"
run 0 tocsin replies --unattributed --format tsv
is "$(sed 1d out | cut -f4 | sort | tr '\n' ' ')" "bounce bounce bounce complaint " \
	"tocsin replies --unattributed lists the four reports for a person"
run 0 tocsin replies --format tsv
is "$(sed 1d out | cut -f2,4 | sort | tr '\t\n' '| ')" "p3@example.org| p5@example.org|1 " "tocsin replies lists the two, with the blast only where the token verified"

sql "SELECT status FROM memberships ORDER BY list_id, subscriber_id; SELECT count(*) FROM events; SELECT count(*) FROM signatures; SELECT count(*) FROM replies" >before
run 0 tocsin inbox --once
is "$(cat out)" "" "a second run finds nothing new, and says nothing"
sql "SELECT status FROM memberships ORDER BY list_id, subscriber_id; SELECT count(*) FROM events; SELECT count(*) FROM signatures; SELECT count(*) FROM replies" >after
same before after "and changes nothing"

# The same messages again (redelivered, or the mailbox rebuilt): moved, not acted on.
maildir_deliver msgs/*
run 0 tocsin inbox --once
has err "tocsin-inbox: $total messages: 0 bounces, 0 complaints, 0 auto-replies, 0 unsubscribe, 0 sign, 0 replies, 0 unknown; $total seen before" "messages seen before are only moved"
sql "SELECT status FROM memberships ORDER BY list_id, subscriber_id; SELECT count(*) FROM events; SELECT count(*) FROM signatures; SELECT count(*) FROM replies" >after
same before after "nothing is acted on twice"
is "$(folder_count INBOX)" "0" "the INBOX is empty again"

# A new UIDVALIDITY (the server's index rebuilt): a rescan, acting on nothing twice.
stop_dovecot
find "$MAILDIR" -maxdepth 1 -name 'dovecot*' -exec rm -rf {} +
uv_before=$(sql "SELECT uidvalidity FROM inbox_state")
# Dovecot's UIDVALIDITY is the second the index is made: wait for the
# clock to pass the old one, not for a fixed time.
i=0
while [ "$(date +%s)" -le "$uv_before" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
maildir_deliver msgs/hard msgs/sign
restart_dovecot
run 0 tocsin inbox --once
has err "tocsin-inbox: mailbox 'INBOX': UIDVALIDITY changed from $uv_before to $(sql "SELECT uidvalidity FROM inbox_state"); reading it all again (nothing is acted on twice)" "a UIDVALIDITY change is noticed"
sql "SELECT status FROM memberships ORDER BY list_id, subscriber_id; SELECT count(*) FROM events; SELECT count(*) FROM signatures; SELECT count(*) FROM replies" >after
same before after "and the rescan acts on nothing twice"

# One shape for a bounce, whoever saw it (people_mark_bounced).
is "$(sql "SELECT count(*) > 0, sum(list_id IS NULL OR delivery_id IS NULL OR subscriber_id IS NULL) FROM events WHERE kind = 'bounce'")" \
	"1|0" "every bounce event names its subscriber, list and delivery"
done_testing
