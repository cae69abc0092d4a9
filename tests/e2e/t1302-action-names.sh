#!/bin/sh
# tocsin action: names and organisations stored tidied, and the public
# name a signer is shown by.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create news --from news@example.org \
    --address "1 Main St, Springfield"
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

done_testing
