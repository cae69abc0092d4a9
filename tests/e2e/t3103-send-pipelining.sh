#!/bin/sh
# tocsin send over its own SMTP connection (smtpconn.c), which a relay
# on loopback in the clear and without a login gets: MAIL, RCPT and
# DATA in one write when the relay offers PIPELINING, one at a time
# when it does not. Watched with strace. (test-smtpconn has the rest:
# dot-stuffing, the held end of data, drops, a relay that restarts.)
. "$(dirname "$0")/lib.sh"

command -v strace >/dev/null || { echo "Bail out! no strace (make deps installs it)"; exit 1; }
new_secret
start_sink
config() {
	cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
sessions = $1
X
}
config 2
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
	--address "1 Main St, Springfield"
awk 'BEGIN { print "email,first_name"; for (i = 1; i <= 10; i++) printf "w%02d@example.org,W%02d\n", i, i }' >people.csv
run 0 tocsin sub import river people.csv
printf 'Subject: Hello\n\nHi {{first_name}}.\n{{list.address}} {{unsubscribe_url}}\n' >short.alert
run 0 tocsin blast create --schedule river short.alert
sent_traced() {
	ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=sendto \
		-e signal=none -s 300 -o "$1" tocsin send --due >out 2>err
}
sent_traced trace
is $? 0 "tocsin send exits 0"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 1 AND state = 'sent'")" "10" "all sent"
is "$(grep -c 'sendto(.*"MAIL FROM:<[^"]*>\\r\\nRCPT TO:<w[0-9]*@example.org>\\r\\nDATA\\r\\n"' trace)" \
	"10" "with PIPELINING offered, each envelope is one write"
stop_sink
start_sink -p
config 2
run 0 tocsin blast create --schedule river short.alert
sent_traced trace2
is $? 0 "without PIPELINING, tocsin send exits 0"
is "$(sql "SELECT count(*) FROM deliveries WHERE blast_id = 2 AND state = 'sent'")" "10" "all sent"
is "$(grep -c 'sendto(.*"RCPT TO:<w[0-9]*@example.org>\\r\\n"' trace2) $(grep -c 'sendto(.*"DATA\\r\\n"' trace2)" \
	"10 10" "without PIPELINING, RCPT and DATA each wait for the reply before"
is "$(grep -c 'MAIL FROM:<[^"]*>\\r\\nRCPT' trace2)" "0" "and never share a write"

done_testing
