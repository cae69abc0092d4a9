#!/bin/sh
# Double opt-in for lists: GET /s/LIST is a subscribe form; its POST (or
# sub add --confirm) makes the person pending and queues a confirmation
# that tocsin send delivers; the link's POST subscribes them. Nobody
# bounced, complained or suppressed gets mail; nothing is sent twice;
# pending people get no alerts.
. "$(dirname "$0")/lib.sh"

new_secret
start_sink
web_config
run 0 tocsin init
run 0 tocsin list create river --from "River Alliance <alerts@river.example>" \
    --address "1 Main St, Springfield"
run 0 tocsin sub add river left@example.org
run 0 tocsin sub rm river left@example.org
run 0 tocsin sub add river bounced@example.org
sql "UPDATE memberships SET status = 'bounced' WHERE subscriber_id = (SELECT id FROM subscribers WHERE email = 'bounced@example.org')"
start_web
st() { sql "SELECT m.status FROM memberships m JOIN subscribers s ON s.id = m.subscriber_id WHERE s.email = '$1'"; }
mails() { grep -l "^X-Rcpt-Args: <$1>" "$SINK_DUMP"/* 2>/dev/null | wc -l | tr -d ' '; }
link_of() {
	python3 -c 'import email, email.policy, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default); print(m.get_body(("plain",)).get_content())' \
		"$(grep -l "^X-Rcpt-Args: <$1>" "$SINK_DUMP"/* | tail -n 1)" | sed -n "s|^https://river.example\(/c/[a-z0-9-]*\)$|$BASE\1|p"
}

is "$(code "$BASE/s/river")" "200" "GET /s/LIST: the form"
has body "<h1>Get email from River Alliance</h1>" "naming the group"
form=$(sed -n 's|.*name="form" value="\([^"]*\)".*|\1|p' body)
join() { code --data-urlencode "form=$form" -d consent=yes "$@" "$BASE/s/river"; }
is "$(join -d email=new@example.net -d first_name=Nia)" "200" "the form: 200"
grep -q '<p id="check-email">' body
tap_result $? "the page asks them to check their email"
is "$(st new@example.net)" "pending" "pending until confirmed"
is "$(join -d email=new@example.net)" "200" "asking again: 200"
is "$(join -d email=left@example.org)" "200" "someone who unsubscribed asks to come back: 200"
is "$(st left@example.org)" "pending" "pending again, until they confirm"
# Anyone can fill the form with an address that left: an old roster
# imported later must not take that request for their confirmation.
printf 'email,first_name\nleft@example.org,Lee\nnew@example.net,Nia\n' >roster.csv
run 0 tocsin sub import river roster.csv
is "$(st left@example.org) $(st new@example.net)" "pending pending" \
	"an import confirms nobody: pending ends only by their own link"
is "$(join -d email=bounced@example.org)" "200" "a bounced address: 200 (the page says the same to everyone)"
is "$(st bounced@example.org)" "bounced" "but it is left alone"
is "$(code --data-urlencode "form=$form" -d email=x@example.net "$BASE/s/river")" "400" "without the consent box: 400"
is "$(code -d form=fm1x1-aaaaaaaaaaaaaaaa -d email=x@example.net -d consent=yes "$BASE/s/river")" "400" "a forged form token: 400"
is "$(code "$BASE/s/no-such-list")" "404" "an unknown list: 404"

# The command line does the same.
run 0 tocsin sub add river cli@example.net --confirm
has out "cli@example.net is pending on list 'river': the next tocsin send mails them a link to confirm" "sub add --confirm"
grep -v '^public_url' tocsin.conf >nopub.conf
run 78 tocsin -c nopub.conf sub add river other@example.net --confirm
has err "tocsin-sub: sub add --confirm needs [web] public_url: the confirmation link is served by tocsin web" \
	"without [web] public_url, a configuration error"

# An alert to the list now, then the confirmations.
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin action create resign-now --title "Resign now"
run 0 tocsin blast create --schedule --allow-empty river alert.alert --action resign-now
run 0 tocsin send --due
is "$(mails new@example.net) $(mails left@example.org) $(mails cli@example.net) $(mails bounced@example.org)" "1 1 1 0" \
	"one confirmation each, none to the bounced address, no alert to the pending"
grep -q "^Subject: Please confirm your subscription to River Alliance" "$(grep -l '^X-Rcpt-Args: <new@example.net>' "$SINK_DUMP"/*)"
tap_result $? "the confirmation mail"
link=$(link_of new@example.net)
is "$(code "$link")" "200" "GET of the link: 200"
grep -q '<button type="submit" id="confirm">Confirm</button>' body
tap_result $? "one button"
is "$(st new@example.net)" "pending" "a GET changes nothing"
is "$(code -X POST "$link")" "200" "the button: 200"
grep -q '<h1 id="subscribed">You are subscribed</h1>' body
tap_result $? "subscribed"
is "$(st new@example.net)" "subscribed" "on the list"
is "$(code -X POST "$(link_of left@example.org)")" "200" "the returning person confirms"
is "$(st left@example.org)" "subscribed" "and is back, on their own confirmed word"
is "$(sql "SELECT count(*) FROM events WHERE kind = 'subscribe' AND source = 'web'")" "2" "each an event, source web"
run 0 tocsin send --due
is "$(mails new@example.net)" "1" "no confirmation is sent twice"
done_testing
