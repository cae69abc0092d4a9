#!/bin/sh
# The demo: what tocsin does so far, on local defaults, in a scratch
# directory (made afresh each run and kept for a look afterwards).
#
# usage: scripts/demo.sh BINDIR WORKDIR
set -eu
bin=$1
work=$2
top=$(cd "$(dirname "$0")/.." && pwd)
# A tocsin web left running by the last demo goes with its directory.
if [ -f "$work/web.pid" ]; then
	kill "$(cat "$work/web.pid")" 2>/dev/null || true
fi
rm -rf "$work"
mkdir -p "$work"
cd "$work"
PATH=$bin:$PATH
unset TOCSIN_CONFIG TOCSIN_DB

# Shows a command as one would type it, then runs it.
step() {
	printf '\n$'
	for a in "$@"; do
		case $a in
		*" "*) printf ' "%s"' "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
	"$@"
}

echo "tocsin demo in $work"
step tocsin init
step tocsin list create river --from "Friends of the River <alerts@river.example>" \
	--address "12 Quay Street, Riverton"
cp "$top/etc/demo/supporters.csv" supporters.csv
echo
echo "# supporters.csv has a bad address on line 6: it is reported, the rest imported"
step tocsin sub import river supporters.csv
step tocsin sub ls river
echo
echo "# an unsubscribe sticks: importing the file again leaves Li alone"
step tocsin sub rm river li.wei@example.org
step tocsin sub import river supporters.csv

step tocsin action create resign-now --title "Demand that the minister resign now" \
	--list river --goal 10 --text "Last night the minister signed off on the Riverside incinerator permit, with no public hearing.

We demand that he resign now, and that the permit be suspended until a hearing is held."
step tocsin action sign resign-now gabrielle.durand@example.org --name "Gabrielle Durand"
step tocsin action sign resign-now gabrielle.durand@example.org
# Signatures gathered earlier, with their times.
{
	echo "email,name,comment,signed_at"
	echo "yusuf.demir@example.net,Yusuf Demir,,$(date -d '9 days ago' '+%Y-%m-%d %H:%M')"
	echo "ana.silva@example.com,Ana Silva,For the river,$(date -d '3 hours ago' '+%Y-%m-%d %H:%M')"
	echo "new.signer@example.org,Sam Okoro,,$(date -d '12 minutes ago' '+%Y-%m-%d %H:%M')"
} >signatures.csv
step tocsin action import resign-now signatures.csv
step tocsin action signers resign-now

step tocsin action create river-letter --kind letter --title "Open letter: keep the river clean"
step tocsin action sign river-letter ines.garcia@example.es --name "Inés García" --org "Sevilla Water Watch"
step tocsin action sign river-letter hiro.tanaka@example.jp --name "Hiro Tanaka" --org "Osaka River Keepers"
step tocsin action sign river-letter ana.silva@example.com --org "Porto Clean Rivers"
step tocsin action signers river-letter
step tocsin action ls

echo
echo "# sending needs a [sender] config and a secret key for the tokens"
head -c 32 /dev/urandom >secret.key
chmod 600 secret.key
cat >tocsin.conf <<'CONF'
[sender]
domain = river.example
bounce_domain = bounces.river.example
unsubscribe_url = https://river.example/unsubscribe
secret_file = secret.key
CONF
echo
echo "# DKIM: tocsin signs what it sends, so one-click unsubscribe counts"
echo "# whatever the relay does; one RSA and one Ed25519 key"
step tocsin dkim keygen --selector tocsin --out dkim-rsa.key
step tocsin dkim keygen --selector tocsin-ed --algorithm ed25519 --out dkim-ed25519.key
cat >>tocsin.conf <<'CONF'
[dkim]
selector = tocsin
key_file = dkim-rsa.key
ed25519_selector = tocsin-ed
ed25519_key_file = dkim-ed25519.key
CONF
echo
echo "# every record the group must publish before its first real blast"
step tocsin dns
# The records as a DNS server would give them, for the verifier.
tocsin dkim show | python3 -c 'import re, sys
for m in re.finditer(r"(\S+) IN TXT \((.*?)\)", sys.stdin.read(), re.S):
    print(m.group(1), "".join(re.findall(r"\"([^\"]*)\"", m.group(2))))' >dkim-records
cp "$top/templates/petition.alert" petition.alert
step tocsin template lint petition.alert --list river
echo
echo "# the exact message Gabrielle would get (also in gabrielle.eml):"
step tocsin render petition.alert --list river --to gabrielle.durand@example.org --action resign-now
tocsin render petition.alert --list river --to gabrielle.durand@example.org \
	--action resign-now >gabrielle.eml
echo
echo "# dkimpy, an independent verifier, checks both of its signatures:"
step /usr/bin/python3 "$top/tests/tools/dkimverify.py" dkim-records gabrielle.eml

