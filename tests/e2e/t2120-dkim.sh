#!/bin/sh
# DKIM: tocsin signs every message with an RSA and an Ed25519 key, and
# dkimpy (an implementation independent of tocsin's) verifies what
# render prints, what the dry run writes and what smtp-sink received.
# The signature covers the unsubscribe headers, oversigned; a changed
# header or body byte breaks it; hostile merge data never does.
. "$(dirname "$0")/lib.sh"

VERIFY="/usr/bin/python3 $TOP/tests/tools/dkimverify.py"
new_secret
start_sink

# Keys, made by tocsin; the records as DNS would serve them.
run 0 tocsin dkim keygen --selector tocsin --out rsa.key --domain river.example
has out "wrote a new RSA 2048 key to rsa.key (mode 0600)" "keygen makes an RSA key"
has out "key_file = rsa.key" "and says what to configure"
grep -q '^tocsin._domainkey.river.example. IN TXT ($' out
tap_result $? "and prints the record to publish"
is "$(stat -c %a rsa.key)" "600" "the key is its owner's only"
run 0 tocsin dkim keygen --selector tocsin-ed --algorithm ed25519 --out ed.key --domain river.example
has out "ed25519_key_file = ed.key" "keygen makes an Ed25519 key"
run 73 tocsin dkim keygen --selector again --out rsa.key --domain river.example
has err "tocsin-dkim: 'rsa.key' exists: tocsin never writes over a key (remove it first if it is not in use)" \
	"and never writes over one"
run 64 tocsin dkim keygen --selector spare --domain 'river.example"; x'
has err "tocsin-dkim: 'river.example\"; x' is not a domain name for DKIM (in ASCII: an IDN as its xn-- form)" \
	"keygen takes no domain that is not one"
run 0 tocsin dkim keygen --selector spare --domain river.example
has out "wrote a new RSA 2048 key to spare.key (mode 0600)" "without --out, the key is SELECTOR.key"
openssl pkey -in rsa.key -noout 2>/dev/null && openssl pkey -in ed.key -noout 2>/dev/null
tap_result $? "openssl reads both keys"

cat >tocsin.conf <<X
$(sender_section)
$(smtp_section)
[sender]
feedback_id = riverteam
[dkim]
selector = tocsin
key_file = rsa.key
ed25519_selector = tocsin-ed
ed25519_key_file = ed.key
X
# "NAME TEXT" a line, the strings of each record joined.
records_of() {
	/usr/bin/python3 -c '
import re, sys
t = open(sys.argv[1]).read()
for m in re.finditer(r"(\S+) IN TXT \((.*?)\)", t, re.S):
    print(m.group(1), "".join(re.findall(r"\"([^\"]*)\"", m.group(2))))' "$1"
}
run 0 tocsin dkim show
records_of out >records
is "$(wc -l <records | tr -d ' ')" "2" "dkim show prints both records"
openssl pkey -in rsa.key -pubout -outform DER 2>/dev/null | base64 -w0 >rsa.pub
grep -qF "tocsin._domainkey.river.example. v=DKIM1; k=rsa; p=$(cat rsa.pub)" records
tap_result $? "the RSA record is the key openssl sees"

run 0 tocsin init
run 0 tocsin list create river --from "River Alliance <alerts@river.example>" \
	--address "PO Box 7, La Paz"
cat >people.csv <<'X'
email,first_name,last_name
ann@example.org,Ann,Lee
X
long=$(printf 'Émilie-%.0s' $(seq 1 40))
printf 'zoe@example.org,%s,  "Tab\there"  \n' "$long" >>people.csv
printf 'li@example.org,李,"Folded\r\n Name"\n' >>people.csv
run 0 tocsin sub import river people.csv
cp "$TOP/templates/petition.alert" .
run 0 tocsin action create resign-now --title "Resign now"

run 0 tocsin render petition.alert --list river --action resign-now --to ann@example.org
cp out ann.eml
run 0 $VERIFY records ann.eml
has out "d=river.example s=tocsin a=rsa-sha256 h=from:from:to:subject:subject:date:message-id:reply-to:list-id:list-unsubscribe:list-unsubscribe:list-unsubscribe-post:list-unsubscribe-post:auto-submitted:precedence:mime-version:content-type pass" \
	"render's message passes dkimpy's RSA check, with the unsubscribe headers oversigned"
has out "d=river.example s=tocsin-ed a=ed25519-sha256 h=from:from:to:subject:subject:date:message-id:reply-to:list-id:list-unsubscribe:list-unsubscribe:list-unsubscribe-post:list-unsubscribe-post:auto-submitted:precedence:mime-version:content-type pass" \
	"and its Ed25519 check"
is "$(sed -n 1p ann.eml | cut -c1-13)" "Return-Path: " "the Return-Path stays first, unsigned"
is "$(sed -n 2p ann.eml | cut -c1-15)" "DKIM-Signature:" "the signatures follow it"
tr -d '\r' <ann.eml >ann.lf
has ann.lf "Auto-Submitted: auto-generated" "responders are told it is automatic"
has ann.lf "Precedence: bulk" "and bulk"

