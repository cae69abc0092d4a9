#!/bin/sh
# tocsin render: the exact message a subscriber would get, parsed back
# by two real MIME parsers (Python's email package and libetpan), with
# non-ASCII names and hostile field values.
. "$(dirname "$0")/lib.sh"
: "${TOCSIN_TOOLS:?set TOCSIN_TOOLS to the directory of mimeparse}"

head -c 48 /dev/urandom >secret.key
chmod 600 secret.key
cat >tocsin.conf <<'X'
[database]
path = group.db
[sender]
domain = river.example
bounce_domain = bounces.river.example
unsubscribe_url = https://river.example/unsubscribe
secret_file = secret.key
X
run 0 tocsin init
run 0 tocsin list create river --from "Friends of the Rivière <alerts@river.example>" \
    --address "1 Main St, Springfield"
cat >people.csv <<'X'
email,first_name,last_name,org
zoe@example.org,Zoë,Ångström-Łukasiewicz,Les Amis de la Loire
eve@example.org,"Eve <b>""&""</b>
Bcc: victim@evil.example","<script>alert(1)</script>","Evil ""&"" Co"
plain@example.org,,,
X
run 0 tocsin sub import river people.csv
run 0 tocsin action create resign-now --title "Demand that the minister resign now"
run 0 tocsin action sign resign-now gabrielle@example.org --name "Gabrielle Durand"
run 0 tocsin action sign resign-now yusuf@example.org --name "Yusuf"

run 0 tocsin render "$TOP/templates/petition.alert" --list river --to zoe@example.org --action resign-now
cp out zoe.eml
run 0 tocsin render "$TOP/templates/petition.alert" --list river --to eve@example.org --action resign-now
cp out eve.eml
run 0 tocsin render "$TOP/templates/petition.alert" --list river --to plain@example.org --action resign-now
cp out plain.eml

# Python's email package: structure, headers, decoded bodies, tokens.
cat >check.py <<'X'
import email, email.policy, re, sys
raw = open(sys.argv[1], 'rb').read()
who = sys.argv[2]
m = email.message_from_bytes(raw, policy=email.policy.default)
def ok(cond, what):
    print(('ok - ' if cond else 'FAIL - ') + what)
lines = raw.split(b'\r\n')
ok(b'\n' not in raw.replace(b'\r\n', b''), 'every line ends in CRLF')
head = raw.split(b'\r\n\r\n', 1)[0].split(b'\r\n')
ok(all(len(l) <= 78 for l in head), 'header lines are at most 78 columns')
ok(all(len(l) <= 76 for l in raw.split(b'\r\n\r\n', 1)[1].split(b'\r\n')), 'body lines are at most 76')
ok(all(b < 128 for b in raw), 'the message is 7-bit ASCII')
names = [k.lower() for k in m.keys()]
want = ['return-path', 'date', 'from', 'to', 'subject', 'reply-to', 'message-id',
        'list-id', 'list-unsubscribe', 'list-unsubscribe-post', 'mime-version',
        'auto-submitted', 'precedence', 'x-auto-response-suppress', 'content-type']
ok(names == want, 'exactly the expected headers, in order: %s' % names)
ok(m.get_content_type() == 'multipart/alternative', 'multipart/alternative')
parts = [p.get_content_type() for p in m.iter_parts()]
ok(parts == ['text/plain', 'text/html'], 'text/plain then text/html')
# Each place has its own token, whose first letter is its purpose.
def tok(p):
    return p + r'm[0-9]+x[0-9]+-[a-z2-7]{16}'
