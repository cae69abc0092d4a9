#!/bin/sh
# tocsin dns prints the records a group must publish and what DMARC's
# alignment makes of them; --check asks a real DNS server (dnsmasq on
# 127.0.0.1, with the test's zone) and says which are missing or wrong.
. "$(dirname "$0")/lib.sh"

new_secret
run 0 tocsin dkim keygen --selector tocsin --out rsa.key --domain river.example
run 0 tocsin dkim keygen --selector tocsin-ed --algorithm ed25519 --out ed.key --domain river.example
run 0 tocsin dkim keygen --selector old --out other.key --domain river.example
cat >tocsin.conf <<X
$(sender_section)
[smtp]
url = smtp://smtp.relay.example:587
[imap]
url = imaps://mail.river.example
[dkim]
selector = tocsin
key_file = rsa.key
ed25519_selector = tocsin-ed
ed25519_key_file = ed.key
X
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" --address "PO Box 7"
run 0 tocsin list create lake --from "Lake <news@lake.example>" --address "PO Box 8"

run 0 tocsin dns
cp out records.txt
has records.txt 'bounces.river.example. IN TXT "v=spf1 a:smtp.relay.example -all"' \
	"SPF for the envelope domain names the relay"
has records.txt 'tocsin-ed._domainkey.river.example. IN TXT "v=DKIM1; k=ed25519; p='"$(openssl pkey -in ed.key -pubout -outform DER 2>/dev/null | tail -c 32 | base64)"'"' \
	"the Ed25519 key's record is the key"
has records.txt '_dmarc.river.example. IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@river.example"' \
	"DMARC for the sender's domain, p=none to start"
has records.txt '_dmarc.lake.example. IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@lake.example"' \
	"and for another list's From domain"
has records.txt 'bounces.river.example. IN MX 10 mail.river.example.' \
	"bounces need an MX to the mailbox"
has records.txt 'river.example. IN MX 10 mail.river.example.' "and so do replies"
has records.txt ';   SPF, envelope bounces.river.example: aligned (relaxed: the same organisational domain)' \
	"the envelope aligns with river.example"
has records.txt ';   DKIM d=river.example: NOT aligned' \
	"DKIM d=river.example does not align with lake.example"

# The RSA record as dnsmasq takes it: strings of at most 250 bytes,
# separated by commas.
txt_arg() {
	/usr/bin/python3 -c '
import re, sys
t = open(sys.argv[1]).read()
m = re.search(re.escape(sys.argv[2]) + r"\. IN TXT (\((.*?)\)|\"(.*?)\")", t, re.S)
text = "".join(re.findall(r"\"([^\"]*)\"", m.group(2))) if m.group(2) else m.group(3)
print(",".join(text[i:i + 250] for i in range(0, len(text), 250)))' "$1" "$2"
}
rsa=$(txt_arg records.txt tocsin._domainkey.river.example)
ed=$(txt_arg records.txt tocsin-ed._domainkey.river.example)
good_zone() {
	echo "--txt-record=bounces.river.example,v=spf1 a:smtp.relay.example -all"
	echo "--txt-record=tocsin._domainkey.river.example,$rsa"
	echo "--txt-record=tocsin-ed._domainkey.river.example,$ed"
	echo "--txt-record=_dmarc.river.example,v=DMARC1; p=none; rua=mailto:d@river.example"
	echo "--txt-record=_dmarc.lake.example,v=DMARC1; p=quarantine; rua=mailto:d@lake.example"
	echo "--mx-host=bounces.river.example,mail.river.example,10"
	echo "--mx-host=river.example,mail.river.example,10"
}
# dnsmasq serving the options of file $1 (one a line), and the config
# pointing at it.
serve() {
	stop_dns
	old_ifs=$IFS
	IFS='
'
	# shellcheck disable=SC2046
	start_dns $(cat "$1")
	IFS=$old_ifs
	sed -i '/^\[dns\]/,$d' tocsin.conf
	printf '[dns]\nserver = 127.0.0.1:%s\n' "$DNS_PORT" >>tocsin.conf
}

good_zone >zone
serve zone
run 0 tocsin dns --check
has out 'ok      SPF   bounces.river.example: "v=spf1 a:smtp.relay.example -all"' \
	"check: the SPF record is there"
grep -q '^ok      DKIM  tocsin._domainkey.river.example: "v=DKIM1; k=rsa; p=' out
tap_result $? "check: the RSA key is the one published"
grep -q '^ok      DKIM  tocsin-ed._domainkey.river.example: ' out
tap_result $? "check: so is the Ed25519 key"
has out 'ok      DMARC _dmarc.river.example: "v=DMARC1; p=none; rua=mailto:d@river.example" (p=none: reports only; quarantine once they show every message aligned)' \
	"check: DMARC p=none is there, with advice"
has out 'ok      MX    bounces.river.example: "10 mail.river.example."' "check: the MX is there"
is "$(grep -vc '^ok ' out)" "0" "every record is right: exit 0"

# Another key under the selector than the one tocsin signs with.
sed -i 's/^key_file = rsa.key/key_file = other.key/' tocsin.conf
run 75 tocsin dns --check
has out 'wrong   DKIM  tocsin._domainkey.river.example: "'"$(echo "$rsa" | tr -d , | cut -c1-200)"'..." (another key is published: tocsin'"'"'s signatures fail)' \
	"check: another key under the selector is wrong, with why"
sed -i 's/^key_file = other.key/key_file = rsa.key/' tocsin.conf

# No DMARC; two SPF records.
good_zone | grep -v "_dmarc.river\|bounces.river.example,v=spf1" >zone
echo "--txt-record=bounces.river.example,v=spf1 a:x.example -all" >>zone
echo "--txt-record=bounces.river.example,v=spf1 a:y.example -all" >>zone
serve zone
run 75 tocsin dns --check
has out 'missing DMARC _dmarc.river.example: publish "v=DMARC1; p=none; rua=mailto:dmarc-reports@river.example"' \
	"check: a missing DMARC record says what to publish"
grep -q '^wrong   SPF   bounces.river.example: .* (two SPF records: receivers take neither (RFC 7208))$' out
tap_result $? "check: two SPF records are wrong"

# An SPF record that lets anyone send.
good_zone | grep -v "bounces.river.example,v=spf1" >zone
echo "--txt-record=bounces.river.example,v=spf1 ?all" >>zone
serve zone
run 75 tocsin dns --check
has out 'wrong   SPF   bounces.river.example: "v=spf1 ?all" (it lets anyone send as this domain)' \
	"check: an SPF record that lets anyone send is wrong"

# No server: unavailable, said, not a hang.
stop_dns
start=$(date +%s)
run 69 tocsin dns --check
has err "tocsin-dns: no DNS server answered for bounces.river.example: try again later" \
	"a DNS server that does not answer is said"
[ $(($(date +%s) - start)) -lt 15 ]
tap_result $? "within seconds"

sed -i 's/^server = .*/server = 127.0.0.1:53x/' tocsin.conf
run 78 tocsin dns --check
has err "tocsin-dns: tocsin.conf: [dns] server is an IP address and an optional :PORT, not '127.0.0.1:53x'" \
	"a port that is not a number is refused, not read as 53"
sed -i 's/^server = .*/server = not-an-address/' tocsin.conf
run 78 tocsin dns --check
has err "tocsin-dns: tocsin.conf: [dns] server is an IP address and an optional :PORT, not 'not-an-address'" \
	"a [dns] server that is no address is refused"

done_testing
