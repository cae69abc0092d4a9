#!/bin/sh
# tocsin web's petition page against curl: the count, the goal, "Who's
# signing" 30 at a time, count.json, and the sign link of an alert (one
# click, the token names the person).
. "$(dirname "$0")/lib.sh"

petition_fixture
sign_url() { text_of "$(sunk_to "$1")" | sed -n 's|^https://river.example\(/a/.*\)$|\1|p'; }
count() { sql "SELECT count(*) FROM signatures g JOIN actions a ON a.id = g.action_id WHERE a.slug = 'resign-now'"; }

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

done_testing