ok(re.fullmatch(r'<bounce\+%s@bounces\.river\.example>' % tok('b'), str(m['Return-Path'])) is not None, 'Return-Path is the VERP bounce address, with a bounce token')
ok(re.fullmatch(r'reply\+%s@river\.example' % tok('r'), m['Reply-To'].addresses[0].addr_spec) is not None, 'Reply-To is reply+TOKEN@domain, with a reply token')
ok(re.fullmatch(r'<mailto:unsubscribe\+%s@river\.example>, <https://river\.example/unsubscribe\?t=%s>' % (tok('u'), tok('u')), str(m['List-Unsubscribe'])) is not None, 'List-Unsubscribe has mailto and https, with unsubscribe tokens')
ok(str(m['List-Unsubscribe-Post']) == 'List-Unsubscribe=One-Click', 'List-Unsubscribe-Post is one-click')
ok(str(m['List-Id']) == 'Friends of the Rivière <river.river.example>', 'List-Id names the list by its title, decoded')
body = m.get_body(('plain',)).get_content()
html = m.get_body(('html',)).get_content()
ok('1 Main St, Springfield' in body and '1 Main St, Springfield' in html, 'both parts show the postal address')
ok(re.search(r'https://river\.example/unsubscribe\?t=%s' % tok('u'), body) is not None, 'the text part shows the one-click link')
ok(re.search(r'href="https://river\.example/unsubscribe\?t=%s"' % tok('u'), html) is not None, 'the HTML part links it')
ok(re.fullmatch(r'<[0-9a-f]{24}@river\.example>', str(m['Message-ID'])) is not None, 'Message-ID is unique-looking and ours')
ok(m['From'].addresses[0].display_name == 'Friends of the Rivière', 'From name decodes')
text = m.get_body(('plain',)).get_content().replace('\r\n', '\n')
html = m.get_body(('html',)).get_content().replace('\r\n', '\n')
ok('2 people have signed' in text and 'Yusuf signed just now' in text, 'the text part has the count and recent signers')
ok('Will you sign?' in text and 'Will you sign?' in html, 'both parts ask "Will you sign?"')
if who == 'zoe':
    ok(m['To'].addresses[0].display_name == 'Zoë Ångström-Łukasiewicz', 'To name decodes')
    ok(str(m['Subject']).startswith('Zoë, the minister must resign now'), 'Subject decodes with the name')
    ok('Hi Zoë,' in text and 'Hi Zoë,' in html, 'both parts greet Zoë')
if who == 'eve':
    ok('victim' not in str(m['To']) or 'Bcc' not in names, 'no Bcc header from a name')
    ok(len(m['To'].addresses) == 1 and m['To'].addresses[0].addr_spec == 'eve@example.org', 'one recipient only')
    ok('Bcc' not in names and 'bcc' not in names, 'no Bcc header at all')
    ok('Hi Eve <b>"&"</b>\nBcc: victim@evil.example,' in text, 'the text part keeps the value as text')
    ok('Hi Eve &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;\nBcc: victim@evil.example,' in html, 'the HTML part escapes it')
    ok(str(m['Subject']).startswith('Eve <b>"&"</b> Bcc: victim@evil.example, the'), 'the Subject keeps it on one line')
if who == 'plain':
    ok(str(m['Subject']).startswith('The minister must resign now'), 'an empty name takes the default in the Subject')
    ok('Hi friend,' in text, 'and in the body')
X
for who in zoe eve plain; do
	python3 check.py $who.eml $who >py.out 2>&1
	while read -r line; do
		case $line in
		"ok - "*) tap_result 0 "python: $who: ${line#ok - }" ;;
		"FAIL - "*) tap_result 1 "python: $who: ${line#FAIL - }" ;;
		*) tap_result 1 "python: $who: $line" ;;
		esac
	done <py.out
done

# libetpan: the same message through a second, C parser.
"$TOCSIN_TOOLS/mimeparse" zoe.eml >etpan.out
tap_result $? "libetpan parses the message"
has etpan.out "to-name: Zoë Ångström-Łukasiewicz" "libetpan decodes To"
has etpan.out "from-name: Friends of the Rivière" "libetpan decodes From"
grep -q "^subject: Zoë, the minister must resign now. Will you sign?$" etpan.out
tap_result $? "libetpan decodes the Subject"
has etpan.out "part: multipart/alternative" "libetpan sees multipart/alternative"
has etpan.out "Hi Zoë," "libetpan decodes the text part"
has etpan.out "<p>Hi Zoë,</p>" "libetpan decodes the HTML part"
"$TOCSIN_TOOLS/mimeparse" eve.eml >etpan-eve.out
has etpan-eve.out "fields: 13" "libetpan finds the 13 message headers and no more in Eve's"
has etpan-eve.out "<p>Hi Eve &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;" "libetpan sees Eve's name escaped in the HTML"

