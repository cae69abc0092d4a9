#!/bin/sh
# Replies with valid tokens, end to end through Dovecot: the inbox acts
# only on a clear request by the writer, and never on the opposite of
# what they asked (the replies an alert demanding that someone be
# removed will get).
. "$(dirname "$0")/lib.sh"

MK="python3 $TOP/tests/tools/mkmail.py"
alert_sent 12
mkdir msgs
reply() { $MK reply "$(sunk_to "p$1@example.org")" "$2" >"msgs/r$1"; }
reply 1 "Yes please stop emailing me"
reply 2 "Ja, bitte austragen"
reply 3 "Signed up by mistake, please delete my address"
reply 4 "Remove him now! The minister has to go."
reply 5 "Please don't remove me from the list"
reply 6 "Stop the incinerator! Count me in."
reply 7 "Yes, add my name!"
reply 8 "Sáquenme de la lista"
reply 9 "Stop"
reply 10 "Who pays for this? I would like to know more before I sign."
# The unsubscribe button's address, with words that say the opposite.
$MK mailto "$(sunk_to p11@example.org)" unsubscribe "Please don't unsubscribe me, I pressed the wrong button." >msgs/m11
# The sign address, with words that decline.
$MK mailto "$(sunk_to p12@example.org)" sign "No, I won't sign this." >msgs/m12
maildir_deliver msgs/*
run 0 tocsin inbox --once
st() { sql "SELECT m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'p$1@example.org'"; }
signed() { sql "SELECT count(*) FROM signatures g JOIN subscribers s ON s.id = g.subscriber_id WHERE s.email = 'p$1@example.org'"; }
is "$(st 1) $(signed 1)" "unsubscribed 0" "'Yes please stop emailing me' unsubscribes and signs nothing"
is "$(st 2) $(signed 2)" "unsubscribed 0" "'Ja, bitte austragen' unsubscribes"
is "$(st 3) $(signed 3)" "unsubscribed 0" "'Signed up by mistake, please delete my address' unsubscribes"
is "$(st 4) $(signed 4)" "subscribed 0" "'Remove him now!' is about someone else: kept"
is "$(st 5)" "subscribed" "'Please don't remove me' keeps them on the list"
is "$(st 6) $(signed 6)" "subscribed 1" "'Stop the incinerator! Count me in.' signs, and unsubscribes nobody"
is "$(st 7) $(signed 7)" "subscribed 1" "'Yes, add my name!' signs"
is "$(st 8)" "unsubscribed" "'Sáquenme de la lista' unsubscribes"
is "$(st 9)" "subscribed" "'Stop' alone asks nothing"
is "$(signed 10)" "0" "a question signs nothing"
is "$(st 11)" "subscribed" "mail to the unsubscribe address that says don't: kept"
is "$(signed 12)" "0" "mail to the sign address that declines signs nothing"
run 0 tocsin replies --format tsv
is "$(sed 1d out | cut -f2 | sort | tr '\n' ' ')" \
	"p10@example.org p11@example.org p12@example.org p4@example.org p5@example.org p9@example.org " \
	"what is not one clear request is kept for a person"

# A person reads them, and acts on their word.
rid() { sql "SELECT r.id FROM replies r JOIN subscribers s ON s.id = r.subscriber_id WHERE s.email = 'p$1@example.org'"; }
run 0 tocsin replies done "$(rid 4)"
has out "reply $(rid 4): done" "replies done closes one"
run 0 tocsin replies unsubscribe "$(rid 9)"
has out "reply $(rid 9): unsubscribe p9@example.org" "replies unsubscribe takes its writer off, on a person's word"
is "$(st 9)" "unsubscribed" "p9 is unsubscribed"
run 0 tocsin replies sign "$(rid 10)"
is "$(signed 10)" "1" "replies sign signs the blast's action for its writer"
run 0 tocsin replies --format tsv
is "$(sed 1d out | cut -f2 | sort | tr '\n' ' ')" "p11@example.org p12@example.org p5@example.org " \
	"tocsin replies lists the open ones only"
run 0 tocsin replies --all --format tsv
is "$(sed 1d out | wc -l | tr -d ' ')" "6" "--all lists the handled ones too"
run 0 tocsin report --format tsv 1
grep -q "	unsubscribe	p9@example.org	.*	cli$" out && grep -q "	signature	p10@example.org	.*	cli$" out
tap_result $? "report counts what a person did for the blast"
run 65 tocsin replies done 999
done_testing
