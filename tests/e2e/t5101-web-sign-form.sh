#!/bin/sh
# tocsin web's petition form for people without a sign link: a pending
# signature, a confirmation mail sent by tocsin send through smtp-sink,
# counted once confirmed, and never by a GET, a forged or an old link.
. "$(dirname "$0")/lib.sh"

petition_fixture
count() { sql "SELECT count(*) FROM signatures g JOIN actions a ON a.id = g.action_id WHERE a.slug = 'resign-now'"; }

code "$BASE/a/resign-now" >/dev/null
form=$(sed -n 's|.*name="form" value="\([^"]*\)".*|\1|p' body)
post() { code --data-urlencode "form=$form" "$@" "$BASE/a/resign-now/sign"; }
# The form: a pending signature, confirmed by email.
is "$(post --data-urlencode 'first_name=<b>Zoë</b>' -d last_name=Ng -d email=zoe@example.net -d postcode=75011 -d consent=yes -d comment=Go)" "200" "the form: 200"
has body '<p id="check-email"><strong>Thank you. Please check your email:</strong> your signature counts once you confirm it with the link we sent.</p>' \
	"the page asks them to check their email"
is "$(count)" "40" "a form signature does not count before it is confirmed"
is "$(sql "SELECT count(*) FROM pending_signatures WHERE confirmed_at IS NULL")" "1" "it is pending"
is "$(post -d first_name=Zoe -d email=zoe@example.net -d consent=yes)" "200" "the same person again: 200"
is "$(sql "SELECT count(*) FROM deliveries d JOIN blasts b ON b.id = d.blast_id WHERE b.kind = 'confirm'")" "1" \
	"one confirmation queued, not two"
rm -f "$SINK_DUMP"/*
run 0 tocsin send --due
is "$(ls "$SINK_DUMP" | wc -l | tr -d ' ')" "1" "tocsin send sends the confirmation"
grep -q "^Subject: Please confirm your signature: Demand that the minister resign now" "$(sunk_to zoe@example.net)"
tap_result $? "the confirmation mail"
confirm=$(confirm_url zoe@example.net)
is "$(code "$BASE$confirm")" "200" "GET of the confirmation link: 200"
grep -q '<button type="submit" id="confirm">Confirm my signature</button>' body
tap_result $? "one button"
is "$(count)" "40" "a GET confirms nothing"
is "$(code -X POST "$BASE$confirm")" "200" "the button: 200"
grep -q '<h1 id="confirmed">Thank you: your signature counts</h1>' body
tap_result $? "confirmed"
is "$(count)" "41" "now it counts"
is "$(sql "SELECT confirmed_ip IS NOT NULL AND confirmed_at IS NOT NULL FROM pending_signatures")" "1" "with the time and address of the confirmation"
is "$(sql "SELECT m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'zoe@example.net'")" \
	"subscribed" "consent yes: on the action's list"
is "$(code -X POST "$BASE$confirm")" "200" "confirming again: 200"
is "$(count)" "41" "counts once"
code "$BASE/a/resign-now" >/dev/null
grep -q '<li>&lt;b&gt;Zoë&lt;/b&gt; signed just now</li>' body
tap_result $? "the new name shows, escaped"
lacks body "<b>Zo" "never raw"
# A signer may ask to be shown by their full name.
is "$(post -H "X-Forwarded-For: 192.0.2.44" -d first_name=Craig -d last_name=Lee -d email=craig@example.net -d consent=no -d show_full_name=yes)" \
	"200" "the form with show_full_name: 200"
is "$(sql "SELECT display_name FROM pending_signatures p JOIN subscribers s ON s.id = p.subscriber_id WHERE s.email = 'craig@example.net'")" \
	"Craig Lee" "the full name is kept to show"
rm -f "$SINK_DUMP"/*
run 0 tocsin send --due
craig=$(confirm_url craig@example.net)
is "$(code -X POST "$BASE$craig")" "200" "Craig confirms"
code "$BASE/a/resign-now" >/dev/null
grep -q '<li>Craig Lee signed just now</li>' body
tap_result $? "the page shows the full name he chose"
is "$(code "$BASE/c/cd1-aaaaaaaaaaaaaaaa")" "404" "a forged confirmation link: 404"
sql "UPDATE pending_signatures SET created_at = created_at - 8 * 86400, confirmed_at = NULL"
is "$(code -X POST "$BASE$confirm")" "410" "a confirmation link past 7 days: 410"

done_testing
