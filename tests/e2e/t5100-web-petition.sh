#!/bin/sh
# tocsin web's petition page against curl: the count, the goal, "Who's
# signing" 30 at a time, the sign link of an alert (one click, the token
# names the person), the form for everyone else (a pending signature, a
# confirmation mail sent by tocsin send through smtp-sink, counted once
# confirmed), its abuse guards, and count.json.
. "$(dirname "$0")/lib.sh"

new_secret
start_sink
WEB_PORT=$(free_port)
BASE=http://127.0.0.1:$WEB_PORT
cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
[web]
listen = 127.0.0.1:$WEB_PORT
public_url = https://river.example
posts_per_minute = 8
X
run 0 tocsin init
run 0 tocsin list create river --from "River Alliance <alerts@river.example>" \
    --address "1 Main St, Springfield"
{ echo "email,first_name,last_name"; for i in $(seq 1 5); do echo "p$i@example.org,Pat$i,Lee"; done; } >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin action create resign-now --title "Demand that the minister resign now" \
	--list river --goal 30 --text "The minister signed the permit.

He must go."
# 40 signers, to see "Showing 30 of 40".
{ echo "email,name,signed_at"; for i in $(seq 1 40); do printf 's%02d@example.org,Signer%02d Smith,2026-11-%02d 10:00\n' "$i" "$i" "$(( (i % 28) + 1 ))"; done; } >sigs.csv
run 0 tocsin action import resign-now sigs.csv
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
text_of() {
	python3 -c 'import email, email.policy, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default); print(m.get_body(("plain",)).get_content())' "$1"
}
sign_url() { text_of "$(sunk_to "$1")" | sed -n 's|^https://river.example\(/a/.*\)$|\1|p'; }
count() { sql "SELECT count(*) FROM signatures g JOIN actions a ON a.id = g.action_id WHERE a.slug = 'resign-now'"; }

tocsin web >web.out 2>web.log &
WEB_PID=$!
trap 'kill $WEB_PID 2>/dev/null; cleanup' EXIT
wait_port "$WEB_PORT" || { echo "Bail out! tocsin web did not start"; cat web.log; exit 1; }
code() { curl -s -o body -D headers -w '%{http_code}' "$@"; }

# The page.
is "$(code "$BASE/a/resign-now")" "200" "GET /a/SLUG: 200"
has body "<h1>Demand that the minister resign now</h1>" "the title"
has body "<p>He must go.</p>" "the text, in paragraphs"
has body '<p class="count" id="count">40 people have already signed</p>' "the count"
grep -q '<progress max="100" value="40">' body
tap_result $? "past the goal of 30, the bar steps up to 100"
is "$(grep -c '^<li>Signer[0-9]* signed ' body)" "30" "Who's signing: 30 at a time"
has body '<p class="meta" id="showing">Showing 30 of 40</p>' "Showing 30 of 40"
lacks body "Smith" "only first names are public"
lacks body "@example.org" "no address on the page"
grep -q '<a href="/a/resign-now?shown=90" id="more">Show more</a>' body
tap_result $? "a link shows more"
is "$(code "$BASE/a/resign-now?shown=90")" "200" "?shown=90: 200"
is "$(grep -c '^<li>Signer[0-9]* signed ' body)" "40" "shows all 40"
is "$(code "$BASE/a/no-such-thing")" "404" "an unknown action: 404"
is "$(code "$BASE/a/resign-now/count.json")" "200" "count.json: 200"
grep -q '^{"count":40,"recent":\["Signer' body
tap_result $? "count.json has the count and recent first names"
grep -qi '^Access-Control-Allow-Origin: \*' headers
tap_result $? "for the group's own site (any origin)"

