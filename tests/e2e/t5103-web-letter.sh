#!/bin/sh
# tocsin web's page of a sign-on letter: its organisations numbered in
# the order they signed, and a form that asks for one.
. "$(dirname "$0")/lib.sh"

petition_fixture

# A sign-on letter: its organisations, numbered; the form asks for one.
run 0 tocsin action create water --kind letter --title "Open letter: clean water" --list river
run 0 tocsin action sign water ines@example.es --name "Inés García" --org "Sevilla Water Watch"
run 0 tocsin action sign water hiro@example.jp --name "Hiro Tanaka" --org "Osaka River Keepers"
is "$(code "$BASE/a/water")" "200" "a letter's page: 200"
grep -q '<li value="1">Sevilla Water Watch</li>' body && grep -q '<li value="2">Osaka River Keepers</li>' body
tap_result $? "its organisations, numbered in the order they signed"
lacks body "García" "and no person's name"
grep -q 'name="org" required' body
tap_result $? "the form asks for the organisation"
form=$(sed -n 's|.*name="form" value="\([^"]*\)".*|\1|p' body)
is "$(code -H 'X-Forwarded-For: 192.0.2.50' --data-urlencode "form=$form" -d first_name=Ana -d email=ana@example.pt -d consent=no "$BASE/a/water/sign")" "400" \
	"a letter's form without an organisation: 400"
is "$(code -H 'X-Forwarded-For: 192.0.2.50' --data-urlencode "form=$form" -d first_name=Ana -d email=ana@example.pt -d consent=no --data-urlencode "org=Porto Clean Rivers" "$BASE/a/water/sign")" "200" \
	"with one: 200"
rm -f "$SINK_DUMP"/*
run 0 tocsin send --due
confirm=$(confirm_url ana@example.pt)
is "$(code -X POST "$BASE$confirm")" "200" "she confirms"
code "$BASE/a/water" >/dev/null
grep -q '<li value="3">Porto Clean Rivers</li>' body
tap_result $? "her organisation is third on the letter"
done_testing