# Two renders differ in Message-ID and boundary, not in tokens.
run 0 tocsin render "$TOP/templates/petition.alert" --list river --to zoe@example.org --action resign-now
grep '^Reply-To' zoe.eml >a
grep '^Reply-To' out >b
same a b "the same recipient gets the same token"
grep '^Message-ID' zoe.eml >a
grep '^Message-ID' out >b
cmp -s a b
tap_result $(( ! $? )) "each message has its own Message-ID"

# A header is never cut short: a subject over 4096 bytes is an error.
{ printf 'Subject: '; head -c 5000 /dev/zero | tr '\0' x; printf '\n\nHi.\n'; } >huge.alert
run 65 tocsin render huge.alert --list river --to zoe@example.org
grep -q "cannot build the message to zoe@example.org" err
tap_result $? "a subject too long for a header fails the message, named"
# Errors: the config, the secret, the data.
run 65 tocsin render "$TOP/templates/petition.alert" --list river --to nobody@example.org --action resign-now
has err "tocsin-render: nobody@example.org is not on the list" "a stranger is refused"
# --as: a member's data, in a message to someone on no list; its
# tokens name nobody.
run 0 tocsin render "$TOP/templates/petition.alert" --list river --to staff@ngo.example --as zoe@example.org --action resign-now
grep -q '^To: .*<staff@ngo.example>' out
tap_result $? "--as renders a message to the --to address"
grep -q '^Subject: =?UTF-8?' out
tap_result $? "with the member's data (Zoë's name, encoded)"
grep -q 'unsubscribe+um1x0-' out
tap_result $? "and tokens that name nobody"
run 65 tocsin render "$TOP/templates/petition.alert" --list river --to zoe@example.org
grep -q "unknown variable 'action.signer_count' in the Preheader (is there an action? give --action SLUG)" err
tap_result $? "a template with action.* needs --action"
sed '1s/.*/Subject: Will {{#org}}{{org}}{{\/org}}{{^org}}your organisation{{\/org}} sign the open letter on clean water?/' \
	"$TOP/templates/sign-on-letter.alert" >org.alert
run 0 tocsin render org.alert --list river --to zoe@example.org --action resign-now
cp out letter.eml
"$TOCSIN_TOOLS/mimeparse" letter.eml >etpan-letter.out
has etpan-letter.out "subject: Will Les Amis de la Loire sign the open letter on clean water?" \
	"a letter can use the list's org field"
chmod 644 secret.key
run 78 tocsin render "$TOP/templates/petition.alert" --list river --to zoe@example.org --action resign-now
has err "tocsin-render: secret file 'secret.key' may be read by others: chmod 600 it" "a readable secret is refused"
rm secret.key
run 78 tocsin render "$TOP/templates/petition.alert" --list river --to zoe@example.org --action resign-now
has err "tocsin-render: cannot open the secret file 'secret.key' ([sender] secret_file): No such file or directory" \
	"a missing secret is a configuration error, never a default key"
mkdir -m 700 secret.key
run 78 tocsin render "$TOP/templates/petition.alert" --list river --to zoe@example.org --action resign-now
has err "tocsin-render: secret file 'secret.key' is not a file (a directory?): make one with 'head -c 32 /dev/urandom > FILE'" \
	"a secret path that is a directory says so, not 'fewer than 32 bytes'"
rmdir secret.key
sed 's/^domain = .*/domain = river example/' tocsin.conf >baddomain.conf
run 78 tocsin -c baddomain.conf render "$TOP/templates/petition.alert" --list river --to zoe@example.org --action resign-now
has err "tocsin-render: baddomain.conf: [sender] domain 'river example' cannot be the domain of an address: contains a space" \
	"a domain that cannot make addresses is a configuration error"
sed -i '/^domain/d' tocsin.conf
run 78 tocsin render "$TOP/templates/petition.alert" --list river --to zoe@example.org --action resign-now
has err "tocsin-render: tocsin.conf: [sender] domain is not set; it is needed to render or send (see tocsin.conf.example)" \
	"a missing [sender] key is named"
done_testing
