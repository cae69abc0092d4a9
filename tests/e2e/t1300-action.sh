#!/bin/sh
# tocsin action: petitions and letters, signing once, signers newest
# first with relative times, letters as numbered organisations.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create news --from news@example.org \
    --address "1 Main St, Springfield"
run 0 tocsin action create pipeline --title "Stop the pipeline"
has out "petition 'pipeline' created" "action create makes a petition"
run 0 tocsin action create open-letter --title "Open letter on clean water" --kind letter
has out "letter 'open-letter' created" "--kind letter makes a letter"
run 65 tocsin action create pipeline --title "Again"
has err "tocsin-action: an action named 'pipeline' exists already" \
	"a duplicate slug is refused"
run 65 tocsin action create "Bad Slug" --title x
run 65 tocsin action create x --title ""
run 64 tocsin action create x --title t --kind poll
run 64 tocsin action create x

# Signing: an unknown address becomes a subscriber on no list.
run 0 tocsin action sign pipeline gabrielle@example.org --name "Gabrielle Durand" \
	--comment "For my kids"
has out "gabrielle@example.org signed 'pipeline'" "action sign signs"
run 0 tocsin action sign pipeline Gabrielle@EXAMPLE.org --name "G. D."
has out "Gabrielle@example.org had signed 'pipeline' already: counted once" \
	"signing twice counts once"
is "$(sql "SELECT count(*) FROM signatures")" "1" "one signature is stored"
is "$(sql "SELECT name || '|' || comment || '|' || source FROM signatures")" \
	"Gabrielle Durand|For my kids|cli" "the first signature keeps its details"
is "$(sql "SELECT first_name || '|' || last_name FROM subscribers")" \
	"Gabrielle|Durand" "the signer becomes a subscriber, named"
is "$(sql "SELECT count(*) FROM memberships")" "0" "on no list"
run 65 tocsin action sign nothing a@example.org
has err "tocsin-action: no action named 'nothing' (see 'tocsin action ls')" \
	"an unknown action is named"
run 65 tocsin action sign pipeline not-an-address

# Import, with times in the past and bad rows.
nine=$(date -u -d '9 days ago' '+%Y-%m-%d %H:%M:%S')
three=$(date -u -d '3 hours ago' '+%Y-%m-%d %H:%M:%S')
five=$(date -u -d '5 minutes ago' '+%Y-%m-%d %H:%M:%S')
tomorrow=$(date -u -d 'tomorrow' '+%Y-%m-%d %H:%M')
cat >signers.csv <<X
email,name,comment,signed_at
yusuf@example.org,Yusuf Demir,,$nine
ana@example.org,Ana,Water is life,$three
bad@@example.org,Bad,,
li@example.org,,,$five
gabrielle@example.org,Gabrielle,,
tom@example.org,Tom,,next tuesday
jeff@example.org,Jeffrey,,$tomorrow
X
run 0 tocsin action import pipeline signers.csv
has out "signers.csv: 3 signed, 1 already signed, 3 rejected" \
	"action import counts signed, already signed and rejected"
has err "tocsin-action: signers.csv:8: rejected: signed_at '$tomorrow' is in the future" \
	"a future time is rejected, not shown as just now"
has err "tocsin-action: signers.csv:7: rejected: signed_at 'next tuesday' is not 'YYYY-MM-DD HH:MM'" \
	"a bad time is reported with its line"
has err "tocsin-action: signers.csv:4: rejected: 'bad@@example.org': not an email address: more than one '@'" \
	"a bad address is reported with its line"
run 0 tocsin action signers pipeline
same - out "signers: newest first, first names (or Someone), relative times" <<'X'
Gabrielle signed just now
Someone signed 5 minutes ago
Ana signed 3 hours ago
Yusuf signed 9 days ago
4 people signed
X
run 0 tocsin action signers pipeline --recent 2
same - out "--recent limits to the newest" <<'X'
Gabrielle signed just now
Someone signed 5 minutes ago
4 people signed
X
run 0 tocsin action signers pipeline --format tsv
cut -f2-5 out >got
same - got "signers --format tsv has a header row" <<'X'
ago	first_name	name	email
just now	Gabrielle	Gabrielle Durand	gabrielle@example.org
5 minutes ago	Someone		li@example.org
3 hours ago	Ana	Ana	ana@example.org
9 days ago	Yusuf	Yusuf Demir	yusuf@example.org
X
run 0 tocsin action signers pipeline --format csv
is "$(sed -n 2p out | cut -d, -f3-5)" "Gabrielle,Gabrielle Durand,gabrielle@example.org" \
	"signers takes --format csv too"