# From an alert: the sign link names the person; GET shows one button.
link=$(sign_url p1@example.org)
is "$(code "$BASE$link")" "200" "the alert's sign_url: 200"
grep -q '<button type="submit" id="sign">Sign as Pat1 L.</button>' body
tap_result $? "the page says 'Sign as Pat1 L.' with one button"
is "$(count)" "40" "a GET signs nothing"
action=$(sed -n 's|.*<form method="post" action="\([^"]*\)">.*|\1|p' body | head -n 1)
is "$(code -X POST "$BASE$action")" "200" "the button (a POST): 200"
has body '<p id="signed"><strong>Thank you: you signed.</strong></p>' "the page thanks them"
is "$(count)" "41" "the signature counts at once: the token named them"
is "$(code -X POST "$BASE$action")" "200" "signing twice: 200"
is "$(count)" "41" "counts once"
is "$(sql "SELECT count(*) FROM events WHERE kind = 'signature' AND source = 'web'")" "1" "one event, source web"
unsub=$(python3 -c 'import email, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb")); print(" ".join(str(m["List-Unsubscribe"]).split()))' "$(sunk_to p2@example.org)" | sed -n 's|.*<https://river.example\(/unsubscribe?t=[a-z0-9-]*\)>.*|\1|p' | sed 's/.*t=//')
is "$(code -X POST "$BASE/a/resign-now/sign?t=$unsub")" "404" "an unsubscribe token cannot sign"
is "$(count)" "41" "and signs nobody"

# The form: a pending signature, confirmed by email.
code "$BASE/a/resign-now" >/dev/null
form=$(sed -n 's|.*name="form" value="\([^"]*\)".*|\1|p' body)
post() { code --data-urlencode "form=$form" "$@" "$BASE/a/resign-now/sign"; }
is "$(post --data-urlencode 'first_name=<b>Zoë</b>' -d last_name=Ng -d email=zoe@example.net -d postcode=75011 -d consent=yes -d comment=Go)" "200" "the form: 200"
has body '<p id="check-email"><strong>Thank you. Please check your email:</strong> your signature counts once you confirm it with the link we sent.</p>' \
	"the page asks them to check their email"
is "$(count)" "41" "a form signature does not count before it is confirmed"
is "$(sql "SELECT count(*) FROM pending_signatures WHERE confirmed_at IS NULL")" "1" "it is pending"
is "$(post -d first_name=Zoe -d email=zoe@example.net -d consent=yes)" "200" "the same person again: 200"
is "$(sql "SELECT count(*) FROM deliveries d JOIN blasts b ON b.id = d.blast_id WHERE b.kind = 'confirm'")" "1" \
	"one confirmation queued, not two"
