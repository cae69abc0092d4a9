#!/bin/sh
# tocsin action: petitions, signing once, importing signers with their
# times, signers newest first with relative times.
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

printf 'name,org\nAnn,x\n' >noemail.csv
run 65 tocsin action import pipeline noemail.csv
done_testing