# A letter lists its organisations, each once, in the order they signed.
cat >orgs.csv <<X
email,name,org,signed_at
a@rivers.example,Ann,Friends of the River,$nine
b@rivers.example,Bo,friends of the river,$three
c@water.example,Cy,Clean Water Action,$five
d@example.org,Di,,$five
X
run 0 tocsin action import open-letter orgs.csv
run 0 tocsin action sign open-letter e@parks.example --name Eve --org "Parks Alliance"
run 0 tocsin action signers open-letter
same - out "a letter's organisations as a numbered list" <<'X'
1. Friends of the River
2. Clean Water Action
3. Parks Alliance
3 organisations signed, 5 signatures in all
X
run 0 tocsin action signers open-letter --recent 2
same - out "--recent keeps the numbers" <<'X'
2. Clean Water Action
3. Parks Alliance
3 organisations signed, 5 signatures in all
X
run 0 tocsin action ls --format tsv
cut -f1-4 out >got
same - got "action ls counts signatures" <<'X'
slug	kind	signatures	title
pipeline	petition	4	Stop the pipeline
open-letter	letter	5	Open letter on clean water
X
printf 'name,org\nAnn,x\n' >noemail.csv
run 65 tocsin action import pipeline noemail.csv

# Names and organisations as pasted from a web page: a no-break space,
# a zero-width space, doubled spaces; stored tidied, so the public name
# is the first word and one organisation is not two.
run 0 tocsin action create tidy --kind letter --title "Tidy"
nbsp=$(printf '\302\240'); zwsp=$(printf '\342\200\213')
run 0 tocsin action sign tidy ana@tidy.example --name "Ana${nbsp}Mar${zwsp}ia  Quispe " --org "Friends${nbsp}of the  River"
run 0 tocsin action sign tidy bo@tidy.example --name "Bo" --org "Friends of the River"
run 0 tocsin action signers tidy
same - out "a letter's organisations, tidied to one" <<'X'
1. Friends of the River
1 organisation signed, 2 signatures in all
X
is "$(sql "SELECT s.name || '|' || p.first_name || '|' || p.last_name FROM signatures s JOIN subscribers p ON p.id = s.subscriber_id WHERE p.email = 'ana@tidy.example'")" \
	"Ana Maria Quispe|Ana|Maria Quispe" "the name stored tidied, and split at a real space"
printf 'email,first_name,last_name\nzoe@tidy.example,%s\342\200\213Zo\303\251 ,%sLee\n' "$nbsp" "$nbsp" >tidy.csv
run 0 tocsin sub import news tidy.csv
is "$(sql "SELECT first_name || '|' || last_name FROM subscribers WHERE email = 'zoe@tidy.example'")" \
	"Zoé|Lee" "a subscriber's names are tidied too"

# The public name is the name given when signing, not the list's: its
# first word, or the whole display name the signer chose.
run 0 tocsin action create names --title "Names"
printf 'email,first_name\nrob@names.example,Bob\n' >names.csv
run 0 tocsin sub import news names.csv
run 0 tocsin action sign names rob@names.example --name "Robert Taylor"
run 0 tocsin action sign names craig@names.example --name "Craig Lee" \
	--display-name "Craig Lee"
printf 'email,name,display_name\nines@names.example,Inés García,\nhiro@names.example,Hiro Tanaka,Hiro T.\n' >names-signed.csv
run 0 tocsin action import names names-signed.csv
run 0 tocsin action signers names
sed 's/ signed .*//' out >got
same - got "the name as signed, or as the signer chose to be shown" <<'X'
Hiro T.
Inés
Craig Lee
Robert
4 people signed
X
run 64 tocsin action sign names x@names.example --display-name "$(printf '%070d' 0)"
has err "tocsin-action: --display-name is longer than 64 bytes" \
	"a display name is at most 64 bytes"

# An alert takes as many recent signers as it names: recent_signers_N.
for i in $(seq 1 35); do echo "s$i@many.example,Signer$i,2026-01-01 10:$(printf %02d $((i % 60)))"; done |
	sed '1i email,name,signed_at' >many.csv
run 0 tocsin action create many --title "Many"
run 0 tocsin action import many many.csv
cat >many.alert <<'X'
Subject: {{action.signer_count}} signed

{{#action.recent_signers_30}}
- {{name}}
{{/action.recent_signers_30}}
{{#action.recent_signers}}
+ {{name}}
{{/action.recent_signers}}
{{list.address}} {{unsubscribe_url}}
X
run 0 tocsin template lint many.alert
run 0 tocsin sub add news reader@many.example
new_secret
printf '%s\n' "$(sender_section)" >tocsin.conf
run 0 tocsin render many.alert --list news --to reader@many.example --action many
is "$(grep -c '^- Signer' out)" "30" "recent_signers_30 gives 30"
is "$(grep -c '^+ Signer' out)" "10" "recent_signers still gives 10"
printf 'Subject: x\n\n{{#action.recent_signers_500}}{{name}}{{/action.recent_signers_500}}\n' >toomany.alert
run 65 tocsin template lint toomany.alert
grep -q "unknown variable 'action.recent_signers_500' in the text part (recent_signers_N takes N from 1 to 100" err
tap_result $? "lint says how many recent signers an alert may take"
done_testing
