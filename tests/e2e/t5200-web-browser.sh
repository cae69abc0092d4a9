#!/bin/sh
# tocsin web's pages in a real browser: Debian's Chromium, headless,
# driven by playwright-core (tests/browser/drive.mjs). A person opens
# the petition page, fills in the form and signs, confirms from the
# mail tocsin send delivered, and sees the count rise and their name in
# "Who's signing"; another opens an alert's unsubscribe link and presses
# the button. A screenshot of each page is kept in build/artifacts/.
. "$(dirname "$0")/lib.sh"

[ -x /usr/bin/chromium ] || { echo "Bail out! no /usr/bin/chromium (make check installs it)"; exit 1; }
[ -d "$TOP/tests/browser/node_modules/playwright-core" ] ||
	{ echo "Bail out! no playwright-core (scripts/browser-deps.sh installs it)"; exit 1; }
SHOTS=$TOP/build/artifacts/t5200
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
drive() { node "$TOP/tests/browser/drive.mjs" "$@"; }

new_secret
start_sink
web_config
run 0 tocsin init
run 0 tocsin list create river --from "River Alliance <alerts@river.example>" \
    --address "1 Main St, Springfield"
run 0 tocsin sub add river ann@example.org --field first_name=Ann
run 0 tocsin action create resign-now --title "Demand that the minister resign now" \
	--list river --goal 100 --text "The minister signed the permit with no hearing."
for i in 1 2 3; do run 0 tocsin action sign resign-now "g$i@example.org" --name "Gabrielle$i"; done
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
# Ann's one-click link, as her mail client shows it.
unsub=$(python3 -c 'import email, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb")); print(" ".join(str(m["List-Unsubscribe"]).split()))' "$(grep -l '^X-Rcpt-Args: <ann@example.org>' "$SINK_DUMP"/*)" |
	sed -n "s|.*<https://river.example\(/unsubscribe?t=[a-z0-9-]*\)>.*|$BASE\1|p")
start_web

# The petition page, and signing on it.
drive text "$BASE/a/resign-now" "#count" "$SHOTS/1-petition.png" >out 2>err
is "$(head -n 1 out)" "3 people have already signed" "the page shows the count"
lacks out "console error" "with nothing the page's CSP refuses"
drive sign "$BASE/a/resign-now" "Zoë" "Ng" "zoe@example.net" "$SHOTS/2-signed.png" >out 2>err
tap_result $? "a person fills in the form and signs"
grep -q "^Thank you. Please check your email:" out
tap_result $? "the page asks them to confirm from their email"
rm -f "$SINK_DUMP"/*
run 0 tocsin send --due
mail=$(grep -l '^X-Rcpt-Args: <zoe@example.net>' "$SINK_DUMP"/*)
confirm=$(python3 -c 'import email, email.policy, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default); print(m.get_body(("plain",)).get_content())' "$mail" |
	sed -n "s|^https://river.example\(/c/[a-z0-9-]*\)$|$BASE\1|p")
drive click "$confirm" "#confirm" "$SHOTS/3-confirmed.png" >out 2>err
is "$(cat out)" "Thank you: your signature counts" "the confirmation link's button confirms"
drive text "$BASE/a/resign-now" "#signers" "$SHOTS/4-whos-signing.png" >out 2>err
is "$(head -n 1 out)" "Zoë signed just now" "her name leads Who's signing"
drive text "$BASE/a/resign-now" "#count" "$SHOTS/5-count.png" >out 2>err
is "$(cat out)" "4 people have already signed" "and the count rose"

# The alert's unsubscribe link, and its button.
drive text "$unsub" "h1" "$SHOTS/6-unsubscribe.png" >out 2>err
is "$(cat out)" "Unsubscribe ann@example.org from River Alliance?" "the unsubscribe page asks"
is "$(sql "SELECT status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'ann@example.org'")" \
	"subscribed" "opening it changed nothing"
drive click "$unsub" "#unsubscribe" "$SHOTS/7-unsubscribed.png" >out 2>err
is "$(cat out)" "You are unsubscribed" "the button unsubscribes, and the page says so"
is "$(sql "SELECT status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'ann@example.org'")" \
	"unsubscribed" "she is off the list"
is "$(ls "$SHOTS"/*.png | wc -l | tr -d ' ')" "7" "a screenshot of each page in build/artifacts/t5200"
done_testing