rm -f "$SINK_DUMP"/*
run 0 tocsin send --due
is "$(ls "$SINK_DUMP" | wc -l | tr -d ' ')" "1" "tocsin send sends the confirmation"
mail=$(sunk_to zoe@example.net)
grep -q "^Subject: Please confirm your signature: Demand that the minister resign now" "$mail"
tap_result $? "the confirmation mail"
confirm=$(text_of "$mail" | sed -n 's|^https://river.example\(/c/[a-z0-9-]*\)$|\1|p')
is "$(code "$BASE$confirm")" "200" "GET of the confirmation link: 200"
grep -q '<button type="submit" id="confirm">Confirm my signature</button>' body
tap_result $? "one button"
is "$(count)" "41" "a GET confirms nothing"
is "$(code -X POST "$BASE$confirm")" "200" "the button: 200"
grep -q '<h1 id="confirmed">Thank you: your signature counts</h1>' body
tap_result $? "confirmed"
is "$(count)" "42" "now it counts"
is "$(sql "SELECT confirmed_ip IS NOT NULL AND confirmed_at IS NOT NULL FROM pending_signatures")" "1" "with the time and address of the confirmation"
is "$(sql "SELECT m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'zoe@example.net'")" \
	"subscribed" "consent yes: on the action's list"
is "$(code -X POST "$BASE$confirm")" "200" "confirming again: 200"
is "$(count)" "42" "counts once"
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
craig=$(text_of "$(sunk_to craig@example.net)" | sed -n 's|^https://river.example\(/c/[a-z0-9-]*\)$|\1|p')
is "$(code -X POST "$BASE$craig")" "200" "Craig confirms"
code "$BASE/a/resign-now" >/dev/null
grep -q '<li>Craig Lee signed just now</li>' body
tap_result $? "the page shows the full name he chose"
is "$(code "$BASE/c/cd1-aaaaaaaaaaaaaaaa")" "404" "a forged confirmation link: 404"
sql "UPDATE pending_signatures SET created_at = created_at - 8 * 86400, confirmed_at = NULL"
is "$(code -X POST "$BASE$confirm")" "410" "a confirmation link past 7 days: 410"

# Guards: bad input, the form token, the honeypot, the rate limit.
is "$(post -d first_name=Al -d email=not-an-address -d consent=yes)" "400" "a bad address: 400"
has body '<p id="error" role="alert">Please give an email address we can write to.</p>' "and the page says why"
is "$(post -d first_name=Al -d email=al@example.net)" "400" "no consent choice: 400"
is "$(post -d first_name=%FF%FE -d email=al@example.net -d consent=no)" "400" "a name that is not UTF-8: 400"
has body '<p id="error" role="alert">Your first name is not in an encoding we can read (UTF-8).</p>' "and the page says why"
is "$(code -d form=fm1x1-aaaaaaaaaaaaaaaa -d first_name=Al -d email=al@example.net -d consent=no "$BASE/a/resign-now/sign")" "400" \
	"a forged form token (a cross-site post): 400"
is "$(post -d first_name=Bot -d email=bot@example.net -d consent=no -d website=http://spam.example)" "200" "the honeypot filled: 200"
is "$(sql "SELECT count(*) FROM subscribers WHERE email = 'bot@example.net'")" "0" "and nothing kept"
codes=""
for i in 1 2 3 4; do codes="$codes $(post -d first_name=Al -d email=al$i@example.net -d consent=no)"; done
is "$codes" " 200 429 429 429" "past posts_per_minute, a client gets 429"
# Behind the proxy every client is 127.0.0.1: X-Forwarded-For tells them apart.
is "$(post -H 'X-Forwarded-For: 198.51.100.7' -d first_name=Al -d email=al9@example.net -d consent=no)" "200" \
	"another client behind the proxy has a limit of its own"
is "$(post -H 'X-Forwarded-For: 203.0.113.1, 198.51.100.8' -d first_name=Al -d email=al10@example.net -d consent=no)" "200" \
	"the proxy's own (last) address counts"
# A sign-on letter: its organisations, numbered; the form asks for one.
run 0 tocsin action create water --kind letter --title "Open letter: clean water" --list river
run 0 tocsin action sign water ines@example.es --name "Inés García" --org "Sevilla Water Watch"
run 0 tocsin action sign water hiro@example.jp --name "Hiro Tanaka" --org "Osaka River Keepers"
is "$(code "$BASE/a/water")" "200" "a letter's page: 200"
grep -q '<li value="1">Sevilla Water Watch</li>' body && grep -q '<li value="2">Osaka River Keepers</li>' body
tap_result $? "its organisations, numbered in the order they signed"
lacks body "García" "and no person's name"
grep -q 'name="org" required' body
tap_result $? "the form asks for the organisation"
form=$(sed -n 's|.*name="form" value="\([^"]*\)".*|\1|p' body)
is "$(code -H 'X-Forwarded-For: 192.0.2.50' --data-urlencode "form=$form" -d first_name=Ana -d email=ana@example.pt -d consent=no "$BASE/a/water/sign")" "400" \
	"a letter's form without an organisation: 400"
is "$(code -H 'X-Forwarded-For: 192.0.2.50' --data-urlencode "form=$form" -d first_name=Ana -d email=ana@example.pt -d consent=no --data-urlencode "org=Porto Clean Rivers" "$BASE/a/water/sign")" "200" \
	"with one: 200"
rm -f "$SINK_DUMP"/*
run 0 tocsin send --due
confirm=$(text_of "$(sunk_to ana@example.pt)" | sed -n 's|^https://river.example\(/c/[a-z0-9-]*\)$|\1|p')
is "$(code -X POST "$BASE$confirm")" "200" "she confirms"
code "$BASE/a/water" >/dev/null
grep -q '<li value="3">Porto Clean Rivers</li>' body
tap_result $? "her organisation is third on the letter"
done_testing