# Whatever changes on the way breaks both signatures.
tampered() {
	/usr/bin/python3 -c '
import sys
m = open(sys.argv[1], "rb").read()
m = m.replace(sys.argv[2].encode(), sys.argv[3].encode(), 1)
open(sys.argv[4], "wb").write(m)' ann.eml "$1" "$2" bad.eml
	grep -qF "$2" bad.eml || { echo "# no '$1' in the message"; return 1; }
	$VERIFY records bad.eml >bad.out
	[ $? -eq 1 ] && [ "$(grep -c ' fail$' bad.out)" -eq 2 ]
}
tampered "List-Unsubscribe: <mailto:unsubscribe+" "List-Unsubscribe: <mailto:unsubscribe-"
tap_result $? "a changed List-Unsubscribe fails both"
tampered "Subject: " "Subject: Re: "
tap_result $? "a changed Subject fails both"
tampered "Resign now" "Resign later"
tap_result $? "a changed body byte fails both"
/usr/bin/python3 -c '
import sys
m = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(m.replace(b"\r\nSubject: ",
    b"\r\nSubject: Win a prize\r\nSubject: ", 1))' ann.eml bad.eml
run 1 $VERIFY records bad.eml
is "$(grep -c ' fail$' out)" "2" "a second Subject added after signing fails both"

# Hostile names: long, not ASCII, folded, tabs.
for who in zoe li; do
	run 0 tocsin render petition.alert --list river --action resign-now --to $who@example.org
	cp out $who.eml
	run 0 $VERIFY records $who.eml
	is "$(grep -c ' pass$' out)" "2" "$who's hostile name leaves both signatures good"
done

# What send submits, and what the dry run writes, are signed the same.
run 0 tocsin blast create --schedule river petition.alert --action resign-now
run 0 tocsin send --dry-run --outbox outbox 1
for f in outbox/new/*; do
	$VERIFY records "$f" >v.out || { cat v.out; false; } || break
done
tap_result $? "every message of the dry run passes"
run 0 tocsin send 1
n=0
for f in "$SINK_DUMP"/*; do
	$VERIFY records "$f" >v.out || { sed 's/^/# /' v.out; n=-100; }
	n=$((n + $(grep -c ' pass$' v.out)))
done
is "$n" "6" "smtp-sink received three messages, each with two good signatures"
grep -q "^Feedback-ID: 1:river:resign-now:riverteam" "$(sunk_to ann@example.org)"
tap_result $? "Feedback-ID names the blast, list, action and sender"
$VERIFY records "$(sunk_to ann@example.org)" >v.out
grep -q "h=[^ ]*:list-unsubscribe-post:feedback-id:" v.out
tap_result $? "and is signed"

# Keys that will not do are refused, by name, before anything is sent.
chmod 644 ed.key
run 78 tocsin render petition.alert --list river --action resign-now --to ann@example.org
has err "tocsin-render: [dkim] ed25519_key_file 'ed.key' may be read by others: chmod 600 it" \
	"a key others may read is refused"
chmod 600 ed.key
sed -i 's/^key_file = rsa.key/key_file = ed.key/' tocsin.conf
run 78 tocsin render petition.alert --list river --action resign-now --to ann@example.org
has err "tocsin-render: the DKIM key 'ed.key' ([dkim] key_file) is an Ed25519 key, not RSA" \
	"an Ed25519 key where the RSA one goes is refused"
sed -i 's/^key_file = ed.key/key_file = people.csv/' tocsin.conf
chmod 600 people.csv
run 78 tocsin render petition.alert --list river --action resign-now --to ann@example.org
has err "tocsin-render: the DKIM key 'people.csv' ([dkim] key_file) is not a PEM private key tocsin reads (RSA in PKCS#1 or PKCS#8, Ed25519 in PKCS#8, not encrypted); 'tocsin dkim keygen' makes one" \
	"a file that is no key is refused"
sed -i 's/^feedback_id = riverteam/feedback_id = rt/; s/^key_file = people.csv/key_file = rsa.key/' tocsin.conf
run 78 tocsin render petition.alert --list river --action resign-now --to ann@example.org
has err "tocsin-render: tocsin.conf: [sender] feedback_id is 5 to 15 letters, digits, '-' or '_' (Gmail's rule), not 'rt'" \
	"a Feedback-ID sender id Gmail would not take is refused"

# A key openssl made (PKCS#8 RSA) signs as well as one of tocsin's.
openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:2048 -out o.key 2>/dev/null
chmod 600 o.key
sed -i 's/^feedback_id = rt/feedback_id = riverteam/; s/^key_file = rsa.key/key_file = o.key/' tocsin.conf
run 0 tocsin dkim show
records_of out >records
run 0 tocsin render petition.alert --list river --action resign-now --to ann@example.org
cp out o.eml
run 0 $VERIFY records o.eml
is "$(grep -c ' pass$' out)" "2" "a key openssl made (PKCS#8) signs as well"

done_testing
