#!/bin/sh
# tocsin list: create, set, show, rm and ls, with bad names, senders,
# addresses and footers refused.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create news --from "Friends of the Park <Hello@Example.ORG>" \
	--reply-to replies@example.org --address "1 Main St, Springfield"
has out "list 'news' created" "list create says so"
run 0 tocsin list create alerts --from action@example.org \
    --address "1 Main St, Springfield"
run 65 tocsin list create news --from a@example.org
has err "tocsin-list: a list named 'news' exists already" "a duplicate is refused"
run 65 tocsin list create "News Letter" --from a@example.org
has err "tocsin-list: bad list name 'News Letter': it may hold only a-z, 0-9, '-', '_' and '.'" \
	"a bad name is refused with the rule"
run 65 tocsin list create x --from "Eve <eve@example.org>
Bcc: all@example.org"
run 65 tocsin list create x --from "Name <not-an-address>"
has err "tocsin-list: bad --from 'Name <not-an-address>': no '@'" \
	"a bad sender is refused with why"
run 65 tocsin list create x --from a@example.org --reply-to "r@localhost"
is "$(sql 'SELECT count(*) FROM lists')" "2" "refused lists are not stored"
run 0 tocsin list ls --format tsv
cut -f1-5 out >got
same - got "list ls --format tsv" <<'X'
name	from	reply_to	subscribed	members
alerts	action@example.org		0	0
news	Friends of the Park <Hello@example.org>	replies@example.org	0	0
X
run 0 tocsin list ls --format csv
has out "news,Friends of the Park <Hello@example.org>,replies@example.org,0,0,$(tail -n1 got >/dev/null; sql "SELECT strftime('%Y-%m-%d %H:%M', created_at, 'unixepoch') FROM lists WHERE name='news'")" \
	"list ls --format csv"
run 0 tocsin list ls
has out "name    from                                     reply_to             subscribed  members  created" \
	"plain list ls has aligned headers"

# A list's title is the From's name until one is set; messages call
# the list by it ({{list.name}}), commands by its name.
run 0 tocsin list show news
has out "title: Friends of the Park" "the title defaults to the From's name"
has out "footer: the default" "a list has the default footer"
run 0 tocsin list create bare --from bare@example.org
has out "note: give it a postal address before its first blast: tocsin list set bare --address TEXT" \
	"a list made without an address says what it still needs"
run 0 tocsin list show bare
has out "title: bare" "without a From name the title is the list's name"
has out "address: (none: blasts are refused until it is set)" \
	"show says a missing address stops blasts"
run 0 tocsin list set bare --title "Bare Bones  Collective" \
	--address "PO Box 12
La Paz, Bolivia"
has out "list 'bare' changed" "list set says so"
run 0 tocsin list show bare
has out "title: Bare Bones Collective" "the title is stored tidied"
has out "  La Paz, Bolivia" "an address keeps its lines"
run 65 tocsin list set bare --title "Two
lines"
grep -q "^tocsin-list: bad --title 'Two" err
is $? 0 "a title of two lines is refused"
run 65 tocsin list set bare --address "$(printf 'PO Box\033[2J')"
has err "tocsin-list: bad --address: a control character" \
	"a control character in an address is refused"
run 64 tocsin list set bare
has err "tocsin-list: list set: nothing to change" "list set with nothing is refused"
run 65 tocsin list set nosuch --title X
has err "tocsin-list: no list named 'nosuch' (see 'tocsin list ls')" "list set names a missing list"

# A list's own footer must show how to leave and where the group is.
printf 'Sent by {{list.name}}.\n' >bad-footer
run 65 tocsin list set bare --footer bad-footer
has err "tocsin-list: bad --footer: a footer must show {{unsubscribe_url}} and {{list.address}}" \
	"a footer without the link and the address is refused"
printf 'Sent by {{list.name}}\n{{#list' >broken-footer
run 65 tocsin list set bare --footer broken-footer
has err "tocsin-list: bad --footer: 2:1: a tag opened here is not closed (no '}}')" "a footer that does not compile is refused with where"
printf 'Sent by {{list.name}}, {{list.address}}.\nLeave: {{unsubscribe_url}}\n' >footer
run 0 tocsin list set bare --footer footer
run 0 tocsin list show bare
has out "footer: its own" "list set --footer stores it"
has out "Leave: {{unsubscribe_url}}" "show prints the footer"
run 0 tocsin list set bare --default-footer
run 0 tocsin list show bare
has out "footer: the default" "--default-footer goes back"
run 66 tocsin list set bare --footer no-such-file
has err "tocsin-list: --footer no-such-file: No such file or directory" \
	"a missing footer file is named"

# rm: refused while a blast may send; after it the name is free and the
# history stays.
cat >t.alert <<'X'
Subject: Hello

Hi.
X
run 0 tocsin sub add bare ann@example.org
run 0 tocsin blast create bare t.alert
run 65 tocsin list rm bare
has err "tocsin-list: list 'bare' not removed: blast 1 may still send (cancel it first: tocsin blast cancel 1)" \
	"rm is refused while a blast may send"
run 0 tocsin blast cancel 1
run 0 tocsin list rm bare
has out "list 'bare' removed; its blasts and who left it stay as history" "rm says so"
run 0 tocsin list ls --format tsv
lacks out "bare" "a removed list is not listed"
run 65 tocsin list show bare
run 65 tocsin sub ls "$(sql "SELECT name FROM lists WHERE removed_at IS NOT NULL")"
grep -q "^tocsin-sub: no list named 'bare#" err
tap_result $? "nor by its name with its id"
is "$(sql "SELECT count(*) FROM blasts WHERE list_id = (SELECT id FROM lists WHERE name LIKE 'bare#%')")" \
	"1" "its blasts stay as history"
run 0 tocsin list create bare --from bare@example.org --address "1 Main St"
has out "list 'bare' created" "the name is free again"
done_testing
