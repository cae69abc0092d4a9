#!/bin/sh
# A human reply reaches a person: the inbox keeps it and queues it for
# the list's reply-to address; tocsin send forwards it through the relay
# with the writer as Reply-To, once, so the organiser can answer them
# directly. A list without a reply-to forwards nothing.
. "$(dirname "$0")/lib.sh"

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
run 0 tocsin list create river --from "River Alliance <alerts@river.example>" --reply-to organiser@river.example \
    --address "1 Main St, Springfield"
run 0 tocsin list create lake --from "Lake <alerts@lake.example>" \
    --address "1 Main St, Springfield"
run 0 tocsin sub add river ann@example.org --field first_name=Ann
run 0 tocsin sub add lake bob@example.org --field first_name=Bob
run 0 tocsin action create resign-now --title "Resign now"
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin blast create --schedule lake alert.alert --action resign-now
run 0 tocsin send --due
mkdir msgs
$MK reply "$(sunk_to ann@example.org)" "Who pays for this campaign? I would like to know before I sign." >msgs/ann
$MK reply "$(sunk_to bob@example.org)" "Is this the same group as last year?" >msgs/bob
maildir_deliver msgs/*
rm -f "$SINK_DUMP"/*
run 0 tocsin inbox --once
is "$(sql "SELECT count(*) FROM forwards WHERE state = 'queued'")" "1" "the reply to river is queued for its reply-to"
run 0 tocsin send --due
has err "tocsin-send: forwarded 1 reply to a person" "tocsin send forwards it"
fwd=$(sunk_to organiser@river.example)
is "$(echo "$fwd" | wc -w | tr -d ' ')" "1" "the organiser got it"
python3 - "$fwd" >headers <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print("Reply-To: " + str(m["Reply-To"]))
print("Subject: " + str(m["Subject"]))
print("From: " + str(m["From"]))
print("List-Unsubscribe: " + str(m["List-Unsubscribe"]))
print(m.get_body(("plain",)).get_content())
PY
has headers "Reply-To: ann@example.org" "with the writer as Reply-To"
grep -q "^Subject: Reply from ann@example.org: Re: " headers
tap_result $? "and a subject that says whose reply it is"
has headers "From: River Alliance <alerts@river.example>" "from the group"
has headers "List-Unsubscribe: None" "with no list headers: it is not an alert"
grep -q "^Who pays for this campaign?" headers
tap_result $? "the reply's words are in it"
grep -q '^X-Mail-Args: <bounce@bounces.river.example>' "$fwd"
tap_result $? "its envelope sender has no token: a bounce of it acts on nobody"
is "$(sql "SELECT state FROM forwards")" "sent" "the forward is recorded sent"
run 0 tocsin send --due
is "$(sunk_to organiser@river.example | wc -w | tr -d ' ')" "1" "and never sent twice"
lacks headers "Is this the same group" "a list without a reply-to forwards nothing"
done_testing
