#!/bin/sh
# tocsin web's one-click unsubscribe (RFC 8058) against curl: a POST of
# List-Unsubscribe=One-Click in either form encoding unsubscribes the
# token's person at once, with no cookie or login; a GET changes
# nothing; a repeat changes nothing more; a bad, altered or misplaced
# token changes nothing; the page's undo resubscribes; a sender running
# a blast skips whoever left a moment ago.
. "$(dirname "$0")/lib.sh"

MK="python3 $TOP/tests/tools/mkmail.py"
new_secret
start_sink
web_config
run 0 tocsin init
run 0 tocsin list create river --from "River Alliance <alerts@river.example>" \
    --address "1 Main St, Springfield"
run 0 tocsin list create lake --from "Lake Friends <alerts@lake.example>" \
    --address "1 Main St, Springfield"
{ echo "email,first_name"; for i in $(seq 1 40); do echo "p$i@example.org,P$i"; done; } >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin sub add lake p6@example.org
run 0 tocsin action create resign-now --title "Resign now"
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
# The one-click URL of a recipient's message, pointed at the test's port.
header() {
	python3 -c 'import email, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb")); print(" ".join(str(m[sys.argv[2]]).split()))' "$(sunk_to "$1")" "$2"
}
url() {
	header "$1" List-Unsubscribe | sed -n 's/.*<\(https:[^>]*\)>.*/\1/p' |
		sed "s|^https://river.example|http://127.0.0.1:$WEB_PORT|"
}
st() { sql "SELECT group_concat(m.status, ' ') FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = '$1' ORDER BY m.list_id"; }
header p1@example.org List-Unsubscribe | grep -q "^<mailto:unsubscribe+ud[0-9]*-[a-z2-7]*@river.example>, <https://river.example/unsubscribe?t=ud[0-9]*-[a-z2-7]*>$"
tap_result $? "the List-Unsubscribe URL is made from [web] public_url"
python3 -c 'import email, email.policy, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default); print(m.get_body(("plain",)).get_content())' "$(sunk_to p1@example.org)" |
	grep -q "^https://river.example/a/resign-now?t=sd[0-9]*-[a-z2-7]*$"
tap_result $? "and the alert's sign_url too"

p2_token=$(url p2@example.org | sed 's/.*t=//')
start_web

# A GET shows the question and changes nothing (scanners fetch links).
is "$(code "$(url p1@example.org)")" "200" "GET of the one-click URL: 200"
grep -q "<h1>Unsubscribe p1@example.org from River Alliance?</h1>" body
tap_result $? "the page asks, naming the person and the group"
is "$(st p1@example.org)" "subscribed" "a GET changes nothing"
grep -qi "^Content-Security-Policy: default-src 'none'" headers && grep -qi "^Referrer-Policy: no-referrer" headers &&
	grep -qi "^X-Content-Type-Options: nosniff" headers && grep -qi "^Cache-Control: no-store" headers
tap_result $? "the token page carries CSP, no-referrer, nosniff and no-store"
lacks body "<script" "and no script at all"

# One-click: urlencoded, multipart, with a cookie.
is "$(code -d List-Unsubscribe=One-Click "$(url p1@example.org)")" "200" "one-click POST (urlencoded): 200"
is "$(st p1@example.org)" "unsubscribed" "and unsubscribed at once"
lacks headers "Location:" "no redirect"
lacks headers "Set-Cookie:" "no cookie"
is "$(sql "SELECT count(*) FROM events e JOIN subscribers s ON s.id = e.subscriber_id WHERE s.email = 'p1@example.org' AND e.kind = 'unsubscribe' AND e.source = 'web'")" "1" \
	"with an event whose source is web"
is "$(code -d List-Unsubscribe=One-Click "$(url p1@example.org)")" "200" "a repeat POST: 200"
is "$(sql "SELECT count(*) FROM events e JOIN subscribers s ON s.id = e.subscriber_id WHERE s.email = 'p1@example.org' AND e.kind = 'unsubscribe'")" "1" \
	"and nothing more changes"
is "$(code -F List-Unsubscribe=One-Click "$(url p2@example.org)")" "200" "one-click POST (multipart/form-data): 200"
is "$(st p2@example.org)" "unsubscribed" "unsubscribed"
is "$(code -b "session=stale; csrf=x" -d List-Unsubscribe=One-Click "$(url p3@example.org)")" "200" "one-click with a cookie: 200"
is "$(st p3@example.org)" "unsubscribed" "the cookie plays no part"

