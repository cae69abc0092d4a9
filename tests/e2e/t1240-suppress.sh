#!/bin/sh
# The global suppression list, the operator's: addresses added with a
# reason are mailed by no list and imported onto none; lifting one needs
# a reason and resubscribes nobody; import (a Mailchimp unsubscribed
# export as it is) and export read each other back; every change is an
# event on the person.
. "$(dirname "$0")/lib.sh"

DATA=$TOP/tests/data/migrate
run 0 tocsin init
run 0 tocsin list create river --from "River <alerts@river.example>" \
    --address "1 Main St, Springfield"
printf 'email,first_name\nann@example.org,Ann\nbob@example.org,Bob\ncat@example.org,Cat\n' >people.csv
run 0 tocsin sub import river people.csv

run 65 tocsin suppress add Bob@Example.ORG not-an-address troll@example.net --reason "abusive replies"
has out "suppressed Bob@example.org: no list mails them" "add suppresses"
has out "suppressed troll@example.net: no list mails them" "a stranger too"
has err "tocsin-suppress: 'not-an-address' is not an email address: no '@'" \
	"a bad address is named, the others still suppressed"
run 0 tocsin suppress add bob@example.org
has out "bob@example.org is suppressed already" "twice says so"
run 0 tocsin segment count river
has out "2 people: subscribed members of 'river'" "no list mails a suppressed address"
printf 'email,first_name\ntroll@example.net,T\n' >troll.csv
run 0 tocsin sub import river troll.csv
has out "troll.csv: 0 imported, 0 updated, 0 unchanged, 1 left alone (unsubscribed, bounced or complained), 0 rejected" \
	"nor imports it"
run 0 tocsin suppress ls --format csv
cut -d, -f1,2 out >got
same - got "ls: email and reason" <<'E'
email,reason
Bob@example.org,abusive replies
troll@example.net,abusive replies
E
is "$(sql "SELECT kind || ' ' || detail || ' ' || source FROM events e JOIN subscribers s ON s.id = e.subscriber_id WHERE s.email = 'bob@example.org'")" \
	"suppress abusive replies cli" "an event on the person, with why"

run 64 tocsin suppress rm bob@example.org
has err "tocsin-suppress: usage: suppress rm EMAIL --reason TEXT (why they may be mailed again)" \
	"lifting needs a reason"
run 64 tocsin suppress rm bob@example.org --reason "$(printf 'a\nb')"
has err "tocsin-suppress: --reason: the reason has a control character" "a reason is one line"
run 0 tocsin suppress rm bob@example.org --reason "apologised by phone"
has out "bob@example.org is no longer suppressed; lists they left still leave them alone" "rm lifts it"
run 65 tocsin suppress rm bob@example.org --reason "again"
has err "tocsin-suppress: bob@example.org is not suppressed" "rm of one not suppressed is an error"
is "$(sql "SELECT count(*) FROM events WHERE kind = 'unsuppress' AND detail = 'apologised by phone'")" "1" \
	"the reason is recorded"
run 0 tocsin segment count river
has out "3 people: subscribed members of 'river'" "Bob is mailed again"

# A Mailchimp unsubscribed export, as it is; again, it changes nothing.
run 0 tocsin suppress import "$DATA/mailchimp-unsubscribed.csv" --reason "left before the move"
has out "$DATA/mailchimp-unsubscribed.csv: 2 suppressed, 0 already suppressed, 0 rejected" \
	"import reads another tool's export"
run 0 tocsin suppress import "$DATA/mailchimp-unsubscribed.csv"
has out "$DATA/mailchimp-unsubscribed.csv: 0 suppressed, 2 already suppressed, 0 rejected" \
	"and is idempotent"
cat >mixed.csv <<'E'
email,reason,since
dan@example.org,hard bounce in the old tool,2025-03-01 10:00
eve@@example.org,typo,
fay@example.org,,2025-04-01 09:30
gus@example.org,old,yesterday
E
run 0 tocsin suppress import mixed.csv
has out "mixed.csv: 2 suppressed, 0 already suppressed, 2 rejected" "bad rows are counted"
has err "tocsin-suppress: mixed.csv:3: rejected: 'eve@@example.org': not an email address: more than one '@'" \
	"a bad address is reported by line"
has err "tocsin-suppress: mixed.csv:5: rejected: since is not 'YYYY-MM-DD HH:MM'" \
	"a bad date too"
is "$(sql "SELECT reason || ' ' || datetime(created_at, 'unixepoch') FROM suppressions WHERE email IN ('dan@example.org', 'fay@example.org') ORDER BY email")" \
	"hard bounce in the old tool 2025-03-01 10:00:00
imported 2025-04-01 09:30:00" "the reason and since columns, or the default"

# Export, into a new database, the same list.
run 0 tocsin suppress export
cp out export.csv
has export.csv "dan@example.org,hard bounce in the old tool,2025-03-01 10:00" "export: email, reason, since"
sql "SELECT email, reason, created_at / 60 FROM suppressions ORDER BY email" >want
export TOCSIN_DB=$T/moved.db
DB=$TOCSIN_DB
run 0 tocsin init
run 0 tocsin suppress import export.csv
has out "export.csv: 5 suppressed, 0 already suppressed, 0 rejected" "the export imports"
sql "SELECT email, reason, created_at / 60 FROM suppressions ORDER BY email" >got
unset TOCSIN_DB DB
# since is written to the minute, so the times compare in minutes.
same want got "every address, reason and since, as it was"
done_testing
