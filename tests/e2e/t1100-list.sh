#!/bin/sh
# tocsin list: create and ls, with bad names and senders refused.
. "$(dirname "$0")/lib.sh"

run 0 tocsin init
run 0 tocsin list create news --from "Friends of the Park <Hello@Example.ORG>" \
	--reply-to replies@example.org
has out "list 'news' created" "list create says so"
run 0 tocsin list create alerts --from action@example.org
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
done_testing