# What is not a one-click request changes nothing.
is "$(code -X POST "$(url p4@example.org)")" "400" "an empty POST: 400"
is "$(code -d List-Unsubscribe=Yes "$(url p4@example.org)")" "400" "another value: 400"
is "$(code -H 'Content-Type: application/json' --data-binary '{"List-Unsubscribe":"One-Click"}' "$(url p4@example.org)")" "400" "a body in no form encoding: 400"
head -c 20000 /dev/zero | tr '\0' a >big
is "$(code --data-binary @big "$(url p4@example.org)")" "413" "an oversized body: 413"
altered=$(url p4@example.org | sed 's/.$/a/; t; s/.$/b/')
[ "$altered" = "$(url p4@example.org)" ] && altered=$(url p4@example.org | sed 's/.$/b/')
is "$(code -d List-Unsubscribe=One-Click "$altered")" "404" "an altered token: 404"
reply=$(sed -n 's/^Reply-To: .*reply+\([a-z0-9-]*\)@.*/\1/p' "$(sunk_to p4@example.org)")
is "$(code -d List-Unsubscribe=One-Click "http://127.0.0.1:$WEB_PORT/unsubscribe?t=$reply")" "404" \
	"the Reply-To token, made for another place: 404"
is "$(code -d List-Unsubscribe=One-Click "http://127.0.0.1:$WEB_PORT/unsubscribe?t=%3Cscript%3E")" "404" "a token that is no token: 404"
is "$(code -d List-Unsubscribe=One-Click "http://127.0.0.1:$WEB_PORT/unsubscribe")" "400" "no token: 400"
is "$(st p4@example.org)" "subscribed" "none of them changed anything"

# Mail already out has tokens made before purposes: they still work.
old=$($MK legacy-token secret.key "$(sql "SELECT d.id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = 'p5@example.org'")")
is "$(code -d List-Unsubscribe=One-Click "http://127.0.0.1:$WEB_PORT/unsubscribe?t=$old")" "200" "a legacy token: 200"
is "$(st p5@example.org)" "unsubscribed" "and unsubscribed"

# Every list of the group, and undo.
is "$(code -d List-Unsubscribe=One-Click -d scope=all "$(url p6@example.org)")" "200" "leave every list: 200"
is "$(st p6@example.org)" "unsubscribed unsubscribed" "off both lists"
is "$(code -d undo=1 "$(url p1@example.org)")" "200" "undo: 200"
grep -q '<h1 id="back">You are subscribed again</h1>' body
tap_result $? "the page says so"
is "$(st p1@example.org)" "subscribed" "undo puts them back on the list"
is "$(sql "SELECT status_reason FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = 'p1@example.org'")" \
	"undone on the unsubscribe page by the person" "with its reason recorded"
sql "UPDATE memberships SET status = 'bounced' WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'p7@example.org')"
is "$(code -d undo=1 "$(url p7@example.org)")" "200" "undo for a bounced address: 200"
is "$(st p7@example.org)" "bounced" "but a bounce is never undone from a link"

# Other methods and paths.
is "$(code -X PUT "$(url p8@example.org)")" "405" "PUT: 405"
grep -qi "^Allow: GET, HEAD, POST" headers
tap_result $? "with an Allow header"
is "$(code "http://127.0.0.1:$WEB_PORT/nothing/here")" "404" "an unknown path: 404"
is "$(code "http://127.0.0.1:$WEB_PORT/static/tocsin.css")" "200" "the stylesheet is served"

# A blast in progress skips whoever leaves meanwhile.
last_url=$(url p40@example.org)
rm -f "$SINK_DUMP"/*
run 0 tocsin blast create --schedule river alert.alert --action resign-now --rate 10
tocsin send --due >send.out 2>send.err &
sender=$!
i=0
while [ "$(ls "$SINK_DUMP" | wc -l)" -lt 2 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
is "$(code -d List-Unsubscribe=One-Click "$last_url")" "200" "a one-click POST while the sender runs: 200"
wait $sender
is "$?" "0" "the sender finished"
lacks send.err "SQLITE_BUSY" "no busy database on either side"
is "$(grep -l '^X-Rcpt-Args: <p40@example.org>' "$SINK_DUMP"/* | wc -l | tr -d ' ')" "0" \
	"the person who left a moment ago got nothing"
is "$(sql "SELECT state FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email = 'p40@example.org' AND d.blast_id = 2")" \
	"skipped" "their delivery is skipped"

# A stranger's path with a line break in it (MHD unescapes %0A) forges
# no log line of its own.
code "http://127.0.0.1:$WEB_PORT/nowhere%0Atocsin-web:%20web%20kind=forged" >/dev/null
is "$(grep -c '^tocsin-web: web kind=forged' web.log)" "0" "a line break in a path forges no log line"
grep -q "^tocsin-web: web method=GET path=/nowhere?tocsin-web: web kind=forged status=404" web.log
tap_result $? "it is logged on its own line, the break made '?'"
# The log: a line a request, never a token or an address.
grep -q "^tocsin-web: web method=POST path=/unsubscribe status=200 ms=[0-9.]*$" web.log
tap_result $? "one key=value line a request"
lacks web.log "@example.org" "no address in the log"
lacks web.log "?t=" "no token in the log"
lacks web.log "$p2_token" "not even the token alone"
kill $WEB_PID
wait $WEB_PID
is "$?" "0" "SIGTERM stops tocsin web, exit 0"
done_testing
