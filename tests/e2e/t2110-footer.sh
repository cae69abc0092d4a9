#!/bin/sh
# Every message is lawful: a part that does not show the unsubscribe
# link and the postal address ends with the list's footer, in text and
# HTML, in what render prints and what send submits; a list without a
# postal address sends nothing.
. "$(dirname "$0")/lib.sh"

new_secret
start_sink
cat >tocsin.conf <<X
[sender]
domain = river.example
bounce_domain = bounces.river.example
unsubscribe_url = https://river.example/unsubscribe
secret_file = secret.key
$(smtp_section)
X
run 0 tocsin init
# The decoded text part of a message.
text_of() {
	/usr/bin/python3 -c '
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(),
    policy=email.policy.default)
print(m.get_body(("plain",)).get_content().replace("\r", ""))' "$1"
}
run 0 tocsin list create river --from "River Alliance <alerts@river.example>" \
	--address "PO Box 7, La Paz"
run 0 tocsin list create bolivia --from "alerts@bolivia.example"
printf "email,first_name\nann@example.org,Ann\n" >people.csv
run 0 tocsin sub import river people.csv
run 0 tocsin sub add bolivia ann@example.org

# A template that shows neither.
cat >bare.alert <<'X'
Subject: Hello {{first_name}}

Hi {{first_name}}, the vote is on Friday.
--- html ---
<html><body><p>Hi {{first_name}}, the vote is on Friday.</p>
</body></html>
X
run 0 tocsin template lint bare.alert
run 0 tocsin render bare.alert --list river --to ann@example.org
cp out bare.eml
cat >check.py <<'X'
import email, email.policy, re, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(),
    policy=email.policy.default)
text = m.get_body(('plain',)).get_content()
html = m.get_body(('html',)).get_content()
url = re.search(r'https://river\.example/unsubscribe\?t=\S+', text)
print(url is not None and 'the text part gets the one-click link')
print('This email is from River Alliance, PO Box 7, La Paz.' in text and
    'the text part gets the title and postal address')
print(text.rstrip().endswith(url.group(0) if url else 'x') and
    'the footer is at the end of the text part')
print(url is not None and ('<a href="%s">' % url.group(0).replace('&', '&amp;')) in html
    and 'the HTML part links the same URL')
print('PO Box 7, La Paz' in html and 'the HTML part shows the address')
print(re.search(r'</p>\s*<p style="font-size:12px;color:#666666">-- <br>', html)
    is not None and html.rstrip().endswith('</body></html>')
    and 'the HTML footer goes before </body>')
print(str(m['List-Id']) == 'River Alliance <river.river.example>' and
    'List-Id carries the title')
X
/usr/bin/python3 check.py bare.eml >checks
while read -r line; do
	is "$([ "$line" = False ] && echo no || echo yes)" yes "${line:-a check}"
done <checks

# A template that shows both has no footer added.
cat >own.alert <<'X'
Subject: Hello

Hi. {{list.name}}, {{list.address}}.
Leave: {{unsubscribe_url}}
X
run 0 tocsin render own.alert --list river --to ann@example.org
lacks out "This email is from" "a part that shows both gets no footer"
text_of out >text
grep -q "^Leave: https://river.example/unsubscribe?t=u" text
is $?$(grep -c "^Hi. River Alliance, PO Box 7, La Paz.$" text) 01 \
	"{{list.name}} is the title and {{list.address}} the address"

# Only the link: the footer is still added, for the address.
cat >link.alert <<'X'
Subject: Hello

Leave: {{unsubscribe_url}}
X
run 0 tocsin render link.alert --list river --to ann@example.org
grep -q "This email is from River Alliance, PO Box 7, La Paz." out
is $? 0 "a part with the link but no address gets the footer"

# The list's own footer.
printf -- '-- \n{{list.name}} | {{list.address}}\nNo more mail: {{unsubscribe_url}}\n' >footer.txt
run 0 tocsin list set river --footer footer.txt
run 0 tocsin render bare.alert --list river --to ann@example.org
grep -q "^River Alliance | PO Box 7, La Paz" out
is $? 0 "a list's own footer is used"
lacks out "This email is from" "instead of the default"

# No postal address: nothing goes out, and every door says why.
run 65 tocsin template lint bare.alert --list bolivia
has err "tocsin-template: list 'bolivia' has no postal address, which every message must show (CAN-SPAM): tocsin list set bolivia --address TEXT" \
	"lint with a list refuses a list without an address"
run 65 tocsin blast create bolivia bare.alert
grep -q "list 'bolivia' has no postal address" err
is $? 0 "blast create refuses it"
is "$(sql 'SELECT count(*) FROM blasts')" "0" "and makes no blast"
run 65 tocsin render bare.alert --list bolivia --to ann@example.org
grep -q "list 'bolivia' has no postal address" err
is $? 0 "render refuses it"

# What send submits has the footer as render showed it.
run 0 tocsin blast create river bare.alert
run 0 tocsin blast schedule 1
run 0 tocsin send 1
text_of "$(sunk_to ann@example.org)" >sent
has sent "River Alliance | PO Box 7, La Paz" "the sent message carries the footer"
grep -q "^No more mail: https://river.example/unsubscribe?t=u" sent
is $? 0 \
	"with the recipient's own unsubscribe token"
done_testing
