#!/bin/sh
# tocsin report tells the truth: each outcome belongs to the blast whose
# delivery token brought it back (or whose own SMTP refusal it was), not
# to every blast the person got; the summary has the date, state and
# subject, and each outcome as a count and a rate of sent; a cancelled
# blast is marked; --format json exists beside tsv and csv.
. "$(dirname "$0")/lib.sh"

new_secret
start_sink
web_config
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
{ echo "email,first_name,city"; for i in 1 2 3 4 5; do echo "p$i@example.org,Pat$i,Lyon"; done; } >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin action create resign-now --title "Resign now"
cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
link() {
	python3 -c 'import email, email.policy, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default); print(m.get_body(("plain",)).get_content()); print(" ".join(str(m["List-Unsubscribe"]).split()))' "$(sunk_to "$1")" |
		sed -n "s|.*https://river.example\\($2[^> ]*\\).*|http://127.0.0.1:$WEB_PORT\\1|p" | head -n 1
}
unsub_p1=$(link p1@example.org /unsubscribe)
sign_p2=$(link p2@example.org /a/)
tocsin web >web.out 2>web.log &
WEB_PID=$!
trap 'kill $WEB_PID 2>/dev/null; cleanup' EXIT
wait_port "$WEB_PORT" || { echo "Bail out! tocsin web did not start"; exit 1; }
curl -s -o /dev/null -d List-Unsubscribe=One-Click "$unsub_p1"
curl -s -o /dev/null -X POST "$(echo "$sign_p2" | sed 's|/a/resign-now?|/a/resign-now/sign?|')"
is "$(sql "SELECT count(*) FROM signatures")" "1" "p2 signed from the alert"

# Blast 2: a relay refusing p3's mailbox (a bounce that is blast 2's).
stop_sink
start_sink -f RCPT -B "550 5.1.1 <p3@example.org>: Recipient address rejected: User unknown"
sed -i "s|^url = .*|url = smtp://127.0.0.1:$SINK_PORT|" tocsin.conf
printf 'email,first_name,city\np3@example.org,Pat3,Porto\n' >p3.csv
run 0 tocsin sub import river p3.csv
run 0 tocsin action create water --title "Clean water"
run 0 tocsin blast create --schedule river alert.alert --action water --where city=Porto
run 0 tocsin send --due
# Blast 3: made and cancelled.
run 0 tocsin blast create river alert.alert --action water --where city=Lyon --allow-empty
run 0 tocsin blast cancel 3

run 0 tocsin report --format tsv
cat >expect <<X
blast	date	state	list	action	subject	sent	bounced	bounced_pct	complained	complained_pct	unsubscribed	unsubscribed_pct	signed	signed_pct	replies	flag
X
is "$(head -n 1 out)" "$(cat expect)" "the header row"
is "$(sed -n 2p out | cut -f3,5,7-15 | tr '\t' ' ')" "done resign-now 5 0 0.0 0 0.0 1 20.0 1 20.0" \
	"blast 1: 5 sent, 1 unsubscribed (20%) and 1 signed (20%) through its tokens, no bounce of another blast's"
is "$(sed -n 3p out | cut -f3,5,7-9 | tr '\t' ' ')" "done water 0 1 0.0" "blast 2: its own refusal bounced p3"
is "$(sed -n 4p out | cut -f3,7-15 | tr '\t' ' ')" "cancelled 0 0 0.0 0 0.0 0 0.0 0 0.0" "blast 3: cancelled, and nothing is its"
grep -q "	{{#first_name}}{{first_name}}, the{{/first_name}}" out
tap_result $? "the subject as the template writes it"
run 0 tocsin report
grep -q "^1 .* 5 .* 1 (20.0%) .* 1 (20.0%)" out
tap_result $? "for people, each outcome with its rate"
run 0 tocsin report --format json
python3 -c 'import json, sys; r = json.load(open("out")); b = r[0]; sys.exit(0 if b["blast"] == 1 and b["sent"] == 5 and b["unsubscribed"] == 1 and b["unsubscribed_pct"] == 20.0 and b["state"] == "done" and r[2]["state"] == "cancelled" else 1)'
tap_result $? "--format json: numbers as numbers"
run 0 tocsin report --format tsv 1
is "$(sed 1d out | cut -f2,3,5 | tr '\t' ' ' | sort | tr '\n' ',')" \
	"signature p2@example.org web,unsubscribe p1@example.org web," "report 1: the events its tokens brought"
run 0 tocsin report --format tsv 2
is "$(sed 1d out | cut -f2,3,5 | tr '\t' ' ')" "bounce p3@example.org smtp" "report 2: its own refusal"
done_testing
