#!/bin/sh
# Addresses as the world writes them: one person however their address
# is typed (NFC, a U-label domain in any case); an internationalised
# domain sent as its A-label, in RCPT TO and in To:; a local part that
# is not ASCII sent only where the relay offers SMTPUTF8, and deferred
# with the reason where it does not (smtp-sink does not offer it).
. "$(dirname "$0")/lib.sh"

new_secret
start_sink
cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
X
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
	--address "PO Box 7, La Paz"
{
	echo "email,first_name"
	printf 'rosa@EX\303\204MPLE.bo,Rosa\n'
	printf 'rosa@ex\303\244mple.bo,Rosa\n'
	printf 'Jose\314\201@example.bo,Jos\303\251\n'
	printf 'Jos\303\251@example.bo,Jos\303\251\n'
	printf 'ann@\342\230\203.example,Ann\n'
	echo "plain@example.org,Plain"
} >intl.csv
run 0 tocsin sub import river intl.csv
has out "intl.csv: 3 imported, 0 updated, 2 unchanged, 0 left alone (unsubscribed, bounced or complained), 1 rejected" \
	"one person however the address is typed; a bad IDN rejected"
grep -q "intl.csv:6: rejected: 'ann@.*': not an email address: the domain is not a valid internationalised domain name (IDNA2008)" err
tap_result $? "the bad IDN is named with its line and why"
is "$(sql "SELECT email FROM subscribers ORDER BY id" | tr '\n' ' ')" \
	"$(printf 'rosa@ex\303\244mple.bo Jos\303\251@example.bo plain@example.org ')" \
	"stored in NFC with the U-label domain in lower case"

cp "$TOP/templates/petition.alert" alert.alert
run 0 tocsin action create resign-now --title "Resign now"
run 0 tocsin blast create --schedule river alert.alert --action resign-now
run 0 tocsin send --due
is "$(rcpt_counts | tr '\n' ' ')" "1 plain@example.org 1 rosa@xn--exmple-cua.bo " \
	"the IDN goes as its A-label in RCPT TO; the UTF-8 local part does not go"
f=$(sunk_to rosa@xn--exmple-cua.bo)
grep -q "^To: Rosa <rosa@xn--exmple-cua.bo>" "$f"
tap_result $? "and in To:"
is "$(sql "SELECT d.state FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email LIKE 'Jos%'")" \
	"deferred" "José's message waits, deferred"
is "$(sql "SELECT d.smtp_reply FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE s.email LIKE 'Jos%'")" \
	"not sent: the part before '@' is not ASCII and needs SMTPUTF8 (RFC 6531), which the relay has not offered" \
	"with the reason"
run 0 tocsin blast show 1
grep -q "deferred" out
tap_result $? "blast show counts it deferred"
done_testing