echo
echo "# now a real blast, through Postfix's smtp-sink on 127.0.0.1"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p delivered
chmod 777 delivered
chmod 711 .
user=
[ "$(id -u)" -eq 0 ] && user="-u nobody"
# shellcheck disable=SC2086
/usr/sbin/smtp-sink $user -4 -d "$work/delivered/%M." 127.0.0.1:"$port" 64 \
	>sink.log 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null; sh "$top/scripts/dovecot-local.sh" stop "$work/imap" 2>/dev/null' EXIT
python3 -c 'import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)' "$port"
cat >>tocsin.conf <<CONF
[smtp]
url = smtp://127.0.0.1:$port
starttls = no     ; allowed only because the relay is on loopback
sessions = 4
CONF
echo "# a blast starts as a draft: it says who and what, and nothing sends it"
step tocsin blast create river petition.alert --action resign-now --not-signed resign-now
step tocsin send --due
step tocsin blast schedule 1
step tocsin send --due
step tocsin blast show 1
echo
echo "# what smtp-sink received (in $work/delivered/):"
for f in delivered/*; do
	printf '  %s  %s\n' "$(sed -n 's/^X-Rcpt-Args: <\(.*\)>.*/\1/p' "$f")" \
	    "$(sed -n 's/^X-Mail-Args: <\(.*\)>.*/\1/p' "$f")"
done
echo
echo "# one of them, as it arrived:"
sed -n '1,40p' "$(ls delivered/* | head -n 1)"
echo
echo "# and its signatures, checked by dkimpy:"
step /usr/bin/python3 "$top/tests/tools/dkimverify.py" dkim-records "$(ls delivered/* | head -n 1)"

echo
echo "# the round trip: what comes back lands in a local Dovecot (127.0.0.1)"
dump() { grep -l "^X-Rcpt-Args: <$1>" delivered/*; }
mk="python3 $top/tests/tools/mkmail.py"
rm -rf imap returned
mkdir -p imap returned
eval "$(sh "$top/scripts/dovecot-local.sh" start "$work/imap")"
sh "$top/scripts/dovecot-local.sh" config "$work/imap" >>tocsin.conf
$mk bounce "$(dump tomas.novak@example.cz)" 5.1.1 \
	"<tomas.novak@example.cz>: Recipient address rejected: User unknown" >returned/bounce
$mk reply "$(dump noor.haddad@example.org)" "Please unsubscribe me." >returned/unsubscribe
$mk reply "$(dump hiro.tanaka@example.jp)" "Yes, add my name!" >returned/sign
$mk reply "$(dump ines.garcia@example.es)" "Who is behind this campaign?" >returned/question
sh "$top/scripts/dovecot-local.sh" deliver "$work/imap" returned/*
echo "  a bounce for Tomáš, 'Please unsubscribe me.' from Noor, 'Yes, add my"
echo "  name!' from Hiro and a question from Inés wait in the INBOX"
step tocsin classify returned/bounce returned/unsubscribe returned/sign returned/question
step tocsin inbox --once
step tocsin report
step tocsin report 1
step tocsin replies
step tocsin action signers resign-now

echo
echo "# the web side: tocsin web serves one-click unsubscribe and the petition page"
webport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >>tocsin.conf <<CONF
[web]
listen = 127.0.0.1:$webport
CONF
nohup "$bin/tocsin" web >web.log 2>&1 &
echo $! >web.pid
python3 -c 'import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)' "$webport"
base=http://127.0.0.1:$webport
# Noor unsubscribed by reply; the first recipient still on the list
# clicks the link in their mail. (In production https://river.example
# is nginx in front of tocsin web.)
who=$(tocsin sub ls river --status subscribed --format tsv | sed -n '2s/\t.*//p')
link=$(python3 -c 'import email, sys; m = email.message_from_binary_file(open(sys.argv[1], "rb")); print(" ".join(str(m["List-Unsubscribe"]).split()))' "$(dump "$who")" |
	sed -n "s|.*<https://river.example\(/unsubscribe?t=[a-z0-9-]*\)>.*|$base\1|p")
echo "  the petition page:        $base/a/resign-now"
echo "  $who's unsubscribe link: $link"
echo "  (open them in a browser; a GET changes nothing)"
echo
echo "# what Gmail's unsubscribe button does (RFC 8058): one POST"
step curl -s -o /dev/null -w '%{http_code}\n' -d List-Unsubscribe=One-Click "$link"
step tocsin sub ls river --status unsubscribed
step curl -s "$base/a/resign-now/count.json"
echo
echo "# what the person on call sees (75 when something needs them)"
step tocsin status || true
printf '\ntocsin web runs on %s (pid %s, log %s/web.log); stop it with: kill %s\n' \
	"$base" "$(cat web.pid)" "$work" "$(cat web.pid)"
printf '\nThe demo database is %s/tocsin.db. Try:\n  %s/tocsin -d %s/tocsin.db sub export river\n' \
	"$work" "$bin" "$work"
